"""System checks for the combinations this lab can be switched into that browsers or attackers
punish. They run at every start (migrate runs them) and in `make test` (check --deploy)."""

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
