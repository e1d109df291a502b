"""A case: the request a page makes and the server that answers it, as JSON. The lab's one currency:
a scenario (scenarios/catalogue.py) is a named case, a leaky configuration (leaks/catalogue.py)
states its mistake and fix as servers of a case, and the playground runs any case it is given.

A case travels in URLs (the page's fragment, the endpoint's query string), so anyone can send
anything: every field is checked here, with bounds, before the endpoint answers with it or the
model judges it. A bad case is a CaseError naming the field; the views turn it into a JSON 400
{"error": "invalid_case", "field": ..., "message": ...}.

    {"page": "app" | "attacker" | "null",
     "method": "PUT", "headers": [["X-Lab-Trace", "42"]], "body": "..." | null,
     "content_type": "application/json" | "",
     "credentials": "omit" | "same-origin" | "include", "mode": "cors" | "no-cors" | "same-origin",
     "repeat": 1..3,
     "trailing_slash": true | false,   # false: the URL lacks its slash, and Django's APPEND_SLASH
                                       # (CommonMiddleware) answers with its own 301
     "server": {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"], ...}, "view": "ok" | "crash"}
             | {"raw": {"preflight": {"status": 200, "headers": [[name, value]]},
                        "response": {"status": 200, "headers": [[name, value]]},
                        "redirect": null | {"status": 307, "to": "api" | "attacker", "headers": [...]}}}}

"view": "crash" makes the view raise, so that the 500 is Django's, made outside the CORS code.
Two more servers exist only in the lab's own catalogues, never from a URL (parse_server's
origin_tests): {"cors": {...}, "origin_test": NAME}, a hand-written origin test in place of the
library's, and {"csrf": {"CSRF_TRUSTED_ORIGINS": [...]}}, Django's CSRF check under those origins.

Origins and header values name the lab's hosts in lab/origins.py's grammar ({app}, {site|re}...).
"""

import json
import re
from collections.abc import Collection
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from lab import origin_regex
from lab.cors_runner import CorsConfig
from lab.origins import LabOrigins

PAGES = ("app", "attacker", "null")
CREDENTIALS = ("omit", "same-origin", "include")
MODES = ("cors", "no-cors", "same-origin")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
REDIRECT_TARGETS = ("api", "attacker")
SERVER_KINDS = ("cors", "raw", "csrf")
VIEWS = ("ok", "crash")  # the view answers, or raises (Django's 500, made outside the CORS code)

# Bounds. The case rides in a URL's query string (nginx takes a URL up to 16 KiB, and a case of
# MAX_CASE_BYTES percent-encoded is at most 3 x 4096 characters: nginx/nginx.conf.template), and
# one ledger entry keeps every header only under 2 KiB (ledger/middleware.py), so answers stay small.
MAX_CASE_BYTES = 4096
MAX_METHOD = 32
MAX_REQUEST_HEADERS = 12
MAX_ANSWER_HEADERS = 8
MAX_NAME = 64
MAX_REQUEST_VALUE = 256
MAX_ANSWER_VALUE = 128
MAX_BODY = 1024
MAX_REPEAT = 3
MAX_LIST = 12          # items of one django-cors-headers list setting
MAX_ITEM = 128         # characters of one item
MAX_REGEX = 100
MAX_AGE_LIMIT = 10**9  # larger than any browser's cap; a bound, not a rule of the library
# An Origin header longer than this is no browser's (a host is at most 253 characters): refused
# before the regexes run (their time limit is lab/origin_regex.py's).
MAX_ORIGIN = 300

# The only headers a raw answer may set. Never Set-Cookie, CSP, HSTS...: the playground answers on
# the lab's real hosts. Location only in a preflight's answer, and only to a lab host.
ANSWER_HEADER_PREFIX = "access-control-"
ANSWER_HEADERS = {"vary", "content-type", "x-lab-request-id"}
TEST_HEADER = "X-Lab-Request-Id"

CORS_SETTINGS = ("CORS_ALLOWED_ORIGINS", "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ALLOW_ALL_ORIGINS",
                 "CORS_ALLOW_CREDENTIALS", "CORS_ALLOW_METHODS", "CORS_ALLOW_HEADERS",
                 "CORS_EXPOSE_HEADERS", "CORS_PREFLIGHT_MAX_AGE")
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Visible ASCII and space: what a header value or method may hold here (no CR, LF or NUL).
PRINTABLE = re.compile(r"[\x20-\x7e]*")


class CaseError(ValueError):
    def __init__(self, field: str, message: str, check_id: str | None = None):
        super().__init__(message)
        self.field, self.message, self.check_id = field, message, check_id

    def as_json(self) -> dict:
        body = {"error": "invalid_case", "field": self.field, "message": str(self.message)}
        return body | ({"check": self.check_id} if self.check_id else {})


# --- Small checks --------------------------------------------------------------------------


def _string(value, field: str, limit: int, *, allow_empty=True) -> str:
    if not isinstance(value, str):
        raise CaseError(field, _("Must be a string."))
    if len(value) > limit:
        raise CaseError(field, _("At most %(limit)d characters.") % {"limit": limit})
    if not PRINTABLE.fullmatch(value):
        raise CaseError(field, _("Only printable ASCII characters (no line breaks)."))
    if not allow_empty and not value:
        raise CaseError(field, _("Must not be empty."))
    return value


def _choice(value, field: str, choices) -> str:
    if value not in choices:
        raise CaseError(field, _("Must be one of: %(choices)s.") % {"choices": ", ".join(map(str, choices))})
    return value


def _integer(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CaseError(field, _("Must be a whole number from %(low)d to %(high)d.") % {"low": low, "high": high})
    return value


def _boolean(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise CaseError(field, _("Must be true or false."))
    return value


def _pairs(value, field: str, limit: int, value_limit: int) -> list[tuple[str, str]]:
    """A header list: [[name, value], ...], names are tokens."""
    if not isinstance(value, list):
        raise CaseError(field, _("Must be a list of [name, value] pairs."))
    if len(value) > limit:
        raise CaseError(field, _("At most %(limit)d headers.") % {"limit": limit})
    pairs = []
    for index, pair in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise CaseError(where, _("Must be a [name, value] pair."))
        name = _string(pair[0], where + ".name", MAX_NAME, allow_empty=False)
        if not TOKEN.fullmatch(name):
            raise CaseError(where + ".name", _("A header name is a token: letters, digits and !#$%&'*+-.^_`|~."))
        pairs.append((name, _string(pair[1], where + ".value", value_limit)))
    return pairs


# --- The redirect target rule and the raw answers' allow-list ------------------------------------


def is_lab_location(location: str, origins: LabOrigins) -> bool:
    """A Location the playground may send: a path on the same host ("/x", never "//host"), or an
    https URL on one of the lab's own hosts (with its port), without user:password@."""
    if location.startswith("/") and not location.startswith("//") and "\\" not in location:
        return True
    try:
        parts = urlsplit(location)
        parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        return False
    return (parts.scheme == "https" and parts.username is None and parts.password is None
            and parts.netloc in origins.hosts())


def check_answer_header(name: str, value: str, field: str, origins: LabOrigins, *, preflight: bool) -> None:
    lower = name.lower()
    if lower == "location":
        if not preflight:
            raise CaseError(field, _("Location only in the preflight's answer; use the redirect for the response."))
        if not is_lab_location(origins.fill(value), origins):
            raise CaseError(field, _("Location must be a path or an https URL on a lab host."))
        return
    if not (lower.startswith(ANSWER_HEADER_PREFIX) or lower in ANSWER_HEADERS):
        raise CaseError(field, _("The playground sets only Access-Control-*, Vary, Content-Type, "
                                 "%(test)s (and a lab Location on a preflight), not %(name)s.")
                        % {"test": TEST_HEADER, "name": name})


def _answer(value, field: str, origins: LabOrigins, *, preflight: bool, redirect=False) -> dict:
    if not isinstance(value, dict):
        raise CaseError(field, _("Must be an object with status and headers."))
    unknown = set(value) - {"status", "headers", "to"} if redirect else set(value) - {"status", "headers"}
    if unknown:
        raise CaseError(f"{field}.{sorted(unknown)[0]}", _("Unknown field."))
    if redirect:
        status = _choice(value.get("status"), field + ".status", REDIRECT_STATUSES)
    else:
        status = _integer(value.get("status", 200), field + ".status", 200, 599)
    headers = _pairs(value.get("headers", []), field + ".headers", MAX_ANSWER_HEADERS, MAX_ANSWER_VALUE)
    seen = set()
    for index, (name, header_value) in enumerate(headers):
        where = f"{field}.headers[{index}]"
        check_answer_header(name, header_value, where, origins, preflight=preflight)
        if name.lower() in seen:
            raise CaseError(where, _("%(name)s appears twice; send one line.") % {"name": name})
        seen.add(name.lower())
    answer = {"status": status, "headers": headers}
    if redirect:
        answer["to"] = _choice(value.get("to"), field + ".to", REDIRECT_TARGETS)
    return answer


def parse_raw(value, origins: LabOrigins) -> dict:
    field = "server.raw"
    if not isinstance(value, dict):
        raise CaseError(field, _("Must be an object."))
    unknown = set(value) - {"preflight", "response", "redirect"}
    if unknown:
        raise CaseError(f"{field}.{sorted(unknown)[0]}", _("Unknown field."))
    redirect = value.get("redirect")
    return {
        "preflight": _answer(value.get("preflight", {}), field + ".preflight", origins, preflight=True),
        "response": _answer(value.get("response", {}), field + ".response", origins, preflight=False),
        "redirect": None if redirect is None else _answer(redirect, field + ".redirect", origins,
                                                          preflight=False, redirect=True),
    }


# --- django-cors-headers settings, validated as the library validates them --------------------


def is_sequence_of(value, types) -> bool:
    """corsheaders.checks.is_sequence over JSON values: a list, or a string (a str is a sequence of
    one-character strings, so the library accepts "x-a" where ["x-a"] was meant)."""
    return isinstance(value, (list, str)) and all(isinstance(item, types) for item in value)


def check_cors_settings(values: dict, origins: LabOrigins) -> list[CaseError]:
    """corsheaders.checks.check_settings over these values, with the library's IDs (E001-E008,
    E013, E014); placeholders resolved first, as the settings would hold real origins."""
    field = "server.cors."
    errors = []
    # The library's own English (a search for the check ID finds it), translated; the ID stays.
    sequence_of_strings, a_bool = _("%(setting)s should be a sequence of strings."), _("%(setting)s should be a bool.")
    get = values.get
    if "CORS_ALLOW_HEADERS" in values and not is_sequence_of(get("CORS_ALLOW_HEADERS"), str):
        errors.append(CaseError(field + "CORS_ALLOW_HEADERS", sequence_of_strings % {"setting": "CORS_ALLOW_HEADERS"}, "corsheaders.E001"))
    if "CORS_ALLOW_METHODS" in values and not is_sequence_of(get("CORS_ALLOW_METHODS"), str):
        errors.append(CaseError(field + "CORS_ALLOW_METHODS", sequence_of_strings % {"setting": "CORS_ALLOW_METHODS"}, "corsheaders.E002"))
    if "CORS_ALLOW_CREDENTIALS" in values and not isinstance(get("CORS_ALLOW_CREDENTIALS"), bool):
        errors.append(CaseError(field + "CORS_ALLOW_CREDENTIALS", a_bool % {"setting": "CORS_ALLOW_CREDENTIALS"}, "corsheaders.E003"))
    max_age = get("CORS_PREFLIGHT_MAX_AGE", 0)
    if not isinstance(max_age, int) or max_age < 0:   # bool is an int to the library too
        errors.append(CaseError(field + "CORS_PREFLIGHT_MAX_AGE",
                                _("%(setting)s should be an integer greater than or equal to zero.")
                                % {"setting": "CORS_PREFLIGHT_MAX_AGE"}, "corsheaders.E004"))
    if "CORS_ALLOW_ALL_ORIGINS" in values and not isinstance(get("CORS_ALLOW_ALL_ORIGINS"), bool):
        errors.append(CaseError(field + "CORS_ALLOW_ALL_ORIGINS", a_bool % {"setting": "CORS_ALLOW_ALL_ORIGINS"}, "corsheaders.E005"))
    allowed = get("CORS_ALLOWED_ORIGINS", [])
    if not is_sequence_of(allowed, str):
        errors.append(CaseError(field + "CORS_ALLOWED_ORIGINS", sequence_of_strings % {"setting": "CORS_ALLOWED_ORIGINS"}, "corsheaders.E006"))
    else:
        for origin in (origins.fill(item) for item in allowed):
            if origin in ("null", "file://"):
                continue
            parts = urlsplit(origin)
            if not parts.scheme or not parts.netloc:
                errors.append(CaseError(field + "CORS_ALLOWED_ORIGINS",
                                        _("Origin %(origin)r in CORS_ALLOWED_ORIGINS is missing scheme or netloc")
                                        % {"origin": origin}, "corsheaders.E013"))
                continue
            for part in ("path", "query", "fragment"):
                if getattr(parts, part):
                    errors.append(CaseError(field + "CORS_ALLOWED_ORIGINS",
                                            _("Origin %(origin)r in CORS_ALLOWED_ORIGINS should not have %(part)s")
                                            % {"origin": origin, "part": part}, "corsheaders.E014"))
    if "CORS_ALLOWED_ORIGIN_REGEXES" in values and not is_sequence_of(get("CORS_ALLOWED_ORIGIN_REGEXES"), str):
        errors.append(CaseError(field + "CORS_ALLOWED_ORIGIN_REGEXES",
                                _("%(setting)s should be a sequence of strings and/or compiled regexes.")
                                % {"setting": "CORS_ALLOWED_ORIGIN_REGEXES"}, "corsheaders.E007"))
    if "CORS_EXPOSE_HEADERS" in values and not is_sequence_of(get("CORS_EXPOSE_HEADERS"), str):
        errors.append(CaseError(field + "CORS_EXPOSE_HEADERS", _("%(setting)s should be a sequence.") % {"setting": "CORS_EXPOSE_HEADERS"},
                                "corsheaders.E008"))
    return errors


def check_regex(pattern: str, field: str) -> None:
    """A pattern django-cors-headers would run (re compiles it) and lab/origin_regex.py runs as
    re.match would: at most MAX_REGEX characters, no back-reference, no counts so large that the
    time-limited engine would have to write them out. How long it runs is bounded when it runs."""
    _string(pattern, field, MAX_REGEX)
    try:
        origin_regex.check(pattern)
    except (re.error, OverflowError) as error:  # OverflowError: a count over 4294967295
        raise CaseError(field, _("Not a valid regular expression: %(error)s.") % {"error": error}) from None
    except origin_regex.Unanswerable as refused:
        raise CaseError(field, refused.message) from None


def parse_cors(value, origins: LabOrigins) -> dict:
    field = "server.cors"
    if not isinstance(value, dict):
        raise CaseError(field, _("Must be an object of django-cors-headers settings."))
    unknown = sorted(set(value) - set(CORS_SETTINGS))
    if unknown:
        raise CaseError(f"{field}.{unknown[0]}", _("Not a setting the playground knows: %(names)s.")
                        % {"names": ", ".join(CORS_SETTINGS)})
    errors = check_cors_settings(value, origins)
    if errors:
        raise errors[0]
    for name in ("CORS_ALLOWED_ORIGINS", "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ALLOW_METHODS",
                 "CORS_ALLOW_HEADERS", "CORS_EXPOSE_HEADERS"):
        items = value.get(name)
        if items is None:
            continue
        if len(items) > MAX_LIST:
            raise CaseError(f"{field}.{name}", _("At most %(limit)d items.") % {"limit": MAX_LIST})
        for index, item in enumerate(items):
            _string(item, f"{field}.{name}[{index}]", MAX_ITEM)
            if name == "CORS_ALLOWED_ORIGIN_REGEXES":
                check_regex(item, f"{field}.{name}[{index}]")
    if value.get("CORS_PREFLIGHT_MAX_AGE", 0) > MAX_AGE_LIMIT:
        raise CaseError(f"{field}.CORS_PREFLIGHT_MAX_AGE", _("At most %(limit)d.") % {"limit": MAX_AGE_LIMIT})
    return dict(value)


# --- The whole case --------------------------------------------------------------------------


def parse_csrf(value) -> dict:
    field = "server.csrf"
    if not isinstance(value, dict) or set(value) != {"CSRF_TRUSTED_ORIGINS"}:
        raise CaseError(field, _('Must be {"CSRF_TRUSTED_ORIGINS": [...origins]}.'))
    trusted = value["CSRF_TRUSTED_ORIGINS"]
    if not isinstance(trusted, list) or len(trusted) > MAX_LIST:
        raise CaseError(field + ".CSRF_TRUSTED_ORIGINS", _("At most %(limit)d items.") % {"limit": MAX_LIST})
    for index, item in enumerate(trusted):
        _string(item, f"{field}.CSRF_TRUSTED_ORIGINS[{index}]", MAX_ITEM, allow_empty=False)
    return {"CSRF_TRUSTED_ORIGINS": list(trusted)}


def parse_server(value, origins: LabOrigins, origin_tests: Collection[str] = ()) -> dict:
    """The server, checked. `origin_tests`: the hand-written origin tests of the caller's own
    catalogue (leaks/catalogue.py). A server from a URL gets none: it may not name one, nor ask for
    a CSRF check, which only the catalogue's endpoints run."""
    kinds = [kind for kind in SERVER_KINDS if isinstance(value, dict) and kind in value]
    if len(kinds) != 1:
        raise CaseError("server", _('Must be {"cors": {...settings}} or {"raw": {...answers}}.'))
    kind = kinds[0]
    if not origin_tests and ("origin_test" in value or kind == "csrf"):
        raise CaseError("server", _("Only the lab's own catalogue may use a hand-written origin test or a CSRF check."))
    unknown = sorted(set(value) - {kind} - ({"view", "origin_test"} if kind == "cors" else set()))
    if unknown:
        raise CaseError(f"server.{unknown[0]}", _("Unknown field."))
    if kind == "raw":
        return {"raw": parse_raw(value["raw"], origins)}
    if kind == "csrf":
        return {"csrf": parse_csrf(value["csrf"])}
    server = {"cors": parse_cors(value["cors"], origins), "view": _choice(value.get("view", "ok"), "server.view", VIEWS)}
    if "origin_test" in value:
        server["origin_test"] = _choice(value["origin_test"], "server.origin_test", sorted(origin_tests))
    return server


def cors_config(values: dict, origins: LabOrigins) -> CorsConfig:
    """A server's django-cors-headers settings as lab/cors_runner.py runs them, origins filled in."""
    return CorsConfig(**{name: tuple(origins.fill_all(value)) if isinstance(value, list) else value
                         for name, value in values.items()})


def loads(text: str | None, field: str):
    if not text:
        raise CaseError(field, _("Missing."))
    if len(text.encode()) > MAX_CASE_BYTES:
        raise CaseError(field, _("The case is over %(limit)d bytes.") % {"limit": MAX_CASE_BYTES})
    try:
        return json.loads(text)
    except ValueError:
        raise CaseError(field, _("Not valid JSON.")) from None


REQUEST_FIELDS = ("page", "method", "headers", "body", "content_type", "credentials", "mode", "repeat",
                  "trailing_slash", "server")


def parse_case(value, origins: LabOrigins) -> dict:
    """The whole case, checked; returns it with defaults filled in."""
    if not isinstance(value, dict):
        raise CaseError("case", _("Must be a JSON object."))
    unknown = sorted(set(value) - set(REQUEST_FIELDS))
    if unknown:
        raise CaseError(unknown[0], _("Unknown field."))
    method = _string(value.get("method", "GET"), "method", MAX_METHOD, allow_empty=False)
    body = value.get("body")
    if body is not None:
        _body(body)
        if method.upper() in ("GET", "HEAD"):
            raise CaseError("body", _("fetch() refuses a body on GET or HEAD."))
    case = {
        "page": _choice(value.get("page", "app"), "page", PAGES),
        "method": method,
        "headers": [list(pair) for pair in _pairs(value.get("headers", []), "headers", MAX_REQUEST_HEADERS, MAX_REQUEST_VALUE)],
        "body": body,
        "content_type": _string(value.get("content_type", ""), "content_type", MAX_REQUEST_VALUE),
        "credentials": _choice(value.get("credentials", "same-origin"), "credentials", CREDENTIALS),
        "mode": _choice(value.get("mode", "cors"), "mode", MODES),
        "repeat": _integer(value.get("repeat", 1), "repeat", 1, MAX_REPEAT),
        "trailing_slash": _boolean(value.get("trailing_slash", True), "trailing_slash"),
        "server": parse_server(value.get("server"), origins),
    }
    raw = case["server"].get("raw")
    if raw and raw["redirect"] and case["repeat"] > 1:
        raise CaseError("repeat", _("A case with a redirect runs once."))
    if raw and raw["redirect"] and not case["trailing_slash"]:
        raise CaseError("trailing_slash", _("Without its slash the URL is redirected by Django already: no second redirect."))
    return case


def _body(body) -> str:
    # Unlike a header value, a body may hold line breaks (pretty-printed JSON).
    if not isinstance(body, str):
        raise CaseError("body", _("Must be a string or null."))
    if len(body) > MAX_BODY:
        raise CaseError("body", _("At most %(limit)d characters.") % {"limit": MAX_BODY})
    return body


def request_headers(case: dict) -> list[tuple[str, str]]:
    """The header list the page passes to fetch(): the case's, then its Content-Type."""
    headers = [tuple(pair) for pair in case["headers"]]
    return headers + ([("Content-Type", case["content_type"])] if case["content_type"] else [])
