"""Small helpers every view uses: JSON errors with the right status, method checks, body parsing.

Every error the API gives is JSON of one shape, {"error": code, "message": sentence}, so the page
can show it and a test can assert on the code. The message is in the request's language; a few
errors add the untranslated technical text a learner meets in logs and search engines (Django's
CSRF `reason`, PyJWT's `detail`).
"""

import json
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None, **fields: str):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}
        self.fields = fields

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message, self.headers, **self.fields)


def error_response(status: int, code: str, message: str, headers: dict | None = None, **fields: str) -> JsonResponse:
    """`fields`: technical extras beside the message (reason=, detail=), never translated."""
    return JsonResponse({"error": code, "message": str(message), **fields}, status=status, headers=headers)


def api_view(*methods: str):
    """Allows only `methods` (405 with an Allow header otherwise) and turns ApiError into JSON."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return error_response(
                    405,
                    "method_not_allowed",
                    _("%(method)s is not allowed here; use %(allowed)s.")
                    % {"method": request.method, "allowed": " or ".join(methods)},
                    {"Allow": ", ".join(methods)},
                )
            try:
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error.response()

        wrapper.allowed_methods = methods  # read by config/tests/test_openapi.py
        return wrapper

    return decorate


def too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(413, "body_too_large", _("The body is over %(limit)d bytes.") % {"limit": limit})


def require_fields(data: dict, fields: tuple[str, ...]) -> dict:
    missing = [name for name in fields if not isinstance(data.get(name), str) or not data[name].strip()]
    if missing:
        raise ApiError(400, "missing_fields", _("Missing or empty: %(fields)s.") % {"fields": ", ".join(missing)})
    return data


def json_body(request, *fields: str) -> dict:
    """The request's JSON object, with each of `fields` a non-empty string."""
    if request.content_type != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send Content-Type: application/json, not %(type)s.") % {"type": request.content_type or "none"},
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large() from None
    try:
        data = json.loads(body)
        # JSON can escape half of a UTF-16 pair ("\ud800"), which Python keeps as a lone surrogate:
        # not Unicode text, and SQLite cannot store it (a 500). I-JSON (RFC 7493, 2.1) forbids
        # them; encoding the whole value finds one anywhere (UnicodeEncodeError is a ValueError).
        json.dumps(data, ensure_ascii=False).encode()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "malformed_json", _("The body is not valid JSON.")) from None
    except RecursionError:
        # 16 KiB of "[" is valid-looking JSON nested deeper than Python's parser can recurse.
        raise ApiError(400, "too_deeply_nested", _("The JSON body is nested too deeply.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", _("The body must be a JSON object."))
    return require_fields(data, fields)


def form_or_json_body(request, *fields: str) -> dict:
    """Accepts what an HTML form posts as well as JSON (for endpoints a form can target)."""
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            return require_fields(request.POST.dict(), fields)
        except RequestDataTooBig:
            raise too_large() from None
    return json_body(request, *fields)
