"""Records what the API received and answered, for the page to show and the tests to assert on.

It sits outside every other middleware, so it also sees the preflights that CorsMiddleware answers
by itself, the 403s of the CSRF check and the error pages. JavaScript never sees a preflight; this
is where the lab shows it.
"""

import json
import logging
import re

from django.db import DatabaseError

from ledger.models import MAX_ENTRIES_PER_RUN, Entry, Run

RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")
# The endpoints that READ a run (the ledger, a scenario's verdict) must not add to it.
NOT_RECORDED = re.compile(r"^/api/(ledger/|scenarios/[^/]+/verdict/)")
logger = logging.getLogger(__name__)


def valid_run_id(value: str | None) -> bool:
    return bool(value) and RUN_ID.fullmatch(value) is not None


def describe_request(request) -> dict:
    headers = request.headers
    return {
        "method": request.method,
        "path": request.path,
        "origin": headers.get("Origin"),
        "sec_fetch_site": headers.get("Sec-Fetch-Site"),
        "sec_fetch_mode": headers.get("Sec-Fetch-Mode"),
        "sec_fetch_dest": headers.get("Sec-Fetch-Dest"),
        "access_control_request_method": headers.get("Access-Control-Request-Method"),
        "access_control_request_headers": headers.get("Access-Control-Request-Headers"),
        # Which cookies arrived is the lesson; their values are nobody's business.
        "cookies": sorted(request.COOKIES),
        "authorization": headers.get("Authorization", "").split(" ")[0] or None,
        "content_type": request.content_type or None,
    }


def describe_set_cookie(name: str, morsel) -> dict:
    # Not `value not in ("", False)`: 0 == False, and max-age=0 is what clears a cookie.
    attributes = {key: value for key, value in morsel.items() if value != "" and value is not False}
    return {"name": name, "cleared": morsel.value == "", **attributes}


def error_of(response) -> dict | None:
    """The {"error", "message"} of the API's own JSON errors (Django's CSRF reason, say)."""
    if response.status_code < 400 or response.get("Content-Type") != "application/json":
        return None
    try:
        body = json.loads(response.content)
    except (ValueError, AttributeError):
        return None
    return {"code": body.get("error"), "message": body.get("message")} if isinstance(body, dict) else None


def describe_response(response) -> dict:
    return {
        "status": response.status_code,
        "error": error_of(response),
        # Set-Cookie is not among these (Django keeps cookies apart): see set_cookies.
        "headers": {name.lower(): value for name, value in response.items()},
        "set_cookies": [describe_set_cookie(name, morsel) for name, morsel in response.cookies.items()],
    }


def record(run_id: str, request, response) -> None:
    run, created = Run.objects.get_or_create(run_id=run_id)
    if created:
        Run.drop_old_runs()
    if run.entries.count() < MAX_ENTRIES_PER_RUN:
        Entry.objects.create(run=run, request=describe_request(request), response=describe_response(response))


class LedgerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        run_id = request.GET.get("run")
        if valid_run_id(run_id) and not NOT_RECORDED.match(request.path):
            try:
                record(run_id, request, response)
            except DatabaseError:
                # The lab's answer matters more than its record of it.
                logger.exception("ledger: could not record %s %s", request.method, request.path)
        return response
