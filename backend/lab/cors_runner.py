"""django-cors-headers' answer to one request, under a configuration of that request's own.

The API's own CORS comes from django-cors-headers itself: CorsMiddleware in MIDDLEWARE, configured
by the CORS_* names in config/settings.py. The scenarios (and every other lesson that shows a
server configured another way) need a different configuration for each request, and
django-cors-headers reads its configuration from Django's process-wide settings. Switching those
per request would leak between requests served at the same time. So this module answers exactly
as CorsMiddleware does, from a CorsConfig passed in, and touches nothing shared.

lab/tests/test_cors_runner.py runs the real CorsMiddleware of the pinned version (requirements.txt)
beside this runner over a grid of configurations and requests, and fails if one header differs: an
upgrade that changes the library's behaviour is caught there.

One difference, on purpose: the library runs CORS_ALLOWED_ORIGIN_REGEXES with re.match, which has
no time limit; here they run through lab/origin_regex.py, which decides as re.match does within
a time limit, or answers a JSON 400 that says why it could not (see add_headers).
"""

from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from corsheaders.defaults import default_headers, default_methods
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from lab import origin_regex
from lab.api import error_response


@dataclass(frozen=True)
class CorsConfig:
    """The django-cors-headers settings, under their own names, with the library's defaults."""

    CORS_ALLOWED_ORIGINS: tuple = ()
    CORS_ALLOWED_ORIGIN_REGEXES: tuple = ()
    CORS_ALLOW_ALL_ORIGINS: bool = False
    CORS_ALLOW_CREDENTIALS: bool = False
    CORS_ALLOW_HEADERS: tuple = tuple(default_headers)
    CORS_ALLOW_METHODS: tuple = tuple(default_methods)
    CORS_EXPOSE_HEADERS: tuple = ()
    CORS_PREFLIGHT_MAX_AGE: int = 86400

    @classmethod
    def names(cls) -> list[str]:
        return [field.name for field in fields(cls)]

    @classmethod
    def of(cls, settings) -> "CorsConfig":
        """The configuration a settings object (Django's, say) holds; absent names keep the defaults."""
        return cls(**{name: getattr(settings, name) for name in cls.names() if hasattr(settings, name)})

    def allows_origin(self, origin: str) -> bool:
        """django-cors-headers' origin test (CorsMiddleware.origin_found_in_white_lists). Raises
        origin_regex.Unanswerable when the regexes cannot decide in time, or on an Origin no
        browser sends."""
        try:
            url = urlsplit(origin)
        except ValueError:
            return False
        listed = [urlsplit(allowed) for allowed in self.CORS_ALLOWED_ORIGINS]
        return (
            (origin == "null" and origin in self.CORS_ALLOWED_ORIGINS)
            or any(item.scheme == url.scheme and item.netloc == url.netloc for item in listed)
            # re.match: anchored at the start only. A pattern without $ accepts any suffix.
            or origin_regex.any_matches(self.CORS_ALLOWED_ORIGIN_REGEXES, origin)
        )


def is_preflight(request) -> bool:
    return request.method == "OPTIONS" and "access-control-request-method" in request.headers


def answer(config: CorsConfig, request, get_response) -> HttpResponse:
    """What CorsMiddleware answers when its CORS_URLS_REGEX covers this request: a preflight is
    answered at once (200, empty), anything else goes to `get_response`; then the headers."""
    response = HttpResponse(headers={"content-length": "0"}) if is_preflight(request) else get_response(request)
    return add_headers(config, request, response)


def add_headers(config: CorsConfig, request, response):
    """CorsMiddleware.add_response_headers, with `config` in place of the settings."""
    patch_vary_headers(response, ("origin",))
    origin = request.headers.get("origin")
    if not origin:
        return response
    try:
        urlsplit(origin)
    except ValueError:
        return response
    try:
        if not config.CORS_ALLOW_ALL_ORIGINS and not config.allows_origin(origin):
            return response
    except origin_regex.Unanswerable as unanswerable:
        # Where the library would hold the worker for seconds: a JSON 400 instead of the answer,
        # with no CORS header (the page cannot read it; the ledger shows it).
        refused = error_response(400, unanswerable.code, unanswerable.message)
        patch_vary_headers(refused, ("origin",))
        return refused

    if config.CORS_ALLOW_ALL_ORIGINS and not config.CORS_ALLOW_CREDENTIALS:
        response["access-control-allow-origin"] = "*"
    else:
        # With credentials, even "allow all" echoes the caller's origin: any site can read.
        response["access-control-allow-origin"] = origin
    if config.CORS_ALLOW_CREDENTIALS:
        response["access-control-allow-credentials"] = "true"
    if config.CORS_EXPOSE_HEADERS:
        response["access-control-expose-headers"] = ", ".join(config.CORS_EXPOSE_HEADERS)
    if request.method == "OPTIONS":
        response["access-control-allow-headers"] = ", ".join(config.CORS_ALLOW_HEADERS)
        response["access-control-allow-methods"] = ", ".join(config.CORS_ALLOW_METHODS)
        # 0 means "send no Max-Age" to the library, which browsers then read as their default.
        if config.CORS_PREFLIGHT_MAX_AGE:
            response["access-control-max-age"] = str(config.CORS_PREFLIGHT_MAX_AGE)
    return response
