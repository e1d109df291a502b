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
