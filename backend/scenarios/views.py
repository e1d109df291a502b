import secrets
from dataclasses import asdict

from corsheaders.defaults import default_headers, default_methods
from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.http import Http404, JsonResponse
from django.test.utils import override_settings
from django.views.decorators.csrf import csrf_exempt

from lab.api import ApiError, api_view
from ledger.views import run_from
from scenarios import broken_cors
from scenarios.catalogue import APP, CATALOGUE, SCENARIOS, Scenario
from scenarios.verdicts import PageRequest, RecordedResponse, deviation, judge, preflight_cache_seconds

# Each scenario starts from django-cors-headers' own defaults, not from the API's settings.
LIBRARY_DEFAULTS = {
    "CORS_ALLOWED_ORIGINS": [],
    "CORS_ALLOWED_ORIGIN_REGEXES": [],
    "CORS_ALLOW_ALL_ORIGINS": False,
    "CORS_ALLOW_CREDENTIALS": False,
    "CORS_ALLOW_HEADERS": list(default_headers),
    "CORS_ALLOW_METHODS": list(default_methods),
    "CORS_EXPOSE_HEADERS": [],
    "CORS_PREFLIGHT_MAX_AGE": 86400,
    "CORS_URLS_REGEX": r"^/scenarios/",
}


def cors_settings(scenario: Scenario) -> dict:
    resolved = {
        name: [settings.LAB_APP_ORIGIN if value == APP else value for value in values]
        if name == "CORS_ALLOWED_ORIGINS" else values
        for name, values in scenario.cors.items()
    }
    return {**LIBRARY_DEFAULTS, **resolved}


def ordinary_answer(request, scenario: Scenario):
    if scenario.view == "crash":
        raise RuntimeError(f"scenario {scenario.slug}: a deliberate crash, for the lesson")
    response = JsonResponse({"scenario": scenario.slug, "method": request.method})
    response["X-Lab-Request-Id"] = secrets.token_hex(4)
    return response


# The scenarios change nothing and their lesson is CORS alone: CSRF stays out of the way.
@csrf_exempt
def scenario_endpoint(request, slug):
    scenario = CATALOGUE.get(slug)
    if scenario is None:
        raise Http404
    if scenario.broken:
        return broken_cors.RESPONDERS[scenario.broken](request, ordinary_answer(request, scenario))
    # django-cors-headers reads its settings on every request, so the scenario's settings apply
    # to this one request. override_settings is process-wide: safe here because gunicorn's sync
    # workers handle one request at a time.
    try:
        with override_settings(**cors_settings(scenario)):
            return CorsMiddleware(lambda req: ordinary_answer(req, scenario))(request)
    finally:
        # CorsMiddleware marks the request it handled; unmark it, or the API's own CorsMiddleware
        # (outside, meant for /api/ only) would add the API's headers on the way out.
        request._cors_enabled = False


@api_view("GET")
def catalogue(request):
    return JsonResponse({"scenarios": [scenario.as_json() for scenario in SCENARIOS]})


def recorded(entry) -> RecordedResponse:
    return RecordedResponse(status=entry.response["status"], headers=entry.response["headers"])


def expected_preflights(scenario: Scenario, chromium, preflight) -> int:
    if not chromium.preflight_needed:
        return 0
    # A passed preflight is cached (for Max-Age seconds); a failed one is asked again each time.
    passed = chromium.failed_at != "preflight"
    cached = passed and preflight_cache_seconds(preflight) > 0
    return 1 if cached else scenario.repeat


@api_view("GET")
def verdict(request, slug):
    """What the Fetch model predicts for one run of a scenario, from the server's own record."""
    scenario = CATALOGUE.get(slug)
    if scenario is None:
        raise ApiError(404, "unknown_scenario", f"No scenario {slug!r}.")
    entries = [e for e in run_from(request).entries.all() if e.request["path"].startswith(f"/scenarios/{slug}")]
    preflights = [e for e in entries if e.is_preflight]
    actual = [e for e in entries if not e.is_preflight]
    origin = {APP: settings.LAB_APP_ORIGIN}[scenario.page_origin]
    page_request = PageRequest(origin=origin, method=scenario.method,
                               headers=scenario.headers, credentials=scenario.credentials)
    preflight = recorded(preflights[0]) if preflights else None
    response = recorded(actual[0]) if actual else None
    try:
        chromium = judge(page_request, preflight, response, engine="chromium")
        standard = judge(page_request, preflight, response, engine="standard")
    except ValueError:
        raise ApiError(404, "no_record", "The server has no record of the request this verdict needs.") from None
    return JsonResponse({
        "scenario": slug,
        "chromium": asdict(chromium),
        "standard": asdict(standard),
        "deviation": deviation(page_request, preflight, response),
        "preflights_expected": expected_preflights(scenario, chromium, preflight),
        "preflights_seen": len(preflights),
        "requests_seen": len(actual),
    })
