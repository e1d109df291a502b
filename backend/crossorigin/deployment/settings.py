"""The settings of a Django project that decide the article's flows, and how Django and
django-cors-headers read them.

DjangoSettings holds them under their own names, with the defaults of Django 5.2 and
django-cors-headers 4.9 for every name a project leaves out (cors_doctor/tests/test_defaults.py
compares them with the installed packages). It is built from any mapping: a project's live
settings, or the literals read from a settings file.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from crossorigin.sites import origin_of

# django-cors-headers' corsheaders.defaults.
DEFAULT_CORS_ALLOW_HEADERS = ("accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with")
DEFAULT_CORS_ALLOW_METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")
# The older spellings django-cors-headers still reads when the new name is absent.
OLD_CORS_NAMES = {"CORS_ORIGIN_ALLOW_ALL": "CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_WHITELIST": "CORS_ALLOWED_ORIGINS",
                  "CORS_ORIGIN_REGEX_WHITELIST": "CORS_ALLOWED_ORIGIN_REGEXES"}

CORS_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
# What `django-admin startproject` writes (Django 5.2).
STARTPROJECT_MIDDLEWARE = (
    SECURITY_MIDDLEWARE,
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    CSRF_MIDDLEWARE,
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)
SAMESITE_VALUES = ("Strict", "Lax", "None")
# The doctor's own settings: the origins of the learner's front pages, the API's origin when
# ALLOWED_HOSTS cannot tell it, and whether the project adds Partitioned (CHIPS) to the session
# and CSRF cookies, which Django has no setting for.
FRONT_ORIGINS_SETTING = "CORS_DOCTOR_FRONT_ORIGINS"
API_ORIGIN_SETTING = "CORS_DOCTOR_API_ORIGIN"

SEQUENCE, TEXT, FLAG, NUMBER, REGEX = ("a list or tuple of strings", "a string", "True or False", "a whole number",
                                      "regular expressions re.compile takes")


@dataclass(frozen=True)
class DjangoSettings:
    DEBUG: bool = False
    ALLOWED_HOSTS: tuple = ()
    # None: not known (a settings file that does not set it). The checks then assume it is right.
    MIDDLEWARE: tuple | None = None
    SECURE_PROXY_SSL_HEADER: tuple | None = None
    SECURE_SSL_REDIRECT: bool = False
    CORS_ALLOWED_ORIGINS: tuple = ()
    CORS_ALLOWED_ORIGIN_REGEXES: tuple = ()
    CORS_ALLOW_ALL_ORIGINS: bool = False
    CORS_ALLOW_CREDENTIALS: bool = False
    CORS_ALLOW_HEADERS: tuple = DEFAULT_CORS_ALLOW_HEADERS
    CORS_ALLOW_METHODS: tuple = DEFAULT_CORS_ALLOW_METHODS
    CORS_URLS_REGEX: str = r"^.*$"
    CORS_EXPOSE_HEADERS: tuple = ()
    CORS_PREFLIGHT_MAX_AGE: int = 86400
    CSRF_TRUSTED_ORIGINS: tuple = ()
    CSRF_COOKIE_NAME: str = "csrftoken"
    CSRF_COOKIE_SAMESITE: str | None = "Lax"
    CSRF_COOKIE_SECURE: bool = False
    CSRF_COOKIE_DOMAIN: str | None = None
    CSRF_COOKIE_PATH: str = "/"
    CSRF_HEADER_NAME: str = "HTTP_X_CSRFTOKEN"
    CSRF_USE_SESSIONS: bool = False
    SESSION_COOKIE_NAME: str = "sessionid"
    SESSION_COOKIE_SAMESITE: str | None = "Lax"
    SESSION_COOKIE_SECURE: bool = False
    SESSION_COOKIE_DOMAIN: str | None = None
    SESSION_COOKIE_PATH: str = "/"
    CORS_DOCTOR_PARTITIONED_COOKIES: bool = False
    # (name, what it should be) for each value of the wrong type; the default was kept instead.
    problems: tuple = field(default=(), compare=False)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "problems"]

    @classmethod
    def of(cls, values: Mapping) -> "DjangoSettings":
        """The settings a mapping holds (a project's settings module, or literals read from its
        file); absent names keep the defaults, and a value of the wrong type is a problem."""
        values = dict(values)
        for old, new in OLD_CORS_NAMES.items():
            if old in values and new not in values:
                values[new] = values[old]
        kept, problems = {}, []
        for name in cls.names():
            if name not in values:
                continue
            value, expected = _normalized(name, values[name])
            if expected:
                problems.append((name, expected))
            else:
                kept[name] = value
        return cls(**kept, problems=tuple(problems))

    # --- How Django and django-cors-headers read them ------------------------------------------

    def cors_middleware_installed(self) -> bool:
        return self.MIDDLEWARE is None or CORS_MIDDLEWARE in self.MIDDLEWARE

    def csrf_middleware_installed(self) -> bool:
        return self.MIDDLEWARE is None or CSRF_MIDDLEWARE in self.MIDDLEWARE

    def csrf_header(self) -> str:
        """The request header Django reads the token from: HTTP_X_CSRFTOKEN -> X-CSRFToken."""
        name = self.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
        return "X-CSRFToken" if name.lower() == "x-csrftoken" else name.title()

    def csrf_cookie(self) -> dict:
        """The attributes of the cookie that holds the CSRF secret (the session's, with CSRF_USE_SESSIONS)."""
        return self.session_cookie() if self.CSRF_USE_SESSIONS else self._cookie("CSRF")

    def session_cookie(self) -> dict:
        return self._cookie("SESSION")

    def _cookie(self, prefix: str) -> dict:
        return {"name": getattr(self, f"{prefix}_COOKIE_NAME"), "samesite": getattr(self, f"{prefix}_COOKIE_SAMESITE"),
                "secure": getattr(self, f"{prefix}_COOKIE_SECURE"), "domain": getattr(self, f"{prefix}_COOKIE_DOMAIN"),
                "path": getattr(self, f"{prefix}_COOKIE_PATH"), "partitioned": self.CORS_DOCTOR_PARTITIONED_COOKIES,
                "setting": prefix}

    def is_secure(self, api: str) -> bool:
        """request.is_secure() behind a proxy: Django sees TLS only through SECURE_PROXY_SSL_HEADER
        (the proxy lines the doctor writes send it)."""
        return api.startswith("https://") and self.SECURE_PROXY_SSL_HEADER is not None

    def host_allowed(self, host: str) -> bool:
        """django.http.request.validate_host, with DEBUG's implicit localhost names."""
        patterns = self.ALLOWED_HOSTS or ((".localhost", "127.0.0.1", "[::1]") if self.DEBUG else ())
        host = host.lower().rstrip(".")
        return any(pattern == "*" or _is_same_domain(host, pattern.lower()) for pattern in patterns)

    def cors_enabled(self, path: str, regex_match=re.match) -> bool:
        return self.cors_middleware_installed() and bool(regex_match(self.CORS_URLS_REGEX, path))

    def cors_allows(self, origin: str, regex_match=re.match) -> bool:
        """CorsMiddleware.origin_found_in_white_lists, or allow-all. `regex_match(pattern, origin)`
        runs the regexes: re.match, or a time-limited one for patterns from a web page."""
        if self.CORS_ALLOW_ALL_ORIGINS:
            return True
        listed = any(_scheme_and_netloc(allowed) == _scheme_and_netloc(origin) for allowed in self.CORS_ALLOWED_ORIGINS)
        return listed or any(regex_match(pattern, origin) for pattern in self.CORS_ALLOWED_ORIGIN_REGEXES)

    def csrf_trusts(self, origin: str, api: str) -> bool:
        """CsrfViewMiddleware._origin_verified for a request from `origin` to the API at `api`."""
        own = f"{'https' if self.is_secure(api) else 'http'}://{_netloc(api)}"
        if origin == own or origin in self.CSRF_TRUSTED_ORIGINS:
            return True
        scheme, netloc = _scheme_and_netloc(origin)
        return any(_is_same_domain(netloc, trusted.split("://", 1)[-1].lstrip("*"))
                   for trusted in self.CSRF_TRUSTED_ORIGINS if "*" in trusted and trusted.startswith(f"{scheme}://"))


def _normalized(name: str, value) -> tuple[object, str | None]:
    """(the value as the model keeps it, None) or (None, what it should have been)."""
    value, expected = _typed(name, value)
    if expected is None and name in ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_URLS_REGEX"):
        try:
            for pattern in value if isinstance(value, tuple) else (value,):
                re.compile(pattern)
        except (re.error, OverflowError, RecursionError):
            return None, REGEX
    return value, expected


def _typed(name: str, value) -> tuple[object, str | None]:
    default = next(f.default for f in fields(DjangoSettings) if f.name == name)
    if name in ("MIDDLEWARE", "SECURE_PROXY_SSL_HEADER") and value is None:
        return None, None
    if isinstance(default, tuple) or name in ("MIDDLEWARE", "SECURE_PROXY_SSL_HEADER"):
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return tuple(value), None
        patterns = [getattr(item, "pattern", item) for item in value] if isinstance(value, (list, tuple)) else None
        if name == "CORS_ALLOWED_ORIGIN_REGEXES" and patterns is not None and all(isinstance(p, str) for p in patterns):
            return tuple(patterns), None  # compiled patterns too
        return None, SEQUENCE
    if isinstance(default, bool):
        return (value, None) if isinstance(value, bool) else (None, FLAG)
    if isinstance(default, int):
        return (value, None) if type(value) is int else (None, NUMBER)
    if name.endswith("_SAMESITE"):
        # Django writes the value as given; the browser reads it case-insensitively (cookies.py).
        # None and False both mean "no SameSite attribute" to Django's set_cookie().
        if value is None or value is False:
            return None, None
        return (value, None) if isinstance(value, str) else (None, TEXT)
    if name.endswith("_DOMAIN"):
        return (value, None) if value is None or isinstance(value, str) else (None, TEXT)
    return (value, None) if isinstance(value, str) else (None, TEXT)


def _is_same_domain(host: str, pattern: str) -> bool:
    """django.utils.http.is_same_domain: ".example.com" matches example.com and its subdomains."""
    if not pattern:
        return False
    if pattern.startswith("."):
        return host.endswith(pattern) or host == pattern[1:]
    return host == pattern


def _scheme_and_netloc(origin: str) -> tuple[str, str]:
    scheme, _, rest = origin.partition("://")
    return scheme, rest.split("/", 1)[0]


def _netloc(url: str) -> str:
    return _scheme_and_netloc(origin_of(url))[1]
