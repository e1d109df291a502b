"""The leaky endpoints: the real session (alice's), served under a MISTAKEN configuration.

They live under /leaks/, outside /api/: the API's own CorsMiddleware (CORS_URLS_REGEX) and its
settings never see them, so whatever an entry does here, the real /api/ keeps refusing.
/leaks/<slug>/mistake/... answers under the entry's mistake, /leaks/<slug>/fixed/... under its fix.
"""

import re

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lab import cors_runner
from lab.api import ApiError, api_view
from lab.attempts import judged
from lab.case import cors_config
from lab.origins import lab_origins
from leaks import csrf
from leaks.catalogue import CATALOGUE, HAND_WRITTEN, LEAKS, Leak
from ledger.runs import not_recorded, run_named
from people.users import change_display_name as changed_display_name
from people.users import session_user, user_json

VARIANTS = ("mistake", "fixed")
LABEL = r"[A-Za-z0-9_-]{1,40}"


def leak_of(slug: str, variant: str, attack: str) -> Leak:
    leak = CATALOGUE.get(slug)
    if leak is None or variant not in VARIANTS or leak.attack != attack:
        raise Http404
    return leak


@api_view("GET")
def me_answer(request):
    """The real /api/me/'s answer: the session's user (people/users.py)."""
    return JsonResponse({"user": user_json(session_user(request))})


def hand_written_answer(test, request):
    """A hand-written CORS layer with a careless origin test: it echoes any origin that passes."""
    response = me_answer(request)
    response["Vary"] = "Origin"
    origin = request.headers.get("Origin")
    if origin and test(origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
    return response


# Reading changes nothing; CORS alone is the lesson here.
@csrf_exempt
def read_me(request, slug, variant):
    server = leak_of(slug, variant, "read").server(variant)
    if "origin_test" in server:
        return hand_written_answer(HAND_WRITTEN[server["origin_test"]], request)
    return cors_runner.answer(cors_config(server["cors"], lab_origins()), request, me_answer)


# The global CSRF check is switched off for this view only so that the entry's own CSRF check
# (leaks/csrf.py), under the entry's CSRF_TRUSTED_ORIGINS, is the one that decides.
@csrf_exempt
@api_view("POST")
def change_display_name(request, slug, variant):
    server = leak_of(slug, variant, "form").server(variant)
    refused = csrf.refusal(request, lab_origins().fill_all(server["csrf"]["CSRF_TRUSTED_ORIGINS"]))
    if refused is not None:
        return refused
    return JsonResponse({"user": changed_display_name(request, session_user(request))})


@api_view("GET", "OPTIONS")
def catalogue_answer(request):
    origins = lab_origins()
    return JsonResponse({"leaks": [leak.as_json(origins) for leak in LEAKS]})


def catalogue(request):
    """The catalogue is public and carries no credentials: every attacker page may read it."""
    return cors_runner.answer(cors_runner.CorsConfig(CORS_ALLOW_ALL_ORIGINS=True), request, catalogue_answer)


def columns_of(request) -> list[tuple[str, object]]:
    """?column=<label>:<run id>, repeated: one browser (profile) per run."""
    columns = []
    for value in request.GET.getlist("column"):
        label, _colon, run_id = value.partition(":")
        if not re.fullmatch(LABEL, label):
            raise ApiError(400, "invalid_column", _("Pass ?column=<label>:<run id>, the label in letters, digits, - or _."))
        columns.append((label, run_named(request, run_id)))
    if not columns:
        raise ApiError(400, "invalid_column", _("Pass at least one ?column=<label>:<run id>."))
    return columns


def attack_of(entry):
    """(leak, variant) of a ledger entry on a leak endpoint, or None."""
    try:
        match = resolve(entry.request["path"])
    except Resolver404:
        return None
    if match.url_name not in ("leak-me", "leak-display-name") or entry.is_preflight:
        return None
    leak = CATALOGUE.get(match.kwargs["slug"])
    return (leak, match.kwargs["variant"]) if leak else None


def cell(entry) -> tuple[str, dict]:
    """(the row: sibling or cross-site, the cell): what stopped the attack (crossorigin/defences.py)."""
    stopped, message = judged(entry)
    return stopped.attacker, {"outcome": stopped.code, "message": message,
                              "status": entry.response["status"], "origin": entry.request["origin"],
                              "session_arrived": settings.SESSION_COOKIE_NAME in entry.request["cookies"]}


SAMESITE_ORDER = {"Strict": 0, "Lax": 1, "None": 2}


@not_recorded
@api_view("GET")
def table(request):
    """One table per entry: rows sibling / cross-site, columns SameSite x browser, each cell the
    outcome of the latest attack of that kind, under the mistake and under the fix."""
    columns = columns_of(request)
    labels = [label for label, _run in columns]
    found = {}  # (slug, row, samesite, label, variant) -> cell
    for label, run in columns:
        for entry in run.entries.all():
            attack = attack_of(entry)
            if attack:
                leak, variant = attack
                samesite = entry.response["session_cookie_samesite"]
                row, found_cell = cell(entry)
                found[(leak.slug, row, samesite, label, variant)] = found_cell
    column_keys = sorted({(key[2], key[3]) for key in found},
                         key=lambda column: (SAMESITE_ORDER.get(column[0], 9), labels.index(column[1])))
    tables, origins = [], lab_origins()
    for leak in LEAKS:
        rows = [{"row": row, "cells": [{"samesite": samesite, "browser": label,
                                        **{variant: found.get((leak.slug, row, samesite, label, variant))
                                           for variant in VARIANTS}}
                                       for samesite, label in column_keys]}
                for row in ("sibling", "cross-site")]
        tables.append({**leak.as_json(origins), "rows": rows})
    return JsonResponse({"columns": [{"samesite": s, "browser": b} for s, b in column_keys], "tables": tables})
