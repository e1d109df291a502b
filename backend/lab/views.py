from django.http import JsonResponse

from lab.api import api_view


@api_view("GET")
def healthz(request):
    """For Docker's healthcheck (backend/healthcheck.py)."""
    return JsonResponse({"ok": True})
