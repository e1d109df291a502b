"""Who got the victim's data, read from the server's record of one attack (pure, unit-tested).

The server cannot see into the attacker's page, but it knows everything that decides it: did the
session cookie arrive, what did the view answer, and did the CORS headers share the answer with
the page's origin. For a credentialed fetch the Fetch standard's CORS check shares a response only
if Access-Control-Allow-Origin is exactly the request's Origin and Access-Control-Allow-Credentials
is exactly "true" (https://fetch.spec.whatwg.org/#cors-check). e2e/test_leaks.py checks every
outcome against what Chromium let the attacker's page read.
"""

from django.utils.translation import gettext_lazy as _

from lab.csrf_reasons import django_reason_of, match

MESSAGES = {
    "leaked": _("LEAKED: the session cookie arrived and CORS shared the answer with the attacker's page."),
    "cors_refused": _("CORS held: the answer was not shared with this origin."),
    "no_cookie": _("SameSite (or third-party-cookie blocking) held: no session cookie, the attacker read a 401."),
    "written": _("WRITTEN: the session cookie arrived and Django's CSRF check let the POST through."),
    "csrf_origin": _("Django's Origin check held: 403."),
    "csrf_token": _("The Origin check let it through; the CSRF token check held: 403."),
    "other": _("Something else: HTTP %(status)s."),
}


def shares_with_page(request: dict, response: dict) -> bool:
    headers = response["headers"]
    return (request["origin"] is not None
            and headers.get("access-control-allow-origin") == request["origin"]
            and headers.get("access-control-allow-credentials") == "true")


def outcome(request: dict, response: dict, session_cookie: str) -> str:
    """`request`, `response` as the ledger records them."""
    arrived = session_cookie in request["cookies"]
    status = response["status"]
    if request["method"] == "POST":
        if status == 200 and arrived:
            return "written"
        if status == 403:
            return "csrf_origin" if match(django_reason_of(response))[0] == "origin_untrusted" else "csrf_token"
        return "no_cookie" if status == 401 else "other"
    if not shares_with_page(request, response):
        return "cors_refused"
    if status == 401 or not arrived:
        return "no_cookie"
    return "leaked" if status == 200 else "other"


def row_of(request: dict) -> str:
    """The table's row: the sibling (same site) or a cross-site attacker, as the browser said.
    A sandboxed frame's opaque origin is never same-site, wherever the frame sits."""
    return "sibling" if request["sec_fetch_site"] == "same-site" else "cross-site"


def message(code: str, status: int) -> str:
    return str(MESSAGES[code]) % {"status": status}
