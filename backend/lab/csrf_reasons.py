"""Django's CSRF failure reasons, told in the lab's own sentences, in the request's language.

Django hands CSRF_FAILURE_VIEW an English reason that it never translates ("Origin checking failed -
https://x does not match any trusted origins.", "CSRF cookie not set."...). That exact English is
what a learner meets in logs and search engines, so the API keeps it as the `reason` field, and
says the same thing in `message` through gettext, with a stable `reason_code` for scripts.

The patterns are Django 5.2's reasons (django/middleware/csrf.py: the REASON_* constants and the
"CSRF token from ..." sentences of CsrfViewMiddleware._check_token). lab/tests/test_csrf_reasons.py
makes the real middleware refuse a request for each one, so a Django upgrade that rewords a reason
fails there; an unknown reason is never lost: it gets the generic sentence, and stays in `reason`.
"""

import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import HttpHeaders
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# reason_code -> (Django's reason as a pattern, the lab's sentence). The named groups are the
# values Django puts in its reason; the sentence uses them, or those of token_source().
REASONS = {
    "origin_untrusted": (
        r"Origin checking failed - (?P<origin>.*) does not match any trusted origins\.",
        gettext_lazy("The request's Origin, %(origin)s, is not trusted: it is neither this API's own origin "
                     "nor in CSRF_TRUSTED_ORIGINS."),
    ),
    "referer_missing": (
        r"Referer checking failed - no Referer\.",
        gettext_lazy("An HTTPS request with neither an Origin nor a Referer header: Django cannot tell which "
                     "page sent it."),
    ),
    "referer_untrusted": (
        r"Referer checking failed - (?P<referer>.*) does not match any trusted origins\.",
        gettext_lazy("The Referer, %(referer)s, is not a page of a trusted origin (this API's own origin or "
                     "CSRF_TRUSTED_ORIGINS)."),
    ),
    "referer_malformed": (
        r"Referer checking failed - Referer is malformed\.",
        gettext_lazy("The Referer header is not a valid URL."),
    ),
    "referer_insecure": (
        r"Referer checking failed - Referer is insecure while host is secure\.",
        gettext_lazy("The Referer is an http:// page, and this API is served over HTTPS."),
    ),
    "cookie_missing": (
        r"CSRF cookie not set\.",
        gettext_lazy("No CSRF cookie came with the request (GET /api/csrf/ sets it; a cross-origin fetch "
                     "sends it only with credentials: \"include\")."),
    ),
    "cookie_incorrect_length": (
        r"CSRF cookie has incorrect length\.",
        gettext_lazy("The CSRF cookie has the wrong length (32 or 64 characters expected)."),
    ),
    "cookie_invalid_characters": (
        r"CSRF cookie has invalid characters\.",
        gettext_lazy("The CSRF cookie holds characters other than letters and digits."),
    ),
    "token_missing": (
        r"CSRF token missing\.",
        gettext_lazy("The CSRF token is missing: send it in the %(header)s header (or a form's "
                     "csrfmiddlewaretoken field)."),
    ),
    "token_incorrect_length": (
        r"CSRF token from (?:POST|the '(?P<header>[^']*)' HTTP header) has incorrect length\.",
        gettext_lazy("The CSRF token from %(source)s has the wrong length (32 or 64 characters expected)."),
    ),
    "token_invalid_characters": (
        r"CSRF token from (?:POST|the '(?P<header>[^']*)' HTTP header) has invalid characters\.",
        gettext_lazy("The CSRF token from %(source)s holds characters other than letters and digits."),
    ),
    "token_incorrect": (
        r"CSRF token from (?:POST|the '(?P<header>[^']*)' HTTP header) incorrect\.",
        gettext_lazy("The CSRF token from %(source)s does not match the CSRF cookie."),
    ),
}
# origin_untrusted, when the Origin names this very host over https and Django believed the request
# was plain http: the proxy lost the scheme (no X-Forwarded-Proto, or no SECURE_PROXY_SSL_HEADER).
SCHEME_LOST_MESSAGE = gettext_lazy(
    "The request's Origin, %(origin)s, is this API's own origin, but Django compared it with "
    "%(own_origin)s: it took this HTTPS request for plain http (no X-Forwarded-Proto from the proxy, "
    "or no SECURE_PROXY_SSL_HEADER), and %(origin)s is not in CSRF_TRUSTED_ORIGINS either.")
UNKNOWN = "unknown"
UNKNOWN_MESSAGE = gettext_lazy("Django's CSRF check refused the request; its reason, in English: %(reason)s")


def header_name() -> str:
    """CSRF_HEADER_NAME (HTTP_X_CSRFTOKEN) as Django's own reasons spell it: X-Csrftoken."""
    return HttpHeaders.parse_header_name(settings.CSRF_HEADER_NAME)


def token_source(header: str | None) -> str:
    # Django names a header token's source by the header, and a form's by "POST".
    return _("the %(header)s header") % {"header": header} if header else _("the form field csrfmiddlewaretoken")


def django_reason_of(response: dict) -> str:
    """Django's reason in a 403 as the ledger recorded it (ledger/middleware.py error_of). Entries
    recorded before `reason` existed held it in `message`."""
    error = response.get("error") or {}
    return error.get("reason", error.get("message")) or ""


def match(reason: str) -> tuple[str, dict]:
    """(reason_code, the values Django put in it) of Django's `reason`; ("unknown", {}) if none fits."""
    for code, (pattern, _message) in REASONS.items():
        found = re.fullmatch(pattern, reason or "")
        if found:
            return code, {name: value for name, value in found.groupdict().items() if value is not None}
    return UNKNOWN, {}


def own_origin(request) -> str | None:
    """The origin Django's Origin check compares a request's Origin with before CSRF_TRUSTED_ORIGINS
    (CsrfViewMiddleware: "https" if request.is_secure() else "http", then the Host); None when the
    Host is not an allowed one."""
    try:
        return f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    except DisallowedHost:
        return None


def scheme_lost(origin: str, own: str | None) -> bool:
    """The Origin is https://<this Host>, and Django made it http://<this Host>."""
    return origin.startswith("https://") and own == "http://" + origin.removeprefix("https://")


def explain(reason: str, own: str | None = None) -> tuple[str, str]:
    """(reason_code, the lab's sentence in the active language) for Django's `reason`; `own`: the
    request's own_origin(), which tells a lost scheme from an untrusted page."""
    code, values = match(reason)
    if code == UNKNOWN:
        return code, str(UNKNOWN_MESSAGE) % {"reason": reason or "-"}
    if code == "origin_untrusted" and scheme_lost(values["origin"], own):
        return code, str(SCHEME_LOST_MESSAGE) % {"origin": values["origin"], "own_origin": own}
    values = {"header": header_name(), "source": token_source(values.get("header")), **values}
    return code, str(REASONS[code][1]) % values
