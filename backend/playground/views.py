"""The one endpoint that answers a case (lab/case.py) as its server, and the model's verdict on a run.

Every case runs here: the playground's, and the scenarios' (scenarios/catalogue.py), which are
named cases. /playground/<slot>/<hop>/?s=<server JSON>&run=<id> is outside /api/, so the API's
CorsMiddleware leaves it alone (CORS_URLS_REGEX): each request is answered from its own query
string, through lab/cors_runner.py or the raw answers, and nothing shared is switched. nginx also
sends /playground/ of the attacker host here (with the API's Host), for cross-origin redirect hops.
"""

import json
import secrets
from dataclasses import asdict
from urllib.parse import quote, urlencode, urlsplit

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from crossorigin.fetch import (BROWSERS, Hop, PageRequest, RecordedResponse, chromium_rules, count_preflights,
                               describe_deviation, judge_chain, reported_as)
from lab import cors_runner
from lab.api import ApiError, api_view
from lab.case import (MAX_ORIGIN, TEST_HEADER, CaseError, cors_config, loads, parse_case, parse_server,
                      request_headers)
from lab.origins import LabOrigins, echoes_origin, lab_origins
from ledger.runs import not_recorded, run_from, run_id_of

# /playground/<slot>/<hop>/: one run may hold several cases (a slot each), so that a test running
# many cases does not fill the ledger with runs; the ledger records paths, which tell them apart.
HOP_PATH = "/playground/{slot}/{hop}/"
MAX_SLOT = 99


def invalid(error: CaseError) -> JsonResponse:
    return JsonResponse(error.as_json(), status=400)


def ordinary_answer(request, status: int = 200) -> HttpResponse:
    response = JsonResponse({"playground": True, "method": request.method}, status=status)
    response[TEST_HEADER] = secrets.token_hex(4)
    return response


def crash(request):
    raise RuntimeError("a case whose view crashes, for the lesson: Django's 500 comes without CORS headers")


def with_headers(response, headers, origins: LabOrigins, origin: str | None):
    for name, value in headers:
        if echoes_origin(value) and not origin:
            continue  # "echo the Origin" when none came: send nothing, as a server echoing it would
        response[name] = origins.fill(value, origin)
    return response


def raw_answer(raw: dict, request, slot: int, hop: int, origins: LabOrigins) -> HttpResponse:
    origin = request.headers.get("Origin")
    if cors_runner.is_preflight(request):
        spec = raw["preflight"]
        return with_headers(HttpResponse(status=spec["status"]), spec["headers"], origins, origin)
    redirect = raw["redirect"]
    if redirect and hop == 0:
        # The target is this endpoint again, hop 1, on a lab host: never a Location of the case's choosing.
        target = getattr(origins, redirect["to"]) + HOP_PATH.format(slot=slot, hop=1) + "?" + urlencode(
            {"s": request.GET["s"], "run": run_id_of(request) or ""})
        response = HttpResponse(status=redirect["status"], headers={"Location": target})
        return with_headers(response, redirect["headers"], origins, origin)
    spec = raw["response"]
    response = ordinary_answer(request, spec["status"])
    if spec["status"] in (204, 304):
        response.content = b""
    return with_headers(response, spec["headers"], origins, origin)


# The playground changes nothing and its lesson is CORS alone: CSRF stays out of the way.
@csrf_exempt
def endpoint(request, slot: int, hop: int):
    origins = lab_origins()
    try:
        server = parse_server(loads(request.GET.get("s"), "server"), origins)
        if hop not in (0, 1):
            raise CaseError("hop", _("A case has at most one redirect."))
        if slot > MAX_SLOT:
            raise CaseError("slot", _("At most %(limit)d.") % {"limit": MAX_SLOT})
        if len(request.headers.get("Origin", "")) > MAX_ORIGIN:
            raise CaseError("Origin", _("No browser sends an Origin this long."))
    except CaseError as error:
        return invalid(error)
    if "cors" in server:
        view = crash if server["view"] == "crash" else ordinary_answer
        return cors_runner.answer(cors_config(server["cors"], origins), request, view)
    return raw_answer(server["raw"], request, slot, hop, origins)


# --- The verdict -----------------------------------------------------------------------------


def page_origin(case: dict, origins: LabOrigins) -> str:
    return {"app": origins.app, "attacker": origins.attacker, "null": "null"}[case["page"]]


def page_request(case: dict, origins: LabOrigins) -> PageRequest:
    headers = {}
    for name, value in request_headers(case):
        headers.setdefault(name, []).append(value)
    # One value stays a string: a list stands for a name appended several times (crossorigin/fetch/request.py).
    headers = {name: values[0] if len(values) == 1 else values for name, values in headers.items()}
    return PageRequest(origin=page_origin(case, origins), method=case["method"], headers=headers,
                       credentials=case["credentials"], mode=case["mode"])


def first_path(case: dict, slot: int) -> str:
    """The path the page fetches: without its slash, Django's APPEND_SLASH redirects it to HOP_PATH."""
    path = HOP_PATH.format(slot=slot, hop=0)
    return path if case["trailing_slash"] else path.rstrip("/")


def hop_urls(case: dict, origins: LabOrigins, slot: int) -> list[str]:
    """Every URL the request may visit, in order (path and host: what the ledger tells apart)."""
    urls = [origins.api + first_path(case, slot)]
    redirect = case["server"].get("raw", {}).get("redirect")
    if not case["trailing_slash"]:
        urls.append(origins.api + HOP_PATH.format(slot=slot, hop=0))
    elif redirect:
        urls.append(getattr(origins, redirect["to"]) + HOP_PATH.format(slot=slot, hop=1))
    return urls


def endpoint_url(api: str, case: dict, run_id: str, slot: int) -> str:
    """The URL the page fetches, character for character as playground.js builds it
    (encodeURIComponent of JSON.stringify): Chromium's preflight cache depends on its length."""
    text = json.dumps(case["server"], separators=(",", ":"), ensure_ascii=False)
    encoded = quote(text, safe="!'()*~")  # the characters encodeURIComponent leaves alone
    return f"{api}{first_path(case, slot)}?run={run_id}&s={encoded}"


def recorded(entry) -> RecordedResponse | None:
    return RecordedResponse(status=entry.response["status"], headers=entry.response["headers"]) if entry else None


def hops_from_ledger(entries, urls: list[str]) -> list[Hop]:
    """One Hop per URL of the case, from the ledger's entries in order: the first preflight and the
    first request recorded at that hop's path (None where nothing arrived)."""
    hops = []
    for url in urls:
        here = [e for e in entries if e.request["path"] == urlsplit(url).path]
        preflight = next((e for e in here if e.is_preflight), None)
        response = next((e for e in here if not e.is_preflight), None)
        hops.append(Hop(response=recorded(response), preflight=recorded(preflight), url=url))
    return hops


def slot_from(request) -> int:
    value = request.GET.get("slot", "0")
    if not value.isdigit() or int(value) > MAX_SLOT:
        raise CaseError("slot", _("Must be a whole number from %(low)d to %(high)d.") % {"low": 0, "high": MAX_SLOT})
    return int(value)


def case_from(request) -> dict:
    return parse_case(loads(request.GET.get("case"), "case"), lab_origins())


def by_engine(case: dict, fetch_request: PageRequest, hops: list[Hop], url: str) -> dict:
    """Every engine's profile (crossorigin.fetch.DEVIATIONS) on this run, with the names the engine
    gives its reason and the preflights it sends over the repeats; None for an engine that would
    have sent a request this run's browser did not."""
    engines = {}
    for engine in BROWSERS:
        try:
            judged = judge_chain(fetch_request, hops, engine=engine)
        except ValueError:
            engines[engine] = None
            continue
        preflights = judged.preflights * case["repeat"]
        if case["repeat"] > 1 and judged.preflight_needed:
            # The model's preflight cache over the repeats (a case with a redirect never repeats).
            preflights = count_preflights(fetch_request, hops[0].preflight, case["repeat"], engine=engine, url=url)
        engines[engine] = {**asdict(judged), "reported_as": reported_as(engine, judged.reason),
                           "preflights_expected": preflights}
    return engines


@not_recorded
@api_view("GET")
def check(request):
    """Is this case one the playground runs? 200 {"case": ...with defaults} or the JSON 400."""
    try:
        return JsonResponse({"case": case_from(request)})
    except CaseError as error:
        return invalid(error)


@not_recorded
@api_view("GET")
def verdict(request):
    """What the Fetch model predicts for one run of a case, from the server's own record."""
    try:
        case, slot = case_from(request), slot_from(request)
    except CaseError as error:
        return invalid(error)
    origins = lab_origins()
    try:
        entries = list(run_from(request).entries.all())
    except ApiError as error:
        if error.code != "unknown_run":
            raise
        entries = []  # nothing reached the server: fetch() refused the request before sending it
    entries = [e for e in entries if e.request["path"].startswith(f"/playground/{slot}/")]
    hops = hops_from_ledger(entries, hop_urls(case, origins, slot))
    fetch_request = page_request(case, origins)
    try:
        chromium = judge_chain(fetch_request, hops, engine="chromium")
    except ValueError:
        raise ApiError(404, "no_record", _("The server has no record of the request this verdict needs.")) from None
    try:
        standard = judge_chain(fetch_request, hops, engine="standard")
        deviation = describe_deviation(chromium, standard)
    except ValueError:
        # The standard would have sent a preflight (or reached a URL) that Chromium did not: this
        # run, made by Chromium, cannot show what the standard's browser would have got.
        standard = None
        deviation = " ".join([_("The Fetch standard would have sent a request that Chromium did not send here.")] +
                             chromium_rules(chromium))
    preflights = [e for e in entries if e.is_preflight]
    final = [e for e in entries if not e.is_preflight]
    engines = by_engine(case, fetch_request, hops, endpoint_url(origins.api, case, run_id_of(request), slot))
    return JsonResponse({
        "case": case,
        "engines": engines,
        "chromium": asdict(chromium),
        "standard": asdict(standard) if standard else None,
        "deviation": deviation,
        "preflights_expected": engines["chromium"]["preflights_expected"],
        "preflights_seen": len(preflights),
        "requests_seen": len(entries) - len(preflights),
        # The headers of the last answer the server recorded: what the script could read is among them.
        "final_response_headers": sorted(final[-1].response["headers"]) if final else [],
        "final_response_cut": bool(final and final[-1].response.get("cut")),
    })
