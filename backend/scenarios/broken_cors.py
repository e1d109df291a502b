"""Hand-written, deliberately WRONG CORS answers: the mistakes django-cors-headers refuses to make.

Each function takes the request and the scenario's ordinary answer, and returns what a
misconfigured server would send. Nothing else in the lab writes CORS headers by hand.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lab.api import error_response


def is_preflight(request) -> bool:
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def fixed_allow_origin(request, answer):
    # A value copied from somewhere else, instead of the allowed Origin echoed back.
    answer["Access-Control-Allow-Origin"] = "https://other.lab.localhost"
    return answer


def wildcard_with_credentials(request, answer):
    answer["Access-Control-Allow-Origin"] = "*"
    answer["Access-Control-Allow-Credentials"] = "true"
    return answer


def capitalised_allow_credentials(request, answer):
    answer["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")
    answer["Access-Control-Allow-Credentials"] = "True"
    return answer


def preflight_not_handled(request, answer):
    # As if a proxy added CORS headers to every response while the app has no OPTIONS handler.
    response = error_response(405, "method_not_allowed", _("No handler for OPTIONS.")) if is_preflight(request) else answer
    response["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")
    response["Access-Control-Allow-Methods"] = "GET, PUT"
    response["Access-Control-Allow-Headers"] = "content-type"
    return response


def max_age_zero(request, answer):
    # django-cors-headers omits the header for CORS_PREFLIGHT_MAX_AGE = 0 (and Chromium then
    # caches for 5 s anyway); an explicit 0 really disables the cache.
    response = HttpResponse(status=200) if is_preflight(request) else answer
    response["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")
    if is_preflight(request):
        response["Access-Control-Allow-Methods"] = "PUT"
        response["Access-Control-Allow-Headers"] = "content-type"
        response["Access-Control-Max-Age"] = "0"
    return response


RESPONDERS = {
    "fixed_allow_origin": fixed_allow_origin,
    "wildcard_with_credentials": wildcard_with_credentials,
    "capitalised_allow_credentials": capitalised_allow_credentials,
    "preflight_not_handled": preflight_not_handled,
    "max_age_zero": max_age_zero,
}


# The same answers as data, for the playground's raw form (GET /api/scenarios/ hands them to the page,
# whose "Open in the playground" link carries them). {origin} is the request's Origin, echoed.
# e2e/test_playground_differential.py checks that each gets the scenario card's verdict.
_ALLOW = [["Access-Control-Allow-Origin", "{origin}"]]
RAW_ANSWERS = {
    "fixed_allow_origin": {
        "preflight": {"status": 200, "headers": [["Access-Control-Allow-Origin", "https://other.lab.localhost"]]},
        "response": {"status": 200, "headers": [["Access-Control-Allow-Origin", "https://other.lab.localhost"]]}},
    "wildcard_with_credentials": {
        "preflight": {"status": 200, "headers": [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Credentials", "true"]]},
        "response": {"status": 200, "headers": [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Credentials", "true"]]}},
    "capitalised_allow_credentials": {
        "preflight": {"status": 200, "headers": _ALLOW + [["Access-Control-Allow-Credentials", "True"]]},
        "response": {"status": 200, "headers": _ALLOW + [["Access-Control-Allow-Credentials", "True"]]}},
    "preflight_not_handled": {
        "preflight": {"status": 405, "headers": _ALLOW + [["Access-Control-Allow-Methods", "GET, PUT"],
                                                          ["Access-Control-Allow-Headers", "content-type"]]},
        "response": {"status": 200, "headers": _ALLOW + [["Access-Control-Allow-Methods", "GET, PUT"],
                                                         ["Access-Control-Allow-Headers", "content-type"]]}},
    "max_age_zero": {
        "preflight": {"status": 200, "headers": _ALLOW + [["Access-Control-Allow-Methods", "PUT"],
                                                          ["Access-Control-Allow-Headers", "content-type"],
                                                          ["Access-Control-Max-Age", "0"]]},
        "response": {"status": 200, "headers": _ALLOW}},
}
