"""The API's OpenAPI 3.1 document, served at /api/openapi.json.

Written by hand as a small Python structure, next to the URLconf it describes; two things keep it
true: config/tests/test_openapi.py fails when a URL pattern under /api/ or one of its methods is
missing here, and `make test` runs schemathesis against the running lab, which fails on any
response this document does not describe.
"""

from django.conf import settings
from django.http import JsonResponse

from lab.api import api_view

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
RUN = {"name": "run", "in": "query", "required": True,
       "description": "The run id the page sent with its requests (8 to 64 letters, digits, - or _).",
       "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$"}}
RUN_ERRORS = {
    "400": error("No valid run id (invalid_run_id)."),
    "403": error("Only the app origin may read a run (ledger_is_private)."),
    "404": error("No such run, or nothing this view needs was recorded in it."),
}
CASE = {"name": "case", "in": "query", "required": True, "schema": {"type": "string"},
        "description": "A playground case as JSON (backend/playground/case.py)."}
CREDENTIALS = {"type": "object", "required": ["username", "password"],
               "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                              "lifetime_seconds": {"type": "integer", "minimum": 1, "maximum": 300}}}


def body(schema: dict, *media: str) -> dict:
    return {"required": True, "content": {kind: {"schema": schema} for kind in (media or (JSON,))}}


def slug(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


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
                             "properties": {"username": {"type": "string", "pattern": "^[A-Za-z0-9_.@+-]{1,150}$"},
                                            "email": {"type": "string", "format": "email"}}}),
        "responses": {"201": answer("Stored"), **BODY_ERRORS}}},
    "/api/token/": {"post": {
        "summary": "Issues an HS256 JWT for the demo user.",
        "requestBody": body(CREDENTIALS),
        "responses": {"200": answer("A token"), **BODY_ERRORS, **THROTTLED}}},
    "/api/protected/": get("Needs Authorization: Bearer <token>.",
                           {"401": error("No token, or a token refused, with a Bearer challenge.")},
                           security=[{"bearer": []}]),
    "/api/csrf/": get("Sets the csrftoken cookie; returns a masked token."),
    "/api/login/": {"post": {
        "summary": "Session login (needs the CSRF token).",
        "requestBody": body(CREDENTIALS),
        "responses": {"200": answer("Logged in"), **BODY_ERRORS, **CSRF, **THROTTLED}}},
    "/api/me/": get("The session's user.", {"401": error("No session (not_logged_in).")}),
    "/api/logout/": {"post": {"summary": "Ends the session.",
                              "responses": {"200": answer("Logged out"), **CSRF}}},
    "/api/display-name/": {"post": {
        "summary": "Changes the session user's display name (the CSRF target).",
        "requestBody": body({"type": "object", "required": ["display_name"],
                             "properties": {"display_name": {"type": "string"}}},
                            JSON, "application/x-www-form-urlencoded"),
        "responses": {"200": answer("Changed"), "401": error("No session."), **BODY_ERRORS, **CSRF}}},
    "/api/config/": get("The settings the server runs with."),
    "/api/ledger/": get("The API's record of one run.", RUN_ERRORS, parameters=[RUN]),
    "/api/cookies/set/": get("Sets the SameSite probe cookies."),
    "/api/cookies/probe/{context}/": {
        "parameters": [slug("context")],
        **{method: {"summary": "Reports which probe cookies arrived.",
                    "responses": {"200": answer("The cookies that arrived"),
                                  "404": error("No such request context.")}} for method in ("get", "post")}},
    "/api/cookies/same-origin/": get("A page of the API's origin, framed by the cookies page.",
                                     {"200": answer("The page", {"type": "string"}, media="text/html")}),
    "/api/cookies/matrix/": get("The SameSite matrix of one run.", RUN_ERRORS, parameters=[
        RUN, {"name": "app_script_saw", "in": "query", "schema": {"type": "string"}}]),
    "/api/cookies/attacks/": get("The attacker's requests of one run.", RUN_ERRORS, parameters=[RUN]),
    "/api/scenarios/": get("The scenario catalogue."),
    "/api/scenarios/{slug}/verdict/": get("The Fetch model's verdict on one run of a scenario.", RUN_ERRORS,
                                          parameters=[slug("slug"), RUN]),
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
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


@api_view("GET")
def openapi(request):
    return JsonResponse(document())
