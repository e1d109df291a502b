"""The API's OpenAPI 3.1 document, served at /api/openapi.json.

Written by hand as a small Python structure, next to the URLconf it describes; two things keep it
true: config/tests/test_openapi.py fails when a URL pattern under /api/ or one of its methods is
missing here, and `make test` runs schemathesis against the running lab, which fails on any
response this document does not describe.
"""

from django.conf import settings
from django.http import JsonResponse

from crossorigin.cookies import CONTEXTS_BY_NAME
from doctor import views as doctor
from experiments.lifecycle import REFRESH_IN
from experiments.views import USERNAME
from lab import case
from lab.api import api_view
from ledger.runs import RUN_ID
from people import tokens

JSON = "application/json"
ERROR = {"$ref": "#/components/schemas/Error"}
OBJECT = {"type": "object"}


def answer(description: str, schema=None, media=JSON, headers=None) -> dict:
    response = {"description": description, "content": {media: {"schema": schema or OBJECT}}}
    if headers:
        response["headers"] = headers
    return response


def error(description: str, **kwargs) -> dict:
    return answer(description, ERROR, **kwargs)


# What may answer any unsafe request, and any request with a body: Django's CSRF check, and the
# size, type and shape checks of lab/api.py json_body.
CSRF = {"403": error("Django's CSRF check refused the request (csrf_failed).")}
BODY_ERRORS = {
    "400": error("Malformed, too deeply nested, or missing fields (malformed_json, too_deeply_nested, "
                 "missing_fields, or a field-specific code)."),
    "413": error("The body is over 16 KiB (Django) or 64 KiB (nginx)."),
    "415": error("The body is not application/json."),
}
THROTTLED = {"429": error("Too many failed logins from this address (too_many_attempts).",
                          headers={"Retry-After": {"schema": {"type": "string"},
                                                   "description": "Seconds until the window ends."}})}
# A write that waited for SQLite's write lock longer than its busy timeout (lab/errors.py).
BUSY = {"503": error("The database was busy for too long; nothing was saved (database_busy).",
                     headers={"Retry-After": {"schema": {"type": "string"}}})}
NOT_LOGGED_IN = {"401": error("No session (not_logged_in).")}
# The cookie model covers an app and an API of one site (crossorigin/cookies.py).
TWO_SITES = {"409": error("The lab runs its app and its API on two sites, which the cookie model does not cover "
                          "(matrix_needs_one_site, cookie_model_needs_one_site).")}
RUN = {"name": "run", "in": "query", "required": True,
       "description": "The run id the page sent with its requests (8 to 64 letters, digits, - or _).",
       "schema": {"type": "string", "pattern": f"^{RUN_ID.pattern}$"}}
RUN_ERRORS = {
    "400": error("No valid run id (invalid_run_id)."),
    "403": error("Only the app origin may read a run (ledger_is_private)."),
    "404": error("No such run, or nothing this view needs was recorded in it."),
}
# A string the API takes as given: not empty once its spaces are stripped (lab/api.py require_fields).
FILLED = {"type": "string", "pattern": "\\S"}
CREDENTIALS = {"type": "object", "required": ["username", "password"],
               "properties": {"username": FILLED, "password": FILLED,
                              "lifetime_seconds": {"type": "integer", "minimum": 1,
                                                   "maximum": int(tokens.LIFETIME.total_seconds())}}}
# The token lifecycle (experiments/lifecycle.py): a refresh token in a JSON body, or no JSON at all.
REFRESH_TOKEN_BODY = {"required": False, "content": {JSON: {"schema": {
    "type": "object", "required": ["refresh"], "properties": {"refresh": FILLED}}}}}
TOKEN_REFUSED = {"401": error("No token, a token refused (its reason), or its family revoked or unknown "
                              "(family_revoked, refresh_reused, unknown_family), with a Bearer challenge.")}


# --- A playground case (lab/case.py), as JSON in the query string -----------------------
# What the checker takes, field by field, and fetch()'s own rule that a GET or HEAD has no body.
# Not stated here: a header name appears once (in any case), a case with a redirect runs once and
# keeps its trailing slash, and the whole case is at most MAX_CASE_BYTES. The catalogue-only
# servers (a hand-written origin test, a CSRF check) are refused from a URL, so they are not here.

def printable(most: int) -> dict:
    return {"type": "string", "maxLength": most, "pattern": "^[ -~]*$"}


def strings(most_items: int, item: dict) -> dict:
    return {"type": "array", "maxItems": most_items, "items": item}


TOKEN = {"type": "string", "minLength": 1, "maxLength": case.MAX_NAME, "pattern": f"^{case.TOKEN.pattern}$"}


def header_pairs(most: int, name: dict, value_length: int) -> dict:
    return strings(most, {"type": "array", "prefixItems": [name, printable(value_length)], "minItems": 2, "maxItems": 2})


# The names a raw answer may set (case.check_answer_header), a Location aside.
ANSWER_NAME = {"type": "string", "maxLength": case.MAX_NAME,
               "pattern": "^([Aa]ccess-[Cc]ontrol-[A-Za-z-]{1,40}|[Vv]ary|[Cc]ontent-[Tt]ype|[Xx]-[Ll]ab-[Rr]equest-[Ii]d)$"}


def raw_answer(statuses: dict, redirect=False) -> dict:
    properties = {"status": statuses, "headers": header_pairs(case.MAX_ANSWER_HEADERS, ANSWER_NAME, case.MAX_ANSWER_VALUE)}
    if redirect:
        properties["to"] = {"enum": list(case.REDIRECT_TARGETS)}
    return {"type": "object", "additionalProperties": False, "properties": properties,
            **({"required": ["status", "to"]} if redirect else {})}


ORIGIN_ITEM = {"type": "string",
               "pattern": "^(null|\\{(app|api|attacker|sibling)\\}|https?://[a-z0-9.-]{1,60}(:[0-9]{1,5})?)$"}
# Any regex re compiles is taken; these characters cannot make one that does not compile.
REGEX_ITEM = {"type": "string", "maxLength": case.MAX_REGEX, "pattern": "^[A-Za-z0-9.:/_-]*$"}
CORS_SETTINGS = {"type": "object", "additionalProperties": False, "properties": {
    "CORS_ALLOWED_ORIGINS": strings(case.MAX_LIST, ORIGIN_ITEM),
    "CORS_ALLOWED_ORIGIN_REGEXES": strings(case.MAX_LIST, REGEX_ITEM),
    "CORS_ALLOW_ALL_ORIGINS": {"type": "boolean"},
    "CORS_ALLOW_CREDENTIALS": {"type": "boolean"},
    "CORS_ALLOW_METHODS": strings(case.MAX_LIST, printable(case.MAX_ITEM)),
    "CORS_ALLOW_HEADERS": strings(case.MAX_LIST, printable(case.MAX_ITEM)),
    "CORS_EXPOSE_HEADERS": strings(case.MAX_LIST, printable(case.MAX_ITEM)),
    "CORS_PREFLIGHT_MAX_AGE": {"type": "integer", "minimum": 0, "maximum": case.MAX_AGE_LIMIT},
}}
SERVER = {"oneOf": [
    {"type": "object", "required": ["cors"], "additionalProperties": False,
     "properties": {"cors": CORS_SETTINGS, "view": {"enum": list(case.VIEWS)}}},
    {"type": "object", "required": ["raw"], "additionalProperties": False, "properties": {"raw": {
        "type": "object", "additionalProperties": False, "properties": {
            "preflight": raw_answer({"type": "integer", "minimum": 200, "maximum": 599}),
            "response": raw_answer({"type": "integer", "minimum": 200, "maximum": 599}),
            "redirect": {"oneOf": [{"type": "null"},
                                   raw_answer({"enum": list(case.REDIRECT_STATUSES)}, redirect=True)]}}}}},
]}
CASE_SCHEMA = {"type": "object", "required": ["server"], "additionalProperties": False, "properties": {
    "page": {"enum": list(case.PAGES)},
    "method": {**TOKEN, "maxLength": case.MAX_METHOD},
    "headers": header_pairs(case.MAX_REQUEST_HEADERS, TOKEN, case.MAX_REQUEST_VALUE),
    "body": {"oneOf": [{"type": "null"}, {"type": "string", "maxLength": case.MAX_BODY}]},
    "content_type": printable(case.MAX_REQUEST_VALUE),
    "credentials": {"enum": list(case.CREDENTIALS)},
    "mode": {"enum": list(case.MODES)},
    "repeat": {"type": "integer", "minimum": 1, "maximum": case.MAX_REPEAT},
    "trailing_slash": {"type": "boolean"},
    "server": SERVER,
}, "if": {"required": ["body"], "properties": {"body": {"type": "string"}}},
   "then": {"required": ["method"], "properties": {"method": {"not": {"pattern": "^([Gg][Ee][Tt]|[Hh][Ee][Aa][Dd])$"}}}}}
CASE = {"name": "case", "in": "query", "required": True, "content": {JSON: {"schema": CASE_SCHEMA}},
        "description": f"A playground case as JSON, at most {case.MAX_CASE_BYTES} bytes (backend/lab/case.py)."}


def body(schema: dict, *media: str) -> dict:
    return {"required": True, "content": {kind: {"schema": schema} for kind in (media or (JSON,))}}


def slug(name: str, values) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"enum": sorted(values)}}


# A query string can make the request line longer than nginx takes (4 KiB): nginx answers itself.
URI_TOO_LONG = {"414": error("The request line is over 4 KiB: nginx answers (uri_too_long).")}


def get(summary: str, responses: dict | None = None, **extra) -> dict:
    return {"get": {"summary": summary, "responses": {"200": answer("OK"), **URI_TOO_LONG, **(responses or {})},
                    **extra}}


PATHS = {
    "/api/hello/": get("A simple request: readable by the app origin."),
    "/api/no-cors/hello/": get("Answers 200 with no CORS header: a cross-origin page cannot read it."),
    "/api/users/": {"post": {
        "summary": "Stores a user record (the article's JSON POST).",
        "requestBody": body({"type": "object", "required": ["username", "email"],
                             "properties": {"username": {"type": "string", "pattern": USERNAME.pattern},
                                            "email": {"type": "string", "format": "email"}}}),
        "responses": {"201": answer("Stored"), **BODY_ERRORS, **BUSY}}},
    "/api/token/": {"post": {
        "summary": "Issues an HS256 JWT for the demo user.",
        "requestBody": body(CREDENTIALS),
        "responses": {"200": answer("A token"), **BODY_ERRORS, **THROTTLED, **BUSY}}},
    "/api/protected/": get("Needs Authorization: Bearer <token>.",
                           {"401": error("No token, or a token refused, with a Bearer challenge.")},
                           security=[{"bearer": []}]),
    "/api/token/pair/": {"post": {
        "summary": "The token lifecycle's login: an access token and a refresh token of a new family, the refresh "
                   "token in the body or in an HttpOnly cookie scoped to /api/token/refresh/.",
        "requestBody": body({"type": "object", "required": ["username", "password", "refresh_in"],
                             "properties": {"username": FILLED, "password": FILLED,
                                            "refresh_in": {"enum": list(REFRESH_IN)}}}),
        "responses": {"200": answer("The tokens and their family"), **BODY_ERRORS, **THROTTLED, **BUSY}}},
    "/api/token/refresh/": {"post": {
        "summary": "Rotates a refresh token: from a JSON body, or else from the refresh cookie, which Django's CSRF "
                   "check guards. A retired refresh token revokes its family.",
        "requestBody": REFRESH_TOKEN_BODY,
        "responses": {"200": answer("A new access token and the next refresh token"), **TOKEN_REFUSED,
                      **BODY_ERRORS, **CSRF, **BUSY}}},
    "/api/token/refresh/revoke/": {"post": {
        "summary": "Logs out: revokes the family of a refresh token (JSON body, or else the refresh cookie, which "
                   "Django's CSRF check guards, and which the answer clears).",
        "requestBody": REFRESH_TOKEN_BODY,
        "responses": {"200": answer("The family, revoked"), **TOKEN_REFUSED, **BODY_ERRORS, **CSRF, **BUSY}}},
    "/api/token/me/": get("The user of a lifecycle access token whose family was not revoked.", TOKEN_REFUSED,
                          security=[{"bearer": []}]),
    "/api/token/cookie/": get("The refresh cookie's attributes, and where the cookie model says each engine sends it.",
                              TWO_SITES),
    "/api/token/attempts/": get("Other pages' requests of one run to the refresh path, judged.", RUN_ERRORS,
                                parameters=[RUN]),
    "/api/csrf/": get("Sets the csrftoken cookie; returns a masked token."),
    "/api/login/": {"post": {
        "summary": "Session login (needs the CSRF token).",
        "requestBody": body(CREDENTIALS),
        "responses": {"200": answer("Logged in"), **BODY_ERRORS, **CSRF, **THROTTLED, **BUSY}}},
    "/api/me/": get("The session's user.", NOT_LOGGED_IN, security=[{"session": []}]),
    "/api/logout/": {"post": {"summary": "Ends the session.",
                              "responses": {"200": answer("Logged out"), **CSRF, **BUSY}}},
    "/api/display-name/": {"post": {
        "summary": "Changes the session user's display name (the CSRF target).",
        "security": [{"session": []}],
        "requestBody": body({"type": "object", "required": ["display_name"],
                             "properties": {"display_name": {**FILLED, "maxLength": 40}}},
                            JSON, "application/x-www-form-urlencoded"),
        "responses": {"200": answer("Changed"), **NOT_LOGGED_IN, **BODY_ERRORS, **CSRF, **BUSY}}},
    "/api/config/": get("The settings the server runs with."),
    "/api/ledger/": get("The API's record of one run.", RUN_ERRORS, parameters=[RUN]),
    "/api/cookies/set/": get("Sets the SameSite probe cookies."),
    "/api/cookies/probe/{context}/": {
        "parameters": [slug("context", CONTEXTS_BY_NAME)],
        **{method: {"summary": "Reports which probe cookies arrived.",
                    "responses": {"200": answer("The cookies that arrived"),
                                  "404": error("No such request context.")}} for method in ("get", "post")}},
    "/api/cookies/same-origin/": get("A page of the API's origin, framed by the cookies page.",
                                     {"200": answer("The page", {"type": "string"}, media="text/html")}),
    "/api/cookies/matrix/": get("The SameSite matrix of one run.", {**RUN_ERRORS, **TWO_SITES}, parameters=[
        RUN, {"name": "app_script_saw", "in": "query", "schema": {"type": "string"}}]),
    "/api/cookies/attacks/": get("The attacker's requests of one run.", RUN_ERRORS, parameters=[RUN]),
    "/api/scenarios/": get("The scenario catalogue: named cases, run and judged as the playground's."),
    "/api/playground/check/": get("Is this playground case one the playground runs? The case with its defaults.", {
        "400": error("The case is refused (invalid_case, with the field at fault).")}, parameters=[CASE]),
    "/api/playground/verdict/": get("The Fetch model's verdict on one run of a playground case.", {
        **RUN_ERRORS, "400": error("No valid run id, or the case is refused (invalid_case).")},
        parameters=[CASE, RUN, {"name": "slot", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{1,2}$"}}]),
    "/api/leaks/table/": get("The leak catalogue's tables, one column per browser run.", {**RUN_ERRORS,
        "400": error("A column is not <label>:<run id> (invalid_column).")}, parameters=[
        {"name": "column", "in": "query", "required": True,
         "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}:[A-Za-z0-9][A-Za-z0-9_-]{7,63}$"},
         "description": "<label>:<run id>, repeated: one column of the tables per browser run."}]),
    "/api/doctor/": {"post": {
        "summary": "The doctor's report for a front origin, an API URL and a pasted settings file, read as literals.",
        "requestBody": body({"type": "object", "required": ["front", "api"], "properties": {
            "front": {"type": "string", "maxLength": doctor.MAX_URL, "pattern": "^https?://[a-z0-9.-]+(:[0-9]{1,5})?/?$"},
            "api": {"type": "string", "maxLength": doctor.MAX_URL, "pattern": "^https?://[a-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]*)*$"},
            "settings": {"type": "string", "maxLength": doctor.MAX_SETTINGS_CHARACTERS}}}),
        "responses": {"200": answer("The report (docs/doctor.md)"), **{
            **BODY_ERRORS, "400": error("Malformed JSON, missing fields, an origin that is not one (invalid_origin), "
                                        "settings that are not Python (settings_not_python) or too long "
                                        "(invalid_settings), or a regex the time-limited engine refuses (regex_refused, "
                                        "regex_too_slow).")}}}},
    "/api/doctor/lab/": get("The doctor's report on the lab's own settings, with one of its pages as the front.", {
        "400": error("front is not one of the lab's pages (invalid_front).")}, parameters=[
        {"name": "front", "in": "query", "schema": {"enum": ["app", "cross_site_app", "sibling", "attacker"]}}]),
    "/api/openapi.json": get("This document."),
}

def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "CORS Django Lab API", "version": "1",
                 "description": "Every error is JSON of one shape: {\"error\": code, \"message\": sentence}."},
        "servers": [{"url": settings.LAB_API_ORIGIN}],
        "paths": PATHS,
        "components": {
            # message: in the request's language (Accept-Language); the others stay as said.
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                                 "reason": {"type": "string", "description": "Django's CSRF reason, in English"},
                                                 "reason_code": {"type": "string"},
                                                 "detail": {"type": "string", "description": "PyJWT's own words"}}}},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "A token from POST /api/token/."},
                "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                            "description": "Django's session, from POST /api/login/. Unsafe methods also need "
                                           "the CSRF token of GET /api/csrf/ in X-CSRFToken, and its cookie."}},
        },
    }


@api_view("GET")
def openapi(request):
    return JsonResponse(document())
