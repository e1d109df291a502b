import json
import secrets
from dataclasses import asdict

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from cookielab.rules import (CONTEXTS, CONTEXTS_BY_NAME, LAX_ALLOWING_UNSAFE_SECONDS, POLICIES, PROBES,
                             PROBES_BY_NAME, WHY, age_matters, expected)
from lab.api import ApiError, api_view
from ledger.views import run_from

PROBE_PATH = "/api/cookies/probe/"
SET_PATH = "/api/cookies/set/"


def site_domain() -> str:
    """api.lab.localhost -> lab.localhost: what Domain=.example.com is to www.example.com."""
    return settings.LAB_API_HOST.split(".", 1)[1]


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
        raise ApiError(404, "unknown_context", f"No request context {context!r}.")
    return JsonResponse({"context": context, "cookies": sorted(set(request.COOKIES) & set(PROBES_BY_NAME))})


SAME_ORIGIN_PAGE = """<!doctype html>
<title>same-origin probe</title>
<p>A page of the API's own origin, fetching the API: the same-origin column of the matrix.</p>
<script>
fetch("{probe_path}same-origin/" + location.search, {{credentials: "same-origin"}})
  .then((response) => response.json())
  .then((body) => parent.postMessage({{sameOrigin: body}}, {app_origin}));
</script>
"""


# The app page frames this page to get a same-origin request; nothing here is worth clickjacking.
@xframe_options_exempt
@api_view("GET")
def same_origin_page(request):
    return HttpResponse(SAME_ORIGIN_PAGE.format(probe_path=PROBE_PATH, app_origin=json.dumps(settings.LAB_APP_ORIGIN)))


def latest_probes(entries) -> dict:
    """context name -> (entry, cookie age in seconds): the latest request of each context, timed
    from the latest GET set/ before it (re-running a context, or re-setting the cookies, counts)."""
    latest, set_at = {}, None
    for entry in entries:
        path = entry.request["path"]
        if path == SET_PATH:
            set_at = entry.at
        elif path.startswith(PROBE_PATH) and not entry.is_preflight:
            age = (entry.at - set_at).total_seconds() if set_at else None
            latest[path[len(PROBE_PATH):].strip("/")] = (entry, age)
    return latest


@api_view("GET")
def matrix(request):
    """The SameSite matrix of one run: what the server received, beside what the rules predict."""
    entries = list(run_from(request).entries.all())
    received = latest_probes(entries)

    rows = []
    for probe_ in PROBES:
        cells = []
        for context in CONTEXTS:
            entry, age = received.get(context.name, (None, None))
            predictions = {policy: expected(probe_, context, policy, age or 0) for policy in POLICIES}
            cells.append({
                "context": context.name,
                "ran": entry is not None,
                "sent": (probe_.name in entry.request["cookies"]) if entry else None,
                "cookie_age_seconds": age if age_matters(probe_, context) else None,
                "expected": {policy: sent for policy, (sent, _) in predictions.items()},
                "why": {policy: WHY[why] for policy, (_, why) in predictions.items()},
            })
        rows.append({"probe": asdict(probe_), "cells": cells})

    ran = [cell for row in rows for cell in row["cells"] if cell["ran"]]
    return JsonResponse({
        "contexts": [asdict(context) for context in CONTEXTS],
        "rows": rows,
        "policies_matched": [p for p in POLICIES if ran and all(c["sent"] == c["expected"][p] for c in ran)],
        "cookies_set": any(entry.request["path"] == SET_PATH for entry in entries),
        "lax_allowing_unsafe_seconds": LAX_ALLOWING_UNSAFE_SECONDS,
    })
