import secrets
from dataclasses import asdict

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from crossorigin.fetch import BROWSERS, PageRequest, RecordedResponse, count_preflights, deviation, judge, reported_as
from lab import cors_runner
from lab.api import ApiError, api_view
from ledger.runs import not_recorded, run_from
from scenarios import broken_cors
from scenarios.catalogue import APP, CATALOGUE, SCENARIOS, Scenario


def cors_config(scenario: Scenario) -> cors_runner.CorsConfig:
    """The scenario's django-cors-headers settings over the library's defaults (not the API's)."""
    resolved = {name: tuple(settings.LAB_APP_ORIGIN if value == APP else value for value in values)
                if isinstance(values, list) else values for name, values in scenario.cors.items()}
    return cors_runner.CorsConfig(**resolved)


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
    # The API's CorsMiddleware leaves /scenarios/ alone (CORS_URLS_REGEX): this request is
    # answered under the scenario's configuration only, and nothing shared is switched.
    return cors_runner.answer(cors_config(scenario), request, lambda req: ordinary_answer(req, scenario))


@api_view("GET")
def catalogue(request):
    return JsonResponse({"scenarios": [scenario.as_json() for scenario in SCENARIOS]})


def recorded(entry) -> RecordedResponse:
    return RecordedResponse(status=entry.response["status"], headers=entry.response["headers"])


@not_recorded
@api_view("GET")
def verdict(request, slug):
    """What the Fetch model predicts for one run of a scenario, from the server's own record."""
    scenario = CATALOGUE.get(slug)
    if scenario is None:
        raise ApiError(404, "unknown_scenario", _("No scenario %(slug)r.") % {"slug": slug})
    endpoint = reverse("scenario-endpoint", args=[slug])
    entries = [e for e in run_from(request).entries.all() if e.request["path"].startswith(endpoint.rstrip("/"))]
    preflights = [e for e in entries if e.is_preflight]
    actual = [e for e in entries if not e.is_preflight]
    page_request = PageRequest(origin=settings.LAB_APP_ORIGIN, method=scenario.method,
                               headers=scenario.headers, credentials=scenario.credentials)
    preflight = recorded(preflights[0]) if preflights else None
    response = recorded(actual[0]) if actual else None
    try:
        chromium = judge(page_request, preflight, response, engine="chromium")
        standard = judge(page_request, preflight, response, engine="standard")
        # Every engine's profile (crossorigin.fetch.DEVIATIONS), with the names it gives its reason.
        by_engine = {engine: judge(page_request, preflight, response, engine=engine) for engine in BROWSERS}
    except ValueError:
        raise ApiError(404, "no_record", _("The server has no record of the request this verdict needs.")) from None
    return JsonResponse({
        "scenario": slug,
        "engines": {engine: {**asdict(judged), "reported_as": reported_as(engine, judged.reason),
                             "preflights_expected": count_preflights(page_request, preflight, scenario.repeat,
                                                                     engine=engine) if judged.preflight_needed else 0}
                    for engine, judged in by_engine.items()},
        "chromium": asdict(chromium),
        "standard": asdict(standard),
        "deviation": deviation(page_request, preflight, response, chromium=chromium, standard=standard),
        # The model's preflight cache, keyed as Chromium keys it, over the scenario's repeats.
        "preflights_expected": count_preflights(page_request, preflight, scenario.repeat) if chromium.preflight_needed else 0,
        "preflights_seen": len(preflights),
        "requests_seen": len(actual),
    })
