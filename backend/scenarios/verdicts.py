"""A small model of the Fetch standard's CORS rules, and of where Chromium departs from them.

Given the request a page's fetch() asks for and the responses the server recorded (the ledger),
it predicts what the browser does: hand the response to the page, or block it, with the reason
Chromium reports in DevTools (corsErrorStatus.corsError), one plain sentence of why, and the
setting that would change it. Pure Python (no Django); the e2e suite checks predictions against
Chromium.

The checks follow the order of Chromium's network code (services/network/cors/cors_url_loader.cc,
preflight_controller.cc, preflight_result.cc, public/cpp/cors/cors.cc), so that when several
things are wrong the model names the same one the browser does. Where Chromium and the standard
disagree, the difference is one row of CHROMIUM_DEVIATIONS: nothing else branches on the engine.

Reasons a verdict can carry:
- a network::mojom::CorsError name, as Chromium reports it (MissingAllowOriginHeader, ...);
- Opaque: a no-cors request; fetch() resolves with an opaque response (status 0, no headers,
  no body), which is never a CORS error;
- ForbiddenMethod, InvalidMethod, NoCorsMethodNotSafelisted, DisallowedByMode: fetch() rejects
  with a TypeError before anything is sent (failed_at "request", nothing needs a preflight).
  Chromium reports no corsError for them; only DisallowedByMode is a CorsError name;
- TooManyRedirects: the 21st redirect; Chromium reports net::ERR_TOO_MANY_REDIRECTS.
https://fetch.spec.whatwg.org/#http-cors-protocol
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lab.translation import gettext_noop

# Every user-facing sentence, in one place for translation (gettext_noop marks it for
# makemessages; translate() below gives it in the reader's language). {placeholders} are filled in.
MESSAGES = {
    "ReadableSimple": (gettext_noop("No preflight was needed and the server allowed {origin}, so the page can read the answer."), ""),
    "ReadablePreflighted": (gettext_noop("The preflight allowed {method} from {origin}, then the answer allowed it too: readable."), ""),
    "Opaque": (
        gettext_noop("A no-cors request: the page gets an opaque answer (status 0, no headers, no body), never a CORS error."),
        gettext_noop("Use mode 'cors' (the default) and let the server allow {origin} if the page must read the answer.")),
    "ForbiddenMethod": (
        gettext_noop("{method} is a forbidden method: fetch() threw a TypeError and nothing was sent."),
        gettext_noop("Browsers never send CONNECT, TRACE or TRACK; use another method.")),
    "InvalidMethod": (
        gettext_noop("{method!r} is not a valid HTTP method token: fetch() threw a TypeError and nothing was sent."),
        gettext_noop("Use a method made of token characters only, such as PATCH.")),
    "NoCorsMethodNotSafelisted": (
        gettext_noop("In no-cors mode only GET, HEAD and POST are allowed: fetch() threw a TypeError for {method}."),
        gettext_noop("Use mode 'cors' and let the server allow {method}.")),
    "DisallowedByMode": (
        gettext_noop("The request's mode is 'same-origin' but the URL is on another origin: nothing was sent."),
        gettext_noop("Use mode 'cors' for a request to another origin.")),
    "MissingAllowOriginHeader": (
        gettext_noop("The server answered (HTTP {status}) but without Access-Control-Allow-Origin, so the browser kept the answer from the page."),
        gettext_noop("Add the page's origin to CORS_ALLOWED_ORIGINS (django-cors-headers), and make sure error pages pass through CorsMiddleware too.")),
    "AllowOriginMismatch": (
        gettext_noop("The server allowed {allow_origin}, not the request's origin {origin_sent}."),
        gettext_noop("Let django-cors-headers echo an allowed origin (CORS_ALLOWED_ORIGINS) instead of a fixed value.")),
    "MultipleAllowOriginValues": (
        gettext_noop("Access-Control-Allow-Origin held several values ({allow_origin}); it must hold exactly one."),
        gettext_noop("Send one origin, the one that asked: django-cors-headers does this from CORS_ALLOWED_ORIGINS.")),
    "InvalidAllowOriginValue": (
        gettext_noop("Access-Control-Allow-Origin held {allow_origin!r}, which is not an origin."),
        gettext_noop("Send the page's origin, as django-cors-headers does from CORS_ALLOWED_ORIGINS.")),
    "WildcardOriginNotAllowed": (
        gettext_noop("A request with credentials is never shared with '*': the server must name the origin."),
        gettext_noop("Use CORS_ALLOWED_ORIGINS with CORS_ALLOW_CREDENTIALS = True, not a hand-written '*'.")),
    "InvalidAllowCredentials": (
        gettext_noop("The request carried credentials, but Access-Control-Allow-Credentials was {allow_credentials!r}, not exactly 'true'."),
        gettext_noop("Set CORS_ALLOW_CREDENTIALS = True (django-cors-headers sends exactly 'true').")),
    "PreflightDisallowedRedirect": (
        gettext_noop("The preflight was answered with a redirect (HTTP {status}); browsers never follow redirects for preflights."),
        gettext_noop("Call the URL with its trailing slash (Django's APPEND_SLASH redirects it), and keep CorsMiddleware above CommonMiddleware.")),
    "PreflightInvalidStatus": (
        gettext_noop("The preflight was answered with HTTP {status}; it must be a 2xx status."),
        gettext_noop("Let CorsMiddleware (placed above CommonMiddleware) answer OPTIONS with 200.")),
    "InvalidAllowMethodsPreflightResponse": (
        gettext_noop("Access-Control-Allow-Methods ({allow_methods!r}) could not be parsed."),
        gettext_noop("List methods as a comma-separated list in CORS_ALLOW_METHODS.")),
    "InvalidAllowHeadersPreflightResponse": (
        gettext_noop("Access-Control-Allow-Headers ({allow_headers!r}) could not be parsed."),
        gettext_noop("List header names as a comma-separated list in CORS_ALLOW_HEADERS.")),
    "MethodDisallowedByPreflightResponse": (
        gettext_noop("The preflight allowed only {allow_methods}; {method} is not among them (methods compare case-sensitively), so the request was never sent."),
        gettext_noop("Add {method} to CORS_ALLOW_METHODS, spelled exactly as the page sends it.")),
    "HeaderDisallowedByPreflightResponse": (
        gettext_noop("The preflight did not allow the request header {header}, so the request was never sent."),
        gettext_noop("Add {header} to CORS_ALLOW_HEADERS.")),
    "HeaderDisallowedWildcardWithCredentials": (
        gettext_noop("With credentials, '*' in Access-Control-Allow-Headers is a header literally named '*', so {header} was not allowed."),
        gettext_noop("Name {header} in CORS_ALLOW_HEADERS instead of '*'.")),
    "AuthorizationNotCoveredByWildcard": (
        gettext_noop("'*' in Access-Control-Allow-Headers never covers Authorization, so the request was never sent."),
        gettext_noop("Name authorization in CORS_ALLOW_HEADERS (django-cors-headers lists it by default).")),
    "RedirectContainsCredentials": (
        gettext_noop("A redirect pointed to a URL with a user name or password ({location}); a CORS request never follows it."),
        gettext_noop("Redirect to a URL without user:password@.")),
    "CorsDisabledScheme": (
        gettext_noop("A redirect pointed to {location}, which is not http or https; a CORS request never follows it."),
        gettext_noop("Redirect to an https URL.")),
    "TooManyRedirects": (
        gettext_noop("The request was redirected more than 20 times, so the browser gave up."),
        gettext_noop("Fix the redirect loop.")),
    # Said of a check that failed on a redirect response rather than the final one.
    "OnRedirect": (gettext_noop("On a redirect (HTTP {status}) to {location}: "), ""),
    # Said of a request whose origin was 'tainted' by a redirect to another origin.
    "TaintedOrigin": (gettext_noop("After the redirect from another origin the browser sent 'Origin: null'. "), ""),
    # deviation(): the two engines' outcomes, then each engine rule that played a part.
    "Outcome.readable": (gettext_noop("readable"), ""),
    "Outcome.opaque": (gettext_noop("an opaque answer"), ""),
    "Outcome.blocked": (gettext_noop("blocked ({reason}, at the {failed_at})"), ""),
    "Deviation": (gettext_noop("The Fetch standard predicts {standard}; Chromium predicts {chromium}."), ""),
    "DeviationPreflight": (gettext_noop("The standard sends {standard_preflight} preflight; Chromium sends {chromium_preflight}."), ""),
    "Deviation.wildcard_covers_authorization": (
        gettext_noop("'*' in Access-Control-Allow-Headers covers Authorization in Chromium; in the standard it never does."), ""),
    "Deviation.negative_max_age_not_cached": (
        gettext_noop("A negative Access-Control-Max-Age means 'do not cache' in Chromium; the standard falls back to 5 seconds."), ""),
    "Deviation.combines_duplicate_request_headers": (
        gettext_noop("Chromium joins repeated request headers into one value before checking the safelist; the standard checks each."), ""),
    "Deviation.one_cache_entry_per_url": (
        gettext_noop("Chromium keeps only the latest preflight per origin and URL; the standard adds entries per method and header."), ""),
    "Deviation.client_hint_headers_safelisted": (
        gettext_noop("Chromium also safelists DPR, Device-Memory, Width, Viewport-Width, Save-Data and Intervention; the standard does not."), ""),
    "Deviation.long_url_not_cached": (
        gettext_noop("Chromium never caches a preflight for a URL of 1024 characters or more; the standard has no such limit."), ""),
    "Deviation.opaque_origin_not_cached": (
        gettext_noop("Chromium does not reuse a preflight made from an opaque origin (Origin: null); the standard caches it under 'null'."), ""),
    "Deviation.cache_wildcard_never_covers_authorization": (
        gettext_noop("Chromium's preflight cache never lets '*' cover Authorization, so such requests are preflighted every time."), ""),
}
# The access check's reasons get this prefix when the preflight's answer is the one at fault.
PREFLIGHT_PREFIX = "Preflight"
IN_THE_PREFLIGHT = gettext_noop("The preflight failed this check: ")


def translate(message: str) -> str:
    """A sentence of the model in the reader's language. English here; scenarios/apps.py replaces
    this hook with Django's gettext, so that the model itself stays free of Django."""
    return message


def _t(message: str) -> str:
    # "" (no fix) is not a sentence: gettext("") would return the catalogue's header.
    return translate(message) if message else message

# Where Chromium departs from the standard, one row each; judge() and PreflightCache consult only
# this table. The sentence for a row is MESSAGES["Deviation." + key]; chromium-claims.md has the
# evidence (source lines and what a real Chromium 156 did).
CHROMIUM_DEVIATIONS = frozenset({
    "wildcard_covers_authorization",             # feature CorsNonWildcardRequestHeadersSupport is off
    "negative_max_age_not_cached",               # preflight_result.cc ParseAccessControlMaxAge
    "combines_duplicate_request_headers",        # Blink's header map joins repeated names with ", "
    "one_cache_entry_per_url",                   # preflight_cache.cc: cache_[key] = result
    "cache_wildcard_never_covers_authorization",  # CheckIfRequestCanSkipPreflight passes true
    "client_hint_headers_safelisted",            # cors.cc IsCorsSafelistedHeader: DPR, Save-Data, ...
    "long_url_not_cached",                       # preflight_cache.cc AppendEntry: kMaxKeyLength
    "opaque_origin_not_cached",                  # observed: a sandboxed page preflights every time
})
# Firefox ESR and WebKitGTK, as e2e/test_engines.py runs them: a row is added only when a test
# in that engine shows it (docs/engines.md has what each engine did, with its version).
# Firefox ESR 140 logs "Cross-Origin Request Warning" (CORSAllowHeaderFromPreflightDeprecation)
# when it lets '*' cover Authorization, and lets the request through.
FIREFOX_DEVIATIONS = frozenset({"wildcard_covers_authorization"})
WEBKIT_DEVIATIONS = frozenset({"wildcard_covers_authorization"})
DEVIATIONS = {"chromium": CHROMIUM_DEVIATIONS, "firefox": FIREFOX_DEVIATIONS, "webkit": WEBKIT_DEVIATIONS,
              "standard": frozenset()}
ENGINES = tuple(DEVIATIONS)
BROWSERS = ("chromium", "firefox", "webkit")  # the engines a test can run; "standard" is the text

# How each engine names a reason where a tool can read it: Chromium's DevTools uses the model's
# own names (corsErrorStatus); Firefox writes a console sentence, whose key in its string table
# (security.properties) is MDN's name for the error; WebKit tells nothing ("Load failed").
# Only pairs seen in a test in that engine are listed.
# A failed preflight adds CORSDidNotSucceed to the specific sentence.
FIREFOX_REASONS = {
    "MissingAllowOriginHeader": ["CORSMissingAllowOrigin"],
    "AllowOriginMismatch": ["CORSAllowOriginNotMatchingOrigin"],
    "WildcardOriginNotAllowed": ["CORSNotSupportingCredentials"],
    "InvalidAllowCredentials": ["CORSMissingAllowCredentials"],
    "PreflightInvalidStatus": ["CORSDidNotSucceed", "CORSPreflightDidNotSucceed"],
    "PreflightMissingAllowOriginHeader": ["CORSDidNotSucceed", "CORSMissingAllowOrigin"],
    # The redirect answer carries no Access-Control-Allow-Origin, and Firefox names that.
    "PreflightDisallowedRedirect": ["CORSDidNotSucceed", "CORSMissingAllowOrigin"],
    "MethodDisallowedByPreflightResponse": ["CORSDidNotSucceed", "CORSMethodNotFound"],
    "HeaderDisallowedByPreflightResponse": ["CORSDidNotSucceed", "CORSMissingAllowHeaderFromPreflight"],
}
# Verdicts no engine reports as a CORS error (fetch() rejects before sending, or the answer is
# opaque, or the network layer gave up).
NOT_CORS_ERRORS = {"Opaque", "ForbiddenMethod", "InvalidMethod", "NoCorsMethodNotSafelisted", "DisallowedByMode",
                   "TooManyRedirects"}


def reported_as(engine: str, reason: str | None) -> list[str]:
    """The names the engine itself gives this verdict's reason, as a test can read them."""
    if not reason or reason in NOT_CORS_ERRORS:
        return []
    if engine == "chromium":
        return [reason]
    if engine == "firefox":
        return FIREFOX_REASONS.get(reason, ["?" + reason])
    return []


def differs(engine: str, rule: str) -> bool:
    """Does this engine follow the rule of DEVIATIONS instead of the standard?"""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    return rule in DEVIATIONS[engine]


SAFELISTED_METHODS = {"GET", "HEAD", "POST"}
NORMALIZED_METHODS = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}
FORBIDDEN_METHODS = {"CONNECT", "TRACE", "TRACK"}
SIMPLE_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
SAFELISTED_RESPONSE_HEADERS = {"cache-control", "content-language", "content-length", "content-type",
                               "expires", "last-modified", "pragma"}
FORBIDDEN_REQUEST_HEADERS = {
    "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
    "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
    "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via"}
METHOD_OVERRIDE_HEADERS = {"x-http-method", "x-http-method-override", "x-method-override"}
NO_CORS_SAFELISTED_NAMES = {"accept", "accept-language", "content-language", "content-type"}
REQUEST_BODY_HEADERS = {"content-encoding", "content-language", "content-location", "content-type"}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CORS_UNSAFE_BYTES = set(range(0x20)) - {0x09} | {0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40,
                                                  0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F}
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
HTTP_WHITESPACE = " \t\r\n"
DEFAULT_PREFLIGHT_CACHE_SECONDS = 5   # both engines, when Access-Control-Max-Age is absent
MAX_PREFLIGHT_CACHE_SECONDS = 7200    # Chromium's cap; the standard leaves the cap to the browser
MAX_REDIRECTS = 20
SAFELISTED_VALUES_LIMIT = 1024        # total bytes of safelisted values before they turn unsafe
MAX_CACHE_KEY_LENGTH = 1024           # Chromium's preflight cache skips URLs this long or longer


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


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    # name -> value; a list of values stands for repeated header lines, which the browser joins
    # with ", " (so two Access-Control-Allow-Origin lines read as "a, b").
    headers: dict
    url: str = ""   # the URL that answered; needed only for the hops of a redirect chain


@dataclass(frozen=True)
class Hop:
    """One URL of a redirect chain: its preflight (if one was sent) and its answer."""
    response: RecordedResponse | None
    preflight: RecordedResponse | None = None
    url: str = ""   # defaults to response.url, else the previous hop's Location


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


# --- Header values -------------------------------------------------------------------------


def _values(headers: dict, name: str) -> list[str]:
    """Every line of one header, trimmed of HTTP whitespace, in order; names are case-insensitive."""
    found = []
    for key, value in headers.items():
        if key.lower() == name:
            found.extend(value if isinstance(value, (list, tuple)) else [value])
    return [str(v).strip(HTTP_WHITESPACE) for v in found]


def header(headers: dict, name: str) -> str | None:
    """The header's value as the browser reads it: repeated lines joined with ', ', or None."""
    found = _values(headers, name.lower())
    return ", ".join(found) if found else None


def _split(value: str) -> list[str]:
    """Fetch's 'get, decode, and split': commas outside double quotes separate the values; inside
    them a backslash escapes the next character ('collect an HTTP quoted string'), so '"\\"",x'
    is two values. The quotes and backslashes stay in the values, as the standard keeps them."""
    values, current, quoted, escaped = [], "", False, False
    for char in value:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            values.append(current.strip(" \t"))
            current = ""
            continue
        current += char
    return values + [current.strip(" \t")]


def _tokens(value: str | None) -> list[str] | None:
    """A #token list (Access-Control-Allow-Methods/-Headers): empty elements are allowed, any
    other element must be a token, else the whole header fails to parse (None)."""
    items = [item for item in _split(value or "") if item]
    return items if all(TOKEN.fullmatch(item) for item in items) else None


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> str:
    """The URL's origin, serialized as the browser does after parsing it: scheme and host in lower
    case, no user info, no default port (https://B.test:443/x is https://b.test)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return ""
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # not a port: a URL the browser would not parse; compare it as written
        return f"{scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != DEFAULT_PORTS.get(scheme) else "")


def _includes_credentials(url: str) -> bool:
    """https://url.spec.whatwg.org/#include-credentials: a non-empty username or password.
    'https://:@b.test/' has neither: URL parsing drops the empty user info."""
    parts = urlsplit(url)
    return bool(parts.username) or bool(parts.password)


# --- The request fetch() builds ---------------------------------------------------------------


def normalize_method(method: str) -> str:
    """fetch() upper-cases only the six methods it knows; 'patch' is sent as written."""
    return method.upper() if method.upper() in NORMALIZED_METHODS else method


def _method_error(request: PageRequest) -> str | None:
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
    return name in METHOD_OVERRIDE_HEADERS and any(m.upper() in FORBIDDEN_METHODS for m in _split(value))


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


def _parse_range(value: str) -> tuple | None:
    """Fetch's 'parse a single range header value' without whitespace: bytes=N-, bytes=N-M, bytes=-N."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", value)
    if not match or match.groups() == ("", ""):
        return None
    start, end = (int(g) if g else None for g in match.groups())
    return None if start is not None and end is not None and start > end else (start, end)


def _mime_essence(value: str) -> str | None:
    """The essence of WHATWG 'parse a MIME type' (type/subtype must be tokens), or None."""
    value = value.strip(HTTP_WHITESPACE)
    kind, slash, rest = value.partition("/")
    subtype = rest.split(";", 1)[0].rstrip(HTTP_WHITESPACE)
    if not slash or not TOKEN.fullmatch(kind) or not TOKEN.fullmatch(subtype):
        return None
    return f"{kind}/{subtype}".lower()


def is_safelisted_request_header(name: str, value: str) -> bool:
    """https://fetch.spec.whatwg.org/#cors-safelisted-request-header"""
    data = value.encode("latin-1", "replace")
    if len(data) > 128:
        return False
    name = name.lower()
    if name == "accept":
        return not any(byte in CORS_UNSAFE_BYTES for byte in data)
    if name in ("accept-language", "content-language"):
        return re.fullmatch(r"[0-9A-Za-z *,\-.;=]*", value) is not None
    if name == "content-type":
        return not any(byte in CORS_UNSAFE_BYTES for byte in data) and _mime_essence(value) in SIMPLE_CONTENT_TYPES
    if name == "range":
        parsed = _parse_range(value)
        # bytes=-500 parses, but browsers never sent such ranges, so it stays unsafe.
        return parsed is not None and parsed[0] is not None
    return False


# Chromium's extra safelisted request headers (client hints), with the value each must have.
CHROMIUM_SAFELISTED_HINTS = {
    "dpr": r"\d+(\.\d+)?", "device-memory": r"\d+(\.\d+)?", "width": r"\d+", "viewport-width": r"\d+",
    "save-data": r"(?i:on)", "intervention": r".*",
}


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
    if request.mode != "cors" or _method_error(request):
        return False
    method = normalize_method(request.method)
    return method not in SAFELISTED_METHODS or bool(unsafe_request_headers(request, engine))


def _sends_credentials(request: PageRequest) -> bool:
    # Every request here is cross-origin, where "same-origin" sends no credentials.
    return request.credentials == "include"


# --- The checks on the answers ----------------------------------------------------------------


def _access_check(request: PageRequest, headers: dict, origin: str) -> str | None:
    """The CORS check (cors.cc CheckAccess); origin is what the request's Origin header said."""
    allow_origin = header(headers, "access-control-allow-origin")
    if allow_origin == "*":
        return "WildcardOriginNotAllowed" if _sends_credentials(request) else None
    if allow_origin is None:
        return "MissingAllowOriginHeader"
    if allow_origin != origin:
        if "," in allow_origin or " " in allow_origin:
            return "MultipleAllowOriginValues"
        if allow_origin != "null" and not re.fullmatch(r"[a-z][a-z0-9+.-]*://[^/?#\s]+", allow_origin):
            return "InvalidAllowOriginValue"
        return "AllowOriginMismatch"
    if _sends_credentials(request) and header(headers, "access-control-allow-credentials") != "true":
        return "InvalidAllowCredentials"
    return None


def _is_redirect(response: RecordedResponse) -> bool:
    # Without a Location a 3xx is an ordinary answer (a 300 or 304 preflight fails on its status).
    return response.status in REDIRECT_STATUSES and header(response.headers, "location") is not None


def _preflight_check(request: PageRequest, preflight: RecordedResponse, engine: str, origin: str,
                     rules: set) -> tuple[str, dict] | None:
    headers = preflight.headers
    if _is_redirect(preflight):
        return "PreflightDisallowedRedirect", {}
    access = _access_check(request, headers, origin)
    if access:
        return PREFLIGHT_PREFIX + access, {}
    if not 200 <= preflight.status < 300:
        return "PreflightInvalidStatus", {}
    wildcard_allowed = not _sends_credentials(request)

    methods = _tokens(header(headers, "access-control-allow-methods"))
    if methods is None:
        return "InvalidAllowMethodsPreflightResponse", {}
    allowed = _tokens(header(headers, "access-control-allow-headers"))
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


def _readable_headers(request: PageRequest, response: RecordedResponse, basic: bool = False) -> tuple:
    """What the page's script can read: a basic filtered response hides only Set-Cookie; a CORS
    filtered one also every header neither safelisted nor exposed."""
    present = {name.lower() for name in response.headers}
    if basic:
        return tuple(sorted(present - {"set-cookie", "set-cookie2"}))
    exposed = {name.lower() for name in _tokens(header(response.headers, "access-control-expose-headers")) or []}
    if "*" in exposed and not _sends_credentials(request):
        visible = present
    else:
        visible = present & (SAFELISTED_RESPONSE_HEADERS | exposed)
    return tuple(sorted(visible - {"set-cookie", "set-cookie2"}))


def message_for(reason: str) -> tuple[str, str]:
    """The (why, fix) sentences for a reason; Preflight* access reasons reuse the plain one."""
    if reason in MESSAGES:
        why, fix = MESSAGES[reason]
        return _t(why), _t(fix)
    why, fix = MESSAGES[reason.removeprefix(PREFLIGHT_PREFIX)]
    return _t(IN_THE_PREFLIGHT) + _t(why), _t(fix)


# --- judge ---------------------------------------------------------------------------------


@dataclass
class _Fetch:
    """What judge() learns while it walks the chain."""
    request: PageRequest
    engine: str
    preflight_needed: bool = False
    preflights: int = 0
    origin_sent: str | None = None
    tainted: bool = False
    rules: set = field(default_factory=set)
    location: str = ""
    basic: bool = False   # response tainting stayed "basic": every URL on the page's origin

    def verdict(self, reason, failed_at=None, response=None, **details) -> Verdict:
        request = self.request
        why, fix = message_for(details.pop("message", None) or reason)
        if failed_at == "redirect":
            why = _t(MESSAGES["OnRedirect"][0]) + why
        if self.tainted and failed_at in ("preflight", "redirect", "response"):
            why = _t(MESSAGES["TaintedOrigin"][0]) + why
        headers = response.headers if response else {}
        values = {"origin": request.origin, "origin_sent": self.origin_sent or request.origin,
                  "method": normalize_method(request.method),
                  "status": response.status if response else "", "location": self.location,
                  "allow_origin": header(headers, "access-control-allow-origin"),
                  "allow_credentials": header(headers, "access-control-allow-credentials"),
                  "allow_methods": header(headers, "access-control-allow-methods"),
                  "allow_headers": header(headers, "access-control-allow-headers"), "header": "", **details}
        readable = reason in ("ReadableSimple", "ReadablePreflighted")
        response_type = ("basic" if self.basic else "cors") if readable else "opaque" if reason == "Opaque" else "error"
        return Verdict(readable=readable, reason=None if readable else reason,
                       why=(why.format(**values)), fix=fix.format(**values),
                       preflight_needed=self.preflight_needed, failed_at=failed_at,
                       readable_headers=_readable_headers(request, response, self.basic) if readable and response else (),
                       response_type=response_type, origin_sent=self.origin_sent,
                       request_headers=tuple(sorted({n.lower() for n, _ in sent_headers(request)})),
                       preflights=self.preflights, engine_rules=tuple(sorted(self.rules)))


def judge(request: PageRequest, preflight: RecordedResponse | None, response: RecordedResponse | None,
          *, engine: str = "chromium", redirects=()) -> Verdict:
    """What the browser does with this request, given what the server answered.

    redirects: the Hops answered with a redirect before `response`, in order; the first one's
    preflight defaults to `preflight`. For a chain where later URLs are preflighted too, use
    judge_chain(). A preflight that was needed but not recorded is a ValueError."""
    hops = list(redirects) + [Hop(response=response)]
    hops[0] = Hop(response=hops[0].response, preflight=hops[0].preflight or preflight, url=hops[0].url)
    return judge_chain(request, hops, engine=engine)


def judge_chain(request: PageRequest, hops, *, engine: str = "chromium") -> Verdict:
    """Like judge(), over every URL the request visited: hops[i] is the answer (and preflight)
    at the i-th URL; every hop but the last was a redirect."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    fetch = _Fetch(request, engine)
    if any(isinstance(v, (list, tuple)) and len(v) > 1 for v in request.headers.values()):
        fetch.rules.add("combines_duplicate_request_headers")
    if any(name.lower() in CHROMIUM_SAFELISTED_HINTS for name in request.headers):
        fetch.rules.add("client_hint_headers_safelisted")
    failure = _method_error(request)
    if failure:
        return fetch.verdict(failure, "request")
    url = hops[0].url or (hops[0].response.url if hops[0].response else "") or request.url
    method, current, cors, opaque = normalize_method(request.method), request, False, False

    for index, hop in enumerate(hops):
        cross_origin = not url or _origin_of(url) != request.origin
        if request.mode == "same-origin" and cross_origin:
            return fetch.verdict("DisallowedByMode", "request" if index == 0 else "redirect")
        # Response tainting: 'cors' from the first URL on another origin, and it stays so, even
        # if a redirect comes back to the page's origin.
        cors = cors or (request.mode == "cors" and cross_origin)
        opaque = opaque or (request.mode == "no-cors" and cross_origin)
        fetch.origin_sent = "null" if fetch.tainted else request.origin
        if cors and needs_preflight(current, engine):
            fetch.preflight_needed = True
            if hop.preflight is None:
                raise ValueError("a preflight was needed but none was recorded")
            fetch.preflights += 1
            failure = _preflight_check(current, hop.preflight, engine, fetch.origin_sent, fetch.rules)
            if failure:
                reason, details = failure
                return fetch.verdict(reason, "preflight", hop.preflight, **details)
        response = hop.response
        if response is None:
            raise ValueError("no recorded response to judge")
        last = index == len(hops) - 1
        if not last and _is_redirect(response):
            fetch.location = urljoin(url, header(response.headers, "location"))
        if cors:
            access = _access_check(current, response.headers, fetch.origin_sent)
            if access:
                return fetch.verdict(access, "response" if last else "redirect", response)
        if last:
            break
        if not _is_redirect(response):
            raise ValueError(f"hop {index} is not a redirect, yet more hops follow")
        location = fetch.location
        if index + 1 > MAX_REDIRECTS:
            return fetch.verdict("TooManyRedirects", "redirect", response)
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https"):
            return fetch.verdict("CorsDisabledScheme", "redirect", response)
        # Step "if request's mode is cors, locationURL includes credentials, and request's origin
        # is not same origin with locationURL's origin": the mode, not the tainting, so a redirect
        # from the page's own origin to another one with user info fails too.
        if request.mode == "cors" and _includes_credentials(location) and _origin_of(location) != request.origin:
            return fetch.verdict("RedirectContainsCredentials", "redirect", response)
        # https://fetch.spec.whatwg.org/#concept-request-tainted-origin: leaving a URL of another
        # origin than the page's for yet another origin makes the request's origin 'null'.
        if _origin_of(location) != _origin_of(url) and request.origin != _origin_of(url):
            fetch.tainted = True
        current = _redirected(current, method, response.status, _origin_of(location) != _origin_of(url))
        method = normalize_method(current.method)
        url = hops[index + 1].url or (hops[index + 1].response.url if hops[index + 1].response else "") or location

    if opaque:
        return fetch.verdict("Opaque", response=response)
    if not cors:
        # Every URL was on the page's origin: a basic response, whatever the mode.
        fetch.basic = True
        return fetch.verdict("ReadableSimple", response=response)
    return fetch.verdict("ReadablePreflighted" if fetch.preflight_needed else "ReadableSimple", response=response)


def _redirected(request: PageRequest, method: str, status: int, to_other_origin: bool) -> PageRequest:
    """HTTP-redirect fetch: 301/302 turn POST into GET, 303 turns all but GET/HEAD into GET (both
    drop the body's headers); a hop to another origin drops Authorization."""
    headers = dict(request.headers)
    if (status in (301, 302) and method == "POST") or (status == 303 and method not in ("GET", "HEAD")):
        method = "GET"
        headers = {n: v for n, v in headers.items() if n.lower() not in REQUEST_BODY_HEADERS}
    if to_other_origin:
        headers = {n: v for n, v in headers.items() if n.lower() != "authorization"}
    return PageRequest(request.origin, method, headers, request.credentials, request.mode, request.url)


# --- Comparing the two engines ------------------------------------------------------------------


def _outcome(verdict: Verdict) -> str:
    if verdict.readable:
        return _t(MESSAGES["Outcome.readable"][0])
    if verdict.reason == "Opaque":
        return _t(MESSAGES["Outcome.opaque"][0])
    return _t(MESSAGES["Outcome.blocked"][0]).format(reason=verdict.reason, failed_at=verdict.failed_at)


def describe_deviation(chromium: Verdict, standard: Verdict) -> str | None:
    """What differs between the two verdicts, and the engine rules behind it; None if nothing."""
    sentences = []
    if (chromium.readable, chromium.reason, chromium.failed_at) != (standard.readable, standard.reason, standard.failed_at):
        sentences.append(_t(MESSAGES["Deviation"][0]).format(standard=_outcome(standard), chromium=_outcome(chromium)))
    if chromium.preflights != standard.preflights:
        sentences.append(_t(MESSAGES["DeviationPreflight"][0]).format(
            standard_preflight=standard.preflights, chromium_preflight=chromium.preflights))
    if not sentences:
        return None
    sentences += [_t(MESSAGES["Deviation." + rule][0]) for rule in chromium.engine_rules if differs("chromium", rule)]
    return " ".join(sentences)


def deviation(request: PageRequest, preflight: RecordedResponse | None, response: RecordedResponse | None,
              *, chromium: Verdict | None = None, standard: Verdict | None = None) -> str | None:
    """One description when Chromium and the Fetch standard disagree about this exchange. Pass
    the verdicts already judged to avoid judging again."""
    chromium = chromium or judge(request, preflight, response, engine="chromium")
    standard = standard or judge(request, preflight, response, engine="standard")
    return describe_deviation(chromium, standard)


# --- The preflight cache --------------------------------------------------------------------------


def preflight_cache_seconds(preflight: RecordedResponse, engine: str = "chromium") -> int:
    """How long a passed preflight is reused for the same origin, URL and credentials mode; 0 means
    not at all. Chromium caps it at 2 hours; the standard leaves the cap to the browser, so the
    "standard" engine returns what the server said."""
    values = _values(preflight.headers, "access-control-max-age")
    if differs(engine, "negative_max_age_not_cached"):
        # preflight_result.cc: not an integer -> the 5 s default; negative -> 0; capped.
        joined = ", ".join(values)
        if not values or not re.fullmatch(r"-?\d+", joined):
            return DEFAULT_PREFLIGHT_CACHE_SECONDS
        return max(0, min(int(joined), MAX_PREFLIGHT_CACHE_SECONDS))
    # The standard: delta-seconds, one header line; anything else (even -1) is the 5 s default.
    if len(values) != 1 or not re.fullmatch(r"\d+", values[0]):
        return DEFAULT_PREFLIGHT_CACHE_SECONDS
    seconds = int(values[0])
    return min(seconds, MAX_PREFLIGHT_CACHE_SECONDS) if engine == "chromium" else seconds


@dataclass
class _Entry:
    key: tuple             # (network partition, origin, URL)
    credentials: bool
    expires: float
    method: str | None = None
    header: str | None = None
    methods: frozenset = frozenset()   # Chromium keeps the whole answer in one entry
    headers: frozenset = frozenset()


class PreflightCache:
    """The CORS-preflight cache: https://fetch.spec.whatwg.org/#concept-cache

    Entries are keyed by (network partition, origin, URL, credentials). The standard keeps one
    entry per allowed method and per allowed header name, and a request skips the preflight only if
    each method and header it needs has a live entry. Chromium (preflight_cache.cc) keeps only the
    latest answer per (origin, URL, partition). `now` is any clock in seconds."""

    def __init__(self, engine: str = "chromium"):
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        self.engine = engine
        self.entries: list[_Entry] = []

    def _key(self, request: PageRequest, url: str, partition: str) -> tuple:
        return (partition, request.origin, url)

    def _live(self, request: PageRequest, url: str, now: float, partition: str) -> list[_Entry]:
        key, include = self._key(request, url, partition), _sends_credentials(request)
        return [e for e in self.entries if e.key == key and e.expires > now and (e.credentials or not include)]

    def store(self, request: PageRequest, url: str, preflight: RecordedResponse, now: float,
              partition: str = "") -> bool:
        """Remember a preflight's answer if it let the request through; True if stored."""
        if _preflight_check(request, preflight, self.engine, request.origin, set()):
            return False
        if differs(self.engine, "long_url_not_cached") and len(url) >= MAX_CACHE_KEY_LENGTH:
            return False
        if differs(self.engine, "opaque_origin_not_cached") and request.origin == "null":
            return False
        expires = now + preflight_cache_seconds(preflight, self.engine)
        key, include = self._key(request, url, partition), _sends_credentials(request)
        methods = _tokens(header(preflight.headers, "access-control-allow-methods")) or []
        names = _tokens(header(preflight.headers, "access-control-allow-headers")) or []
        if differs(self.engine, "one_cache_entry_per_url"):
            self.entries = [e for e in self.entries if e.key != key]
            self.entries.append(_Entry(key, include, expires, methods=frozenset(methods),
                                       headers=frozenset(n.lower() for n in names)))
            return True
        live = self._live(request, url, now, partition)
        for method in methods:
            matches = [e for e in live if e.method in (method, "*")]
            for entry in matches:
                entry.expires = expires
            if not matches:
                self.entries.append(_Entry(key, include, expires, method=method))
        for name in names:
            # Header-name cache entry match: the same name, or "*" for any name but Authorization.
            matches = [e for e in live if e.header is not None and (
                e.header.lower() == name.lower() or (e.header == "*" and name.lower() != "authorization"))]
            for entry in matches:
                entry.expires = expires
            if not matches:
                self.entries.append(_Entry(key, include, expires, header=name))
        return True

    def needs_preflight_now(self, request: PageRequest, url: str, now: float, partition: str = "") -> bool:
        """Would this request send a preflight now, or be served from the cache?"""
        if not needs_preflight(request, self.engine):
            return False
        live = self._live(request, url, now, partition)
        method = normalize_method(request.method)
        unsafe = unsafe_request_headers(request, self.engine)
        if differs(self.engine, "one_cache_entry_per_url"):
            return not any(self._chromium_allows(e, request, method, unsafe) for e in live)
        if method not in SAFELISTED_METHODS and not any(e.method in (method, "*") for e in live):
            return True
        return not all(any(e.header is not None and (e.header.lower() == name or
                                                     (e.header == "*" and name != "authorization"))
                           for e in live) for name in unsafe)

    def _chromium_allows(self, entry: _Entry, request: PageRequest, method: str, unsafe: list) -> bool:
        # preflight_result.cc EnsureAllowedRequest, as called from the cache.
        wildcard = not entry.credentials
        if not (method in SAFELISTED_METHODS or method in entry.methods or (wildcard and "*" in entry.methods)):
            return False
        if wildcard and "*" in entry.headers:
            # The cache always passes NonWildcardRequestHeadersSupport(true).
            covers_authorization = not differs(self.engine, "cache_wildcard_never_covers_authorization")
            return covers_authorization or "authorization" not in unsafe or "authorization" in entry.headers
        return all(name in entry.headers for name in unsafe)


def count_preflights(request: PageRequest, preflight: RecordedResponse | None, repeat: int, *,
                     engine: str = "chromium", url: str = "", interval: float = 0.0) -> int:
    """How many preflights `repeat` identical fetch() calls send, `interval` seconds apart."""
    cache, count = PreflightCache(engine), 0
    for attempt in range(repeat):
        now = attempt * interval
        if cache.needs_preflight_now(request, url, now):
            count += 1
            if preflight is not None:
                cache.store(request, url, preflight, now)
    return count
