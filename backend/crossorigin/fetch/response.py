"""What the server answered, and what the browser makes of it: the CORS check on an answer, the
checks on a preflight's answer, the headers the page may read, and the Verdict.
https://fetch.spec.whatwg.org/#cors-check, https://fetch.spec.whatwg.org/#cors-preflight-fetch
"""

import re
from dataclasses import dataclass, field

from crossorigin.fetch.engines import differs
from crossorigin.fetch.headers import header, token_list
from crossorigin.fetch.messages import PREFLIGHT_PREFIX
from crossorigin.fetch.request import (
    SAFELISTED_METHODS, PageRequest, normalize_method, sends_credentials, unsafe_request_headers,
)

SAFELISTED_RESPONSE_HEADERS = {"cache-control", "content-language", "content-length", "content-type",
                               "expires", "last-modified", "pragma"}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    # name -> value; a list of values stands for repeated header lines, which the browser joins
    # with ", " (so two Access-Control-Allow-Origin lines read as "a, b").
    headers: dict
    url: str = ""   # the URL that answered; needed only for the hops of a redirect chain


@dataclass(frozen=True)
class Verdict:
    readable: bool
    reason: str | None
    why: str
    fix: str
    preflight_needed: bool
    failed_at: str | None = None  # "request", "preflight", "redirect" or "response" when blocked
    readable_headers: tuple = ()
    response_type: str = "cors"   # "basic", "cors", "opaque" or "error" (a TypeError for the page)
    origin_sent: str | None = None  # the Origin header of the last request sent ("null" once tainted)
    request_headers: tuple = ()   # the request headers fetch() kept, lower-cased and sorted
    preflights: int = 0           # preflights this one fetch() sent, over every hop
    engine_rules: tuple = field(default=())  # rows of DEVIATIONS[engine] that played a part


def access_check(request: PageRequest, headers: dict, origin: str) -> str | None:
    """The CORS check (cors.cc CheckAccess); origin is what the request's Origin header said."""
    allow_origin = header(headers, "access-control-allow-origin")
    if allow_origin == "*":
        return "WildcardOriginNotAllowed" if sends_credentials(request) else None
    if allow_origin is None:
        return "MissingAllowOriginHeader"
    if allow_origin != origin:
        if "," in allow_origin or " " in allow_origin:
            return "MultipleAllowOriginValues"
        if allow_origin != "null" and not re.fullmatch(r"[a-z][a-z0-9+.-]*://[^/?#\s]+", allow_origin):
            return "InvalidAllowOriginValue"
        return "AllowOriginMismatch"
    if sends_credentials(request) and header(headers, "access-control-allow-credentials") != "true":
        return "InvalidAllowCredentials"
    return None


def is_redirect(response: RecordedResponse) -> bool:
    # Without a Location a 3xx is an ordinary answer (a 300 or 304 preflight fails on its status).
    return response.status in REDIRECT_STATUSES and header(response.headers, "location") is not None


def preflight_check(request: PageRequest, preflight: RecordedResponse, engine: str, origin: str,
                    rules: set) -> tuple[str, dict] | None:
    headers = preflight.headers
    if is_redirect(preflight):
        return "PreflightDisallowedRedirect", {}
    access = access_check(request, headers, origin)
    if access:
        return PREFLIGHT_PREFIX + access, {}
    if not 200 <= preflight.status < 300:
        return "PreflightInvalidStatus", {}
    wildcard_allowed = not sends_credentials(request)

    methods = token_list(header(headers, "access-control-allow-methods"))
    if methods is None:
        return "InvalidAllowMethodsPreflightResponse", {}
    allowed = token_list(header(headers, "access-control-allow-headers"))
    if allowed is None:
        return "InvalidAllowHeadersPreflightResponse", {}

    # Byte-for-byte: 'patch' is not allowed by 'PATCH' (fetch() never upper-cases it).
    method = normalize_method(request.method)
    if not (method in SAFELISTED_METHODS or method in methods or ("*" in methods and wildcard_allowed)):
        return "MethodDisallowedByPreflightResponse", {"allow_methods": ", ".join(methods) or "none"}

    allowed = {name.lower() for name in allowed}
    unsafe = unsafe_request_headers(request, engine)
    if "*" in allowed and wildcard_allowed:
        if "authorization" in unsafe and "authorization" not in allowed:
            rules.add("wildcard_covers_authorization")
            if not differs(engine, "wildcard_covers_authorization"):
                return "HeaderDisallowedByPreflightResponse", {"header": "authorization",
                                                               "message": "AuthorizationNotCoveredByWildcard"}
        return None
    for name in unsafe:
        if name not in allowed:
            message = "HeaderDisallowedWildcardWithCredentials" if "*" in allowed else None
            return "HeaderDisallowedByPreflightResponse", {"header": name, "message": message}
    return None


def readable_headers(request: PageRequest, response: RecordedResponse, basic: bool = False) -> tuple:
    """What the page's script can read: a basic filtered response hides only Set-Cookie; a CORS
    filtered one also every header neither safelisted nor exposed."""
    present = {name.lower() for name in response.headers}
    if basic:
        return tuple(sorted(present - {"set-cookie", "set-cookie2"}))
    exposed = {name.lower() for name in token_list(header(response.headers, "access-control-expose-headers")) or []}
    if "*" in exposed and not sends_credentials(request):
        visible = present
    else:
        visible = present & (SAFELISTED_RESPONSE_HEADERS | exposed)
    return tuple(sorted(visible - {"set-cookie", "set-cookie2"}))

