from django.http import JsonResponse

from lab.api import api_view
from scenarios.catalogue import SCENARIOS


@api_view("GET")
def catalogue(request):
    """Every scenario, a named case: the page runs each through the playground's endpoint and verdict."""
    return JsonResponse({"scenarios": [scenario.as_json() for scenario in SCENARIOS]})
