"""The request a page's fetch() builds: its method, the headers it keeps, and whether it needs
a preflight. https://fetch.spec.whatwg.org/#cors-preflight-fetch
"""

import re
from dataclasses import dataclass

from crossorigin.fetch.engines import differs
from crossorigin.fetch.headers import (
    CHROMIUM_SAFELISTED_HINTS, HTTP_WHITESPACE, TOKEN, is_safelisted_request_header, split_values,
)

SAFELISTED_METHODS = {"GET", "HEAD", "POST"}
NORMALIZED_METHODS = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}
FORBIDDEN_METHODS = {"CONNECT", "TRACE", "TRACK"}
FORBIDDEN_REQUEST_HEADERS = {
    "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
    "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
    "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via"}
METHOD_OVERRIDE_HEADERS = {"x-http-method", "x-http-method-override", "x-method-override"}
NO_CORS_SAFELISTED_NAMES = {"accept", "accept-language", "content-language", "content-type"}
SAFELISTED_VALUES_LIMIT = 1024        # total bytes of safelisted values before they turn unsafe


@dataclass(frozen=True)
class PageRequest:
    origin: str
    method: str
    # name -> value; a list of values stands for the same name appended several times,
    # as fetch(url, {headers: [["Accept", "a"], ["Accept", "b"]]}) does.
    headers: dict
    credentials: str = "same-origin"  # "omit" | "same-origin" | "include"
    mode: str = "cors"                # "cors" | "no-cors" | "same-origin"
    url: str = ""                     # "" = some URL on another origin (every lab scenario)


def normalize_method(method: str) -> str:
    """fetch() upper-cases only the six methods it knows; 'patch' is sent as written."""
    return method.upper() if method.upper() in NORMALIZED_METHODS else method


def method_error(request: PageRequest) -> str | None:
    # new Request(): invalid or forbidden method, then the no-cors method check.
    if not TOKEN.fullmatch(request.method):
        return "InvalidMethod"
    if request.method.upper() in FORBIDDEN_METHODS:
        return "ForbiddenMethod"
    if request.mode == "no-cors" and normalize_method(request.method) not in SAFELISTED_METHODS:
        return "NoCorsMethodNotSafelisted"
    return None


def _header_list(request: PageRequest) -> list[tuple[str, str]]:
    return [(name, str(value).strip(HTTP_WHITESPACE)) for name, values in request.headers.items()
            for value in (values if isinstance(values, (list, tuple)) else [values])]


def is_forbidden_request_header(name: str, value: str) -> bool:
    """https://fetch.spec.whatwg.org/#forbidden-request-header: fetch() drops these silently."""
    name = name.lower()
    if name in FORBIDDEN_REQUEST_HEADERS or name.startswith(("proxy-", "sec-")):
        return True
    return name in METHOD_OVERRIDE_HEADERS and any(m.upper() in FORBIDDEN_METHODS for m in split_values(value))


def sent_headers(request: PageRequest) -> list[tuple[str, str]]:
    """The header list fetch() keeps: forbidden headers dropped; in no-cors mode only the
    no-CORS-safelisted ones (each checked with the values before it joined) and never Range."""
    kept = []
    for name, value in _header_list(request):
        if is_forbidden_request_header(name, value):
            continue
        if request.mode == "no-cors":
            joined = ", ".join([v for n, v in kept if n.lower() == name.lower()] + [value])
            if name.lower() not in NO_CORS_SAFELISTED_NAMES or not is_safelisted_request_header(name, joined):
                continue
        kept.append((name, value))
    return kept


def _is_safelisted(name: str, value: str, engine: str) -> bool:
    pattern = CHROMIUM_SAFELISTED_HINTS.get(name.lower())
    if pattern and differs(engine, "client_hint_headers_safelisted"):
        return len(value) <= 128 and re.fullmatch(pattern, value) is not None
    return is_safelisted_request_header(name, value)


def _checked_headers(request: PageRequest, engine: str) -> list[tuple[str, str]]:
    headers = sent_headers(request)
    if not differs(engine, "combines_duplicate_request_headers"):
        return headers
    joined = {}
    for name, value in headers:
        joined.setdefault(name.lower(), []).append(value)
    return [(name, ", ".join(values)) for name, values in joined.items()]


def unsafe_request_headers(request: PageRequest, engine: str = "chromium") -> list[str]:
    """The 'CORS-unsafe request-header names': what makes a preflight necessary, lower-cased,
    sorted and deduplicated, as the browser lists them in Access-Control-Request-Headers. Once the
    safelisted values add up to more than 1024 bytes, they count as unsafe too."""
    unsafe, potentially_unsafe, size = set(), set(), 0
    headers = _checked_headers(request, engine)
    if not any(name.lower() == "accept" for name, _ in headers):
        # fetch() appends Accept: */* to a request without one before this check (the standard's
        # fetch, "if request's header list does not contain `Accept`"): its 3 bytes count too.
        headers.append(("Accept", "*/*"))
    for name, value in headers:
        if _is_safelisted(name, value, engine):
            potentially_unsafe.add(name.lower())
            size += len(value.encode("latin-1", "replace"))
        else:
            unsafe.add(name.lower())
    if size > SAFELISTED_VALUES_LIMIT:
        unsafe |= potentially_unsafe
    return sorted(unsafe)


def needs_preflight(request: PageRequest, engine: str = "chromium") -> bool:
    # Credentials alone never trigger a preflight: a GET with cookies is still a simple request.
    # (A common belief, repeated by the article this lab started from.)
    if request.mode != "cors" or method_error(request):
        return False
    method = normalize_method(request.method)
    return method not in SAFELISTED_METHODS or bool(unsafe_request_headers(request, engine))


def sends_credentials(request: PageRequest) -> bool:
    # Every request here is cross-origin, where "same-origin" sends no credentials.
    return request.credentials == "include"

