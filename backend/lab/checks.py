"""System checks for the combinations this lab can be switched into that browsers or attackers
punish. They run at every start (migrate runs them) and in `make test` (check --deploy)."""

import re

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from lab.cors_runner import CorsConfig


@register(Tags.security)
def samesite_none_needs_secure(app_configs, **kwargs):
    errors = []
    for cookie in ("SESSION", "CSRF"):
        samesite = getattr(settings, f"{cookie}_COOKIE_SAMESITE")
        secure = getattr(settings, f"{cookie}_COOKIE_SECURE")
        if samesite == "None" and not secure:
            errors.append(
                Error(
                    f"{cookie}_COOKIE_SAMESITE is 'None' but {cookie}_COOKIE_SECURE is False.",
                    hint="Browsers drop SameSite=None cookies that are not Secure. "
                    "Set LAB_COOKIE_SECURE=true in .env.",
                    id="lab.E001",
                )
            )
    return errors


@register(Tags.security)
def partitioned_needs_secure(app_configs, **kwargs):
    # Browsers refuse a Partitioned cookie that is not Secure (CHIPS); lab/partitioned.py.
    if settings.LAB_PARTITIONED_COOKIES and not settings.SESSION_COOKIE_SECURE:
        return [
            Error(
                "LAB_PARTITIONED_COOKIES is true but the cookies are not Secure.",
                hint="Browsers drop Partitioned cookies that are not Secure. Set LAB_COOKIE_SECURE=true in .env.",
                id="lab.E003",
            )
        ]
    return []


@register(Tags.security)
def cookie_prefixes_hold(app_configs, **kwargs):
    # RFC 6265bis, "Cookie Name Prefixes": a browser refuses a __Secure- cookie that is not Secure,
    # and a __Host- cookie that is not Secure, has a Domain attribute or a Path other than "/".
    # Django would set it all the same, and the login would fail for want of the cookie.
    errors = []
    for cookie in ("SESSION", "CSRF"):
        name = getattr(settings, f"{cookie}_COOKIE_NAME")
        secure = getattr(settings, f"{cookie}_COOKIE_SECURE")
        domain = getattr(settings, f"{cookie}_COOKIE_DOMAIN")
        path = getattr(settings, f"{cookie}_COOKIE_PATH")
        if name.startswith(("__Secure-", "__Host-")) and not secure:
            errors.append(f"{cookie}_COOKIE_NAME is {name!r} but {cookie}_COOKIE_SECURE is False.")
        if name.startswith("__Host-") and (domain or path != "/"):
            errors.append(f"{cookie}_COOKIE_NAME is {name!r} but {cookie}_COOKIE_DOMAIN is {domain!r} "
                          f"and {cookie}_COOKIE_PATH {path!r}.")
    return [Error(message, hint="Browsers refuse a __Host- cookie unless it is Secure, Path=/ and has no "
                  "Domain (a __Secure- one unless it is Secure). Set LAB_CSRF_COOKIE_DOMAIN=host-only and "
                  "LAB_COOKIE_SECURE=true in .env, or LAB_CSRF_COOKIE_NAME=csrftoken.", id="lab.E004")
            for message in errors]


@register(Tags.security)
def dev_layout_is_plain_http(app_configs, **kwargs):
    # The dev layout's API port is plain http: SecurityMiddleware would redirect each of its
    # requests to https://, where nothing answers for that host.
    if settings.LAB_DEV_LAYOUT and settings.SECURE_SSL_REDIRECT:
        return [Error("LAB_DEV_LAYOUT is true but SECURE_SSL_REDIRECT is True.",
                      hint="The dev layout is plain http: set LAB_SECURE_SSL_REDIRECT=false (make dev-layout does).",
                      id="lab.E005")]
    return []


@register(Tags.security)
def scheme_reaches_django(app_configs, **kwargs):
    # nginx terminates TLS; Django knows a request was https only from X-Forwarded-Proto, and only
    # with SECURE_PROXY_SSL_HEADER. Without either, request.is_secure() is False for every request.
    if settings.LAB_PROXY_FORWARDED_PROTO and settings.SECURE_PROXY_SSL_HEADER:
        return []
    lost = ("nginx does not send X-Forwarded-Proto (LAB_PROXY_FORWARDED_PROTO=false)"
            if not settings.LAB_PROXY_FORWARDED_PROTO else
            "SECURE_PROXY_SSL_HEADER is None (LAB_SECURE_PROXY_SSL_HEADER=false)")
    redirect = (" With SECURE_SSL_REDIRECT every request is redirected to itself, a loop."
                if settings.SECURE_SSL_REDIRECT else "")
    return [Warning(f"Django takes every request for plain http: {lost}.",
                    hint="A same-origin POST then fails Django's Origin check (it builds its own origin as "
                    "http://...): 'Origin checking failed'." + redirect + " Deliberate, for the proxy "
                    "experiment (docs/mistakes.md); set both back to true.", id="lab.W106")]


@register(Tags.security)
def no_credentials_for_every_origin(app_configs, **kwargs):
    # django-cors-headers then echoes ANY Origin with Allow-Credentials: every site on the web
    # could read the user's data with the user's cookies.
    cors = CorsConfig.of(settings)
    if cors.CORS_ALLOW_ALL_ORIGINS and cors.CORS_ALLOW_CREDENTIALS:
        return [
            Error(
                "CORS_ALLOW_ALL_ORIGINS and CORS_ALLOW_CREDENTIALS are both True.",
                hint="List the trusted origins in CORS_ALLOWED_ORIGINS instead.",
                id="lab.E002",
            )
        ]
    return []


@register(Tags.security)
def csrf_trusts_no_attacker(app_configs, **kwargs):
    if settings.LAB_ATTACKER_ORIGIN in settings.CSRF_TRUSTED_ORIGINS:
        return [
            Warning(
                f"CSRF_TRUSTED_ORIGINS trusts the attacker origin {settings.LAB_ATTACKER_ORIGIN}.",
                hint="Only for the CSRF experiment: Django now accepts the attacker's POSTs "
                "whenever they carry a valid token.",
                id="lab.W001",
            )
        ]
    return []


@register(Tags.security)
def csrf_exempt_variant_is_on(app_configs, **kwargs):
    if settings.LAB_DISPLAY_NAME_CSRF_EXEMPT:
        return [
            Warning(
                "POST /api/display-name/ is csrf_exempt (LAB_DISPLAY_NAME_CSRF_EXEMPT=true).",
                hint="Deliberately vulnerable, for the CSRF experiment. Set it back to false.",
                id="lab.W002",
            )
        ]
    return []


# --- The leaky mistakes of backend/leaks/catalogue.py, copied into the real settings ----------
# A dot that is not escaped: "app.lab" also matches "app-lab". (\. is fine, .* and .+ are wildcards
# that the every-subdomain check below judges by what they let in.)
UNESCAPED_DOT = re.compile(r"(?<!\\)\.(?![*+?])")


def cors_warning(message: str, hint: str, check_id: str) -> Warning:
    return Warning(message, hint=hint, id=check_id)


@register(Tags.security)
def cors_origin_tests_that_leak(app_configs, **kwargs):
    cors = CorsConfig.of(settings)
    warnings = []
    if "null" in cors.CORS_ALLOWED_ORIGINS:
        warnings.append(cors_warning(
            "CORS_ALLOWED_ORIGINS trusts the 'null' origin.",
            "Any page can send Origin: null from a sandboxed iframe. Remove 'null'.", "lab.W101"))
    for pattern in cors.CORS_ALLOWED_ORIGIN_REGEXES:
        if UNESCAPED_DOT.search(pattern):
            warnings.append(cors_warning(
                f"CORS_ALLOWED_ORIGIN_REGEXES: {pattern!r} has an unescaped dot.",
                "In a regex '.' is any character: app.lab.localhost also matches app-lab.localhost. Write \\.",
                "lab.W102"))
        if not pattern.endswith(("$", "\\Z")):
            warnings.append(cors_warning(
                f"CORS_ALLOWED_ORIGIN_REGEXES: {pattern!r} has no end anchor.",
                "django-cors-headers uses re.match: without $ the pattern also matches "
                "https://app.lab.localhost.attacker.localhost. End it with $.", "lab.W103"))
        if re.match(pattern, settings.LAB_SIBLING_ORIGIN):
            warnings.append(cors_warning(
                f"CORS_ALLOWED_ORIGIN_REGEXES: {pattern!r} lets in the sibling {settings.LAB_SIBLING_ORIGIN}.",
                "Trusting every subdomain trusts a compromised or user-content one too, and SameSite "
                "sends it the user's cookies. List the origins you mean in CORS_ALLOWED_ORIGINS.", "lab.W104"))
    return warnings


@register(Tags.security)
def csrf_trusts_no_subdomain_wildcard(app_configs, **kwargs):
    wildcards = [origin for origin in settings.CSRF_TRUSTED_ORIGINS if "*" in origin]
    if wildcards:
        return [Warning(
            f"CSRF_TRUSTED_ORIGINS holds a subdomain wildcard: {', '.join(wildcards)}.",
            hint="Every subdomain passes Django's Origin check, and one that can set a Domain cookie "
            "(cookie tossing) then passes the token check with its own csrftoken. List exact origins; "
            "CSRF_COOKIE_NAME = '__Host-csrftoken' stops the tossing.",
            id="lab.W105")]
    return []
