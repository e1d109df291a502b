"""A small model of the Fetch standard's CORS rules, and of where Chromium departs from them.

Given the request a page's fetch() asks for and the responses the server recorded (the ledger),
it predicts what the browser does: hand the response to the page, or block it, with the reason
Chromium reports in DevTools (corsErrorStatus.corsError), one plain sentence of why, and the
setting that would change it. Pure Python; the e2e suite checks every prediction against Chromium.

The checks follow the order of Chromium's network/cors code, so that when several things are
wrong, the model names the same one the browser does.
https://fetch.spec.whatwg.org/#http-cors-protocol
"""

import re
from dataclasses import dataclass

# Every user-facing sentence, in one place for translation. {placeholders} are filled in.
MESSAGES = {
    "ReadableSimple": ("No preflight was needed and the server allowed {origin}, so the page can read the answer.", ""),
    "ReadablePreflighted": ("The preflight allowed {method} from {origin}, then the answer allowed it too: readable.", ""),
    "MissingAllowOriginHeader": (
        "The server answered (HTTP {status}) but without Access-Control-Allow-Origin, so the browser kept the answer from the page.",
        "Add the page's origin to CORS_ALLOWED_ORIGINS (django-cors-headers), and make sure error pages pass through CorsMiddleware too."),
    "AllowOriginMismatch": (
        "The server allowed {allow_origin}, not this page's origin {origin}.",
        "Let django-cors-headers echo an allowed origin (CORS_ALLOWED_ORIGINS) instead of a fixed value."),
    "MultipleAllowOriginValues": (
        "Access-Control-Allow-Origin held several values ({allow_origin}); it must hold exactly one.",
        "Send one origin, the one that asked: django-cors-headers does this from CORS_ALLOWED_ORIGINS."),
    "InvalidAllowOriginValue": (
        "Access-Control-Allow-Origin held {allow_origin!r}, which is not an origin.",
        "Send the page's origin, as django-cors-headers does from CORS_ALLOWED_ORIGINS."),
    "WildcardOriginNotAllowed": (
        "A request with credentials is never shared with '*': the server must name the origin.",
        "Use CORS_ALLOWED_ORIGINS with CORS_ALLOW_CREDENTIALS = True, not a hand-written '*'."),
    "InvalidAllowCredentials": (
        "The request carried credentials, but Access-Control-Allow-Credentials was {allow_credentials!r}, not exactly 'true'.",
        "Set CORS_ALLOW_CREDENTIALS = True (django-cors-headers sends exactly 'true')."),
    "PreflightDisallowedRedirect": (
        "The preflight was answered with a redirect (HTTP {status}); browsers never follow redirects for preflights.",
        "Call the URL with its trailing slash (Django's APPEND_SLASH redirects it), and keep CorsMiddleware above CommonMiddleware."),
    "PreflightInvalidStatus": (
        "The preflight was answered with HTTP {status}; it must be a 2xx status.",
        "Let CorsMiddleware (placed above CommonMiddleware) answer OPTIONS with 200."),
    "InvalidAllowMethodsPreflightResponse": (
        "Access-Control-Allow-Methods ({allow_methods!r}) could not be parsed.",
        "List methods as a comma-separated list in CORS_ALLOW_METHODS."),
    "InvalidAllowHeadersPreflightResponse": (
        "Access-Control-Allow-Headers ({allow_headers!r}) could not be parsed.",
        "List header names as a comma-separated list in CORS_ALLOW_HEADERS."),
    "MethodDisallowedByPreflightResponse": (
        "The preflight allowed only {allow_methods}; {method} is not among them, so the request was never sent.",
        "Add {method} to CORS_ALLOW_METHODS."),
    "HeaderDisallowedByPreflightResponse": (
        "The preflight did not allow the request header {header}, so the request was never sent.",
        "Add {header} to CORS_ALLOW_HEADERS."),
    "HeaderDisallowedWildcardWithCredentials": (
        "With credentials, '*' in Access-Control-Allow-Headers is a header literally named '*', so {header} was not allowed.",
        "Name {header} in CORS_ALLOW_HEADERS instead of '*'."),
}
# The access check's reasons get this prefix when the preflight's answer is the one at fault.
PREFLIGHT_PREFIX = "Preflight"
IN_THE_PREFLIGHT = "The preflight failed this check: "

SAFELISTED_METHODS = {"GET", "HEAD", "POST"}
SIMPLE_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
SAFELISTED_RESPONSE_HEADERS = {"cache-control", "content-language", "content-length", "content-type",
                               "expires", "last-modified", "pragma"}
TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
DEFAULT_PREFLIGHT_CACHE_SECONDS = 5   # Chromium, when Access-Control-Max-Age is absent
MAX_PREFLIGHT_CACHE_SECONDS = 7200    # Chromium's cap


@dataclass(frozen=True)
class PageRequest:
    origin: str
    method: str
    headers: dict
    credentials: str = "same-origin"  # "omit" | "same-origin" | "include"


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    headers: dict


@dataclass(frozen=True)
class Verdict:
    readable: bool
    reason: str | None
    why: str
    fix: str
    preflight_needed: bool
    failed_at: str | None = None  # "preflight" or "response" when blocked
    readable_headers: tuple = ()


def _lower(headers: dict) -> dict:
    return {name.lower(): value for name, value in headers.items()}


def _is_safelisted_request_header(name: str, value: str) -> bool:
    name = name.lower()
    if len(value) > 128:
        return False
    if name in ("accept", "accept-language", "content-language"):
        return True
    if name == "content-type":
        return value.split(";")[0].strip().lower() in SIMPLE_CONTENT_TYPES
    if name == "range":
        return re.fullmatch(r"bytes=\d+-\d*", value.strip()) is not None
    return False


def unsafe_request_headers(request: PageRequest) -> list[str]:
    """The headers that make a preflight necessary, lower-cased and sorted, as the browser lists
    them in Access-Control-Request-Headers."""
    return sorted(name.lower() for name, value in request.headers.items()
                  if not _is_safelisted_request_header(name, value))


def needs_preflight(request: PageRequest) -> bool:
    # Credentials alone never trigger a preflight: a GET with cookies is still a simple request.
    # (A common belief, repeated by the article this lab started from.)
    return request.method.upper() not in SAFELISTED_METHODS or bool(unsafe_request_headers(request))


def _sends_credentials(request: PageRequest) -> bool:
    # Every request here is cross-origin, where "same-origin" sends no credentials.
    return request.credentials == "include"


def _access_check(request: PageRequest, headers: dict) -> str | None:
    allow_origin = headers.get("access-control-allow-origin")
    if allow_origin == "*":
        return "WildcardOriginNotAllowed" if _sends_credentials(request) else None
    if allow_origin is None:
        return "MissingAllowOriginHeader"
    if allow_origin != request.origin:
        if "," in allow_origin or " " in allow_origin.strip():
            return "MultipleAllowOriginValues"
        if allow_origin != "null" and not re.fullmatch(r"[a-z][a-z0-9+.-]*://[^/?#\s]+", allow_origin):
            return "InvalidAllowOriginValue"
        return "AllowOriginMismatch"
    if _sends_credentials(request) and headers.get("access-control-allow-credentials") != "true":
        return "InvalidAllowCredentials"
    return None


def _tokens(value: str | None) -> list[str] | None:
    """A comma-separated header list, or None when it does not parse."""
    items = [item.strip() for item in (value or "").split(",") if item.strip()]
    return items if all(TOKEN.match(item) for item in items) else None


def _preflight_check(request: PageRequest, preflight: RecordedResponse, engine: str) -> tuple[str, dict] | None:
    headers = _lower(preflight.headers)
    if 300 <= preflight.status < 400:
        return "PreflightDisallowedRedirect", {}
    access = _access_check(request, headers)
    if access:
        return PREFLIGHT_PREFIX + access, {}
    if not 200 <= preflight.status < 300:
        return "PreflightInvalidStatus", {}
    wildcard_allowed = not _sends_credentials(request)

    methods = _tokens(headers.get("access-control-allow-methods"))
    if methods is None:
        return "InvalidAllowMethodsPreflightResponse", {}
    method = request.method.upper()
    if not (method in SAFELISTED_METHODS or method in {m.upper() for m in methods}
            or ("*" in methods and wildcard_allowed)):
        return "MethodDisallowedByPreflightResponse", {"allow_methods": ", ".join(methods) or "none"}

    allowed = _tokens(headers.get("access-control-allow-headers"))
    if allowed is None:
        return "InvalidAllowHeadersPreflightResponse", {}
    allowed = {name.lower() for name in allowed}
    for header in unsafe_request_headers(request):
        if header in allowed:
            continue
        # The standard: '*' never covers Authorization. Chromium lets '*' cover it.
        if "*" in allowed and wildcard_allowed and (engine == "chromium" or header != "authorization"):
            continue
        message = "HeaderDisallowedWildcardWithCredentials" if "*" in allowed else None
        return "HeaderDisallowedByPreflightResponse", {"header": header, "message": message}
    return None


def _readable_headers(request: PageRequest, response: RecordedResponse) -> tuple:
    present = set(_lower(response.headers))
    exposed = {name.lower() for name in _tokens(_lower(response.headers).get("access-control-expose-headers")) or []}
    if "*" in exposed and not _sends_credentials(request):
        visible = present
    else:
        visible = present & (SAFELISTED_RESPONSE_HEADERS | exposed)
    return tuple(sorted(visible - {"set-cookie", "set-cookie2"}))


def _verdict(reason, request, preflight_needed, failed_at=None, response=None, **details) -> Verdict:
    message_key = details.pop("message", None) or reason
    in_preflight = message_key not in MESSAGES
    why, fix = MESSAGES[message_key.removeprefix(PREFLIGHT_PREFIX) if in_preflight else message_key]
    if in_preflight:
        why = IN_THE_PREFLIGHT + why
    headers = _lower(response.headers) if response else {}
    values = {"origin": request.origin, "method": request.method.upper(),
              "status": response.status if response else "",
              "allow_origin": headers.get("access-control-allow-origin"),
              "allow_credentials": headers.get("access-control-allow-credentials"),
              "allow_methods": headers.get("access-control-allow-methods"),
              "allow_headers": headers.get("access-control-allow-headers"), **details}
    readable = reason in ("ReadableSimple", "ReadablePreflighted")
    return Verdict(readable=readable, reason=None if readable else reason, why=why.format(**values),
                   fix=fix.format(**values), preflight_needed=preflight_needed, failed_at=failed_at,
                   readable_headers=_readable_headers(request, response) if readable and response else ())


def judge(request: PageRequest, preflight: RecordedResponse | None, response: RecordedResponse | None,
          *, engine: str = "chromium") -> Verdict:
    """What the browser does with this request, given what the server answered."""
    preflight_needed = needs_preflight(request)
    if preflight_needed:
        if preflight is None:
            raise ValueError("a preflight was needed but none was recorded")
        failure = _preflight_check(request, preflight, engine)
        if failure:
            reason, details = failure
            return _verdict(reason, request, True, "preflight", preflight, **details)
    if response is None:
        raise ValueError("no recorded response to judge")
    access = _access_check(request, _lower(response.headers))
    if access:
        return _verdict(access, request, preflight_needed, "response", response)
    return _verdict("ReadablePreflighted" if preflight_needed else "ReadableSimple", request,
                    preflight_needed, response=response)


def deviation(request: PageRequest, preflight: RecordedResponse | None, response: RecordedResponse | None) -> str | None:
    """One sentence when Chromium and the Fetch standard disagree about this exchange."""
    chromium = judge(request, preflight, response, engine="chromium")
    standard = judge(request, preflight, response, engine="standard")
    if chromium.readable == standard.readable and chromium.reason == standard.reason:
        return None
    return (f"The Fetch standard says {standard.reason or 'readable'}; Chromium says "
            f"{chromium.reason or 'readable'}: '*' in Access-Control-Allow-Headers does not cover "
            f"Authorization in the standard, but does in Chromium.")


def preflight_cache_seconds(preflight: RecordedResponse) -> int:
    """How long Chromium reuses a passed preflight for the same URL, method and headers."""
    value = _lower(preflight.headers).get("access-control-max-age", "").strip()
    if not value.isdigit():
        return DEFAULT_PREFLIGHT_CACHE_SECONDS
    return min(int(value), MAX_PREFLIGHT_CACHE_SECONDS)
