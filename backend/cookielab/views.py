import json
import secrets
from dataclasses import asdict

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from crossorigin.cookies import CONTEXTS, CONTEXTS_BY_NAME, ENGINE_POLICIES, LAX_ALLOWING_UNSAFE_SECONDS, POLICIES, PROBES, PROBES_BY_NAME, WHY, age_matters, expected
from crossorigin.defences import attacker_of
from crossorigin.sites import registrable_domain
from crossorigin.translation import translate
from lab.api import ApiError, api_view
from lab.attempts import judged
from lab.origins import lab_hosts
from ledger.runs import not_recorded, run_from

# The endpoints an attacker aims at, by URL name (experiments/urls.py).
ATTACK_TARGETS = {"me", "display-name"}


def site_domain() -> str:
    """The API's registrable domain, what Domain=example.com is to django6.example.com:
    api.lab.localhost -> lab.localhost."""
    return registrable_domain(settings.LAB_API_HOST) or settings.LAB_API_HOST


@api_view("GET")
def set_probes(request):
    response = JsonResponse({"probes": [asdict(probe) for probe in PROBES], "domain": site_domain()})
    # A fresh value each time: Chromium keeps the creation time of a cookie overwritten with the
    # same value (measured), and the Lax-allowing-unsafe window counts from creation.
    value = secrets.token_hex(4)
    for probe in PROBES:
        # Not HttpOnly, so the app page can show which of them its own document.cookie sees.
        response.set_cookie(probe.name, value, max_age=3600, path="/", secure=True, httponly=False,
                            samesite=probe.samesite, domain=site_domain() if probe.shared_with_site else None)
    return response


# It changes nothing and only reports what arrived; a CSRF 403 would teach nothing here.
@csrf_exempt
@api_view("GET", "POST")
def probe(request, context):
    if context not in CONTEXTS_BY_NAME:
        raise ApiError(404, "unknown_context", gettext("No request context %(context)r.") % {"context": context})
    return JsonResponse({"context": context, "cookies": sorted(set(request.COOKIES) & set(PROBES_BY_NAME))})


SAME_ORIGIN_PAGE = """<!doctype html>
<title>same-origin probe</title>
<p>A page of the API's own origin, fetching the API: the same-origin column of the matrix.</p>
<script>
fetch({probe_url} + location.search, {{credentials: "same-origin"}})
  .then((response) => response.json())
  .then((body) => parent.postMessage({{sameOrigin: body}}, {app_origin}));
</script>
"""


# The app page frames this page to get a same-origin request; nothing here is worth clickjacking.
@xframe_options_exempt
@api_view("GET")
def same_origin_page(request):
    probe_url = reverse("cookie-probe", args=["same-origin"])
    return HttpResponse(SAME_ORIGIN_PAGE.format(probe_url=json.dumps(probe_url),
                                                app_origin=json.dumps(settings.LAB_APP_ORIGIN)))


def url_of(entry):
    """(URL name, kwargs) of the path an entry recorded, or (None, {})."""
    try:
        match = resolve(entry.request["path"])
    except Resolver404:
        return None, {}
    return match.url_name, match.kwargs


def latest_probes(entries) -> dict:
    """context name -> (entry, cookie age in seconds): the latest request of each context, timed
    from the latest GET set/ before it (re-running a context, or re-setting the cookies, counts)."""
    latest, set_at = {}, None
    for entry in entries:
        name, kwargs = url_of(entry)
        if name == "cookie-set":
            set_at = entry.at
        elif name == "cookie-probe" and not entry.is_preflight:
            age = (entry.at - set_at).total_seconds() if set_at else None
            latest[kwargs["context"]] = (entry, age)
    return latest


def cookies_the_app_script_saw(request) -> list[str] | None:
    """The app page reports which probe cookies its own document.cookie listed: the one column
    the server cannot observe by itself."""
    value = request.GET.get("app_script_saw")
    return None if value is None else [name for name in value.split(",") if name in PROBES_BY_NAME]


@not_recorded
@api_view("GET")
def matrix(request):
    """The SameSite matrix of one run: what the server received, beside what the rules predict."""
    hosts = lab_hosts()
    if not hosts.one_site:
        raise ApiError(409, "matrix_needs_one_site", gettext(
            "The SameSite matrix is made for an app and an API of one site; %(app)s and %(api)s are two sites.")
            % {"app": hosts.app, "api": hosts.api})
    entries = list(run_from(request).entries.all())
    received = latest_probes(entries)
    seen_by_script = cookies_the_app_script_saw(request)

    rows = []
    for probe_ in PROBES:
        cells = []
        for context in CONTEXTS:
            entry, age = received.get(context.name, (None, None))
            if context.seen_by == "app-script":
                sent = None if seen_by_script is None else probe_.name in seen_by_script
            else:
                sent = (probe_.name in entry.request["cookies"]) if entry else None
            predictions = {policy: expected(probe_, context, policy, hosts=hosts, cookie_age_seconds=age or 0)
                           for policy in POLICIES}
            cells.append({
                "context": context.name,
                "ran": sent is not None,
                "sent": sent,
                "cookie_age_seconds": age if age_matters(probe_, context) else None,
                "expected": {policy: predicted for policy, (predicted, _) in predictions.items()},
                "matches": {policy: sent == predicted for policy, (predicted, _) in predictions.items()},
                "why": {policy: translate(WHY[why]) for policy, (_, why) in predictions.items()},
                # Each engine as the e2e suite runs it (cookies.ENGINE_POLICIES).
                "expected_by_engine": {engine: dict(zip(("sent", "why"), expected(
                    probe_, context, policy, hosts=hosts, cookie_age_seconds=age or 0, engine=engine)))
                    for engine, policy in ENGINE_POLICIES.items()},
            })
        rows.append({"probe": {**asdict(probe_), "lesson": translate(probe_.lesson)}, "cells": cells})

    ran = [cell for row in rows for cell in row["cells"] if cell["ran"]]
    return JsonResponse({
        "contexts": [{**asdict(context), "title": translate(context.title)} for context in CONTEXTS],
        "rows": rows,
        "policies_matched": [p for p in POLICIES if ran and all(c["matches"][p] for c in ran)],
        "cookies_set": any(url_of(entry)[0] == "cookie-set" for entry in entries),
        "lax_allowing_unsafe_seconds": LAX_ALLOWING_UNSAFE_SECONDS,
    })


def is_attack(entry) -> bool:
    request = entry.request
    return url_of(entry)[0] in ATTACK_TARGETS and not entry.is_preflight and (
        request["origin"] == settings.LAB_ATTACKER_ORIGIN or request["sec_fetch_site"] == "cross-site"
        or attacker_of(request["sec_fetch_site"], request["origin"], settings.LAB_SIBLING_ORIGIN) == "sibling")


@not_recorded
@api_view("GET")
def attacks(request):
    """The attacker's requests of one run, each with what stopped it (crossorigin/defences.py)."""
    rows = []
    for entry in filter(is_attack, run_from(request).entries.all()):
        stopped, message = judged(entry)
        rows.append({
            "attacker": stopped.attacker, "not_held": stopped.not_held, "not_held_message": stopped.not_held_message(),
            "method": entry.request["method"], "path": entry.request["path"],
            "sec_fetch_mode": entry.request["sec_fetch_mode"], "sec_fetch_dest": entry.request["sec_fetch_dest"],
            "session_arrived": settings.SESSION_COOKIE_NAME in entry.request["cookies"],
            "status": entry.response["status"],
            "defence": stopped.code, "kept_home_by": stopped.kept_home_by, "message": message,
        })
    return JsonResponse({"attacks": rows})
