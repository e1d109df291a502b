"""The leaky endpoints: the real session (alice's), served under a MISTAKEN configuration.

They live under /leaks/, outside /api/: the API's own CorsMiddleware (CORS_URLS_REGEX) and its
settings never see them, so whatever an entry does here, the real /api/ keeps refusing.
/leaks/<slug>/mistake/... answers under the entry's mistake, /leaks/<slug>/fixed/... under its fix.
"""

import re

from django.apps import apps
from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lab import cors_runner
from lab.api import ApiError, api_view, form_or_json_body
from leaks import csrf
from leaks.catalogue import CATALOGUE, HAND_WRITTEN, LEAKS, Leak
from leaks.outcomes import message, outcome, row_of
from ledger.runs import not_recorded, run_named

VARIANTS = ("mistake", "fixed")
LABEL = r"[A-Za-z0-9_-]{1,40}"


def leak_of(slug: str, variant: str, attack: str) -> Leak:
    leak = CATALOGUE.get(slug)
    if leak is None or variant not in VARIANTS or leak.attack != attack:
        raise Http404
    return leak


def cors_config(leak: Leak, variant: str) -> cors_runner.CorsConfig:
    resolved = leak.resolved("mistake" if variant == "mistake" else "fix")
    return cors_runner.CorsConfig(**{name: tuple(value) if isinstance(value, list) else value
                                     for name, value in resolved.items()})


def profile_model():
    # The display name the real /api/me/ serves (experiments.Profile). Looked up in Django's app
    # registry rather than imported: the apps of one floor do not import each other.
    return apps.get_model("experiments", "Profile")


def victim(request):
    if not request.user.is_authenticated:
        raise ApiError(401, "not_logged_in", _("No session: log in first."))
    return request.user


def user_json(user) -> dict:
    profile = profile_model().objects.filter(user=user).first()
    return {"username": user.username, "display_name": profile.display_name if profile else user.username}


@api_view("GET")
def me_answer(request):
    return JsonResponse({"user": user_json(victim(request))})


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
    leak = leak_of(slug, variant, "read")
    if leak.hand_written and variant == "mistake":
        return hand_written_answer(HAND_WRITTEN[leak.hand_written], request)
    return cors_runner.answer(cors_config(leak, variant), request, me_answer)


# The global CSRF check is switched off for this view only so that the entry's own CSRF check
# (leaks/csrf.py), under the entry's CSRF_TRUSTED_ORIGINS, is the one that decides.
@csrf_exempt
@api_view("POST")
def change_display_name(request, slug, variant):
    leak = leak_of(slug, variant, "form")
    trusted = leak.resolved("mistake" if variant == "mistake" else "fix")["CSRF_TRUSTED_ORIGINS"]
    refused = csrf.refusal(request, trusted)
    if refused is not None:
        return refused
    user = victim(request)
    name = form_or_json_body(request, "display_name")["display_name"].strip()
    if len(name) > 40:
        raise ApiError(400, "invalid_display_name", _("Use at most 40 characters."))
    profile_model().objects.update_or_create(user=user, defaults={"display_name": name})
    return JsonResponse({"user": user_json(user)})


@api_view("GET", "OPTIONS")
def catalogue_answer(request):
    return JsonResponse({"leaks": [leak.as_json() for leak in LEAKS]})


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


def cell(entry) -> dict:
    code = outcome(entry.request, entry.response, settings.SESSION_COOKIE_NAME)
    return {"outcome": code, "message": message(code, entry.response["status"]),
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
                found[(leak.slug, row_of(entry.request), samesite, label, variant)] = cell(entry)
    column_keys = sorted({(key[2], key[3]) for key in found},
                         key=lambda column: (SAMESITE_ORDER.get(column[0], 9), labels.index(column[1])))
    tables = []
    for leak in LEAKS:
        rows = [{"row": row, "cells": [{"samesite": samesite, "browser": label,
                                        **{variant: found.get((leak.slug, row, samesite, label, variant))
                                           for variant in VARIANTS}}
                                       for samesite, label in column_keys]}
                for row in ("sibling", "cross-site")]
        tables.append({**leak.as_json(), "rows": rows})
    return JsonResponse({"columns": [{"samesite": s, "browser": b} for s, b in column_keys], "tables": tables})
