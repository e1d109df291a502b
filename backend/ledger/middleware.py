"""Records what the API received and answered, for the page to show and the tests to assert on.

It sits outside every other middleware, so it also sees the preflights that CorsMiddleware answers
by itself, the 403s of the CSRF check and the error pages. JavaScript never sees a preflight; this
is where the lab shows it.
"""

import json
import logging

from django.conf import settings
from django.db import DatabaseError
from django.urls import Resolver404, resolve

from ledger.models import Entry, Run
from ledger.runs import owner_of, run_id_of

logger = logging.getLogger(__name__)

# One entry stays small whatever the request carried: each string is cut, and an entry over
# MAX_ENTRY_BYTES keeps only the headers that carry a lesson.
MAX_STRING = 200
MAX_ENTRY_BYTES = 2048
LESSON_HEADERS = ("access-control-", "content-type", "location", "vary", "www-authenticate")
# IANA's HTTP Authentication Scheme Registry, plus DRF's "Token". Only a scheme from this list is
# recorded: anything else in Authorization may be a credential, whatever its shape.
KNOWN_AUTH_SCHEMES = {scheme.lower(): scheme for scheme in (
    "Basic", "Bearer", "Concealed", "Digest", "DPoP", "GNAP", "HOBA", "Mutual", "Negotiate",
    "OAuth", "PrivateToken", "SCRAM-SHA-1", "SCRAM-SHA-256", "vapid", "Token")}


def cut(value):
    return value[:MAX_STRING] + "…" if isinstance(value, str) and len(value) > MAX_STRING else value


def auth_scheme(value: str | None) -> str | None:
    if not value:
        return None
    words = value.split(None, 1)
    first = words[0].lower() if words else ""
    return KNOWN_AUTH_SCHEMES.get(first, "(not a known scheme: not recorded)")


def describe_request(request) -> dict:
    headers = request.headers
    return {
        "method": cut(request.method),
        "path": cut(request.path),
        "origin": cut(headers.get("Origin")),
        "sec_fetch_site": cut(headers.get("Sec-Fetch-Site")),
        "sec_fetch_mode": cut(headers.get("Sec-Fetch-Mode")),
        "sec_fetch_dest": cut(headers.get("Sec-Fetch-Dest")),
        "access_control_request_method": cut(headers.get("Access-Control-Request-Method")),
        "access_control_request_headers": cut(headers.get("Access-Control-Request-Headers")),
        # Which cookies arrived is the lesson; their values are nobody's business.
        "cookies": [cut(name) for name in sorted(request.COOKIES)[:30]],
        "authorization": auth_scheme(headers.get("Authorization")),
        "content_type": cut(request.content_type) or None,
    }


def describe_set_cookie(name: str, morsel) -> dict:
    # Not `value not in ("", False)`: 0 == False, and max-age=0 is what clears a cookie.
    attributes = {key: cut(value) for key, value in morsel.items() if value != "" and value is not False}
    return {"name": name, "cleared": morsel.value == "", **attributes}


def error_of(response) -> dict | None:
    """The {"error", "message"} of the API's own JSON errors, and Django's English CSRF `reason`
    (lab/errors.py csrf_failure), which tells what stopped an attack in any language."""
    if response.status_code < 400 or response.get("Content-Type") != "application/json":
        return None
    try:
        body = json.loads(response.content)
    except (ValueError, AttributeError):
        return None
    if not isinstance(body, dict):
        return None
    recorded = {"code": cut(body.get("error")), "message": cut(body.get("message"))}
    if "reason" in body:
        recorded["reason"] = cut(body["reason"])
    return recorded


def describe_response(response) -> dict:
    return {
        "status": response.status_code,
        # The setting in force when this answer was made: a later change of .env must not reword
        # what an old request showed.
        "session_cookie_samesite": settings.SESSION_COOKIE_SAMESITE,
        "error": error_of(response),
        # Set-Cookie is not among these (Django keeps cookies apart): see set_cookies.
        "headers": {name.lower(): cut(value) for name, value in response.items()},
        "set_cookies": [describe_set_cookie(name, morsel) for name, morsel in response.cookies.items()],
    }


def size_of(request: dict, response: dict) -> int:
    return len(json.dumps([request, response]))


def bounded(request: dict, response: dict) -> tuple[dict, dict]:
    if size_of(request, response) > MAX_ENTRY_BYTES:
        response = {**response, "headers": {name: value for name, value in response["headers"].items()
                                             if name.startswith(LESSON_HEADERS)}, "cut": True}
        request = {**request, "cookies": request["cookies"][:10]}
    return request, response


def record(run_id: str, request, response) -> None:
    run = Run.for_recording(run_id, owner_of(request))
    if run is None or run.entries.count() >= Run.MAX_ENTRIES_PER_RUN:
        return
    described_request, described_response = bounded(describe_request(request), describe_response(response))
    Entry.objects.create(run=run, request=described_request, response=described_response)


def is_recorded(request) -> bool:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return True
    return not getattr(view, "ledger_not_recorded", False)


class LedgerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        run_id = run_id_of(request)
        if run_id and is_recorded(request):
            try:
                record(run_id, request, response)
            except DatabaseError:
                # The lab's answer matters more than its record of it.
                logger.exception("ledger: could not record %s %s", request.method, request.path)
        return response
