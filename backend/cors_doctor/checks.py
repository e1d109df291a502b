"""System checks for `manage.py check --deploy`: every setting that breaks one of the article's
flows between the project and its front page(s), in which browsers, and the lines to change.

The learner names the front's origins in one setting:

    CORS_DOCTOR_FRONT_ORIGINS = ["https://kikuichige.com"]

and, when ALLOWED_HOSTS does not name the API's host (a wildcard, several hosts), its origin:

    CORS_DOCTOR_API_ORIGIN = "https://django6.kikuichige.com"

Deploy checks only: a development server on another host would be judged as the deployment.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from crossorigin.deployment.diagnosis import API_ORIGIN_UNKNOWN, FRONT_ORIGIN_INVALID, render
from crossorigin.deployment.flows import layout_for
from crossorigin.deployment.report import checks_for_fronts
from crossorigin.deployment.settings import API_ORIGIN_SETTING, FRONT_ORIGINS_SETTING, DjangoSettings

LEVELS = {"error": Error, "warning": Warning}


def is_origin(value) -> bool:
    try:
        return isinstance(value, str) and layout_for(value, value).front == value
    except ValueError:
        return False


def api_origin() -> str | None:
    """CORS_DOCTOR_API_ORIGIN, or https:// and the one host ALLOWED_HOSTS names."""
    named = getattr(settings, API_ORIGIN_SETTING, None)
    if named:
        return named
    hosts = [host for host in settings.ALLOWED_HOSTS if "*" not in host and not host.startswith(".")]
    return f"https://{hosts[0]}" if len(hosts) == 1 else None


def project_settings() -> DjangoSettings:
    return DjangoSettings.of({name: getattr(settings, name) for name in DjangoSettings.names() if hasattr(settings, name)})


def as_message(check: dict):
    hint = "\n".join([check["hint"], *check["fix"]])
    return LEVELS[check["level"]](check["message"], hint=hint, id=check["id"])


@register(Tags.security, deploy=True)
def article_flows(app_configs, **kwargs):
    fronts = getattr(settings, FRONT_ORIGINS_SETTING, None)
    if not fronts:
        return []
    api = api_origin()
    names = [name for name, value in ((FRONT_ORIGINS_SETTING, fronts), (API_ORIGIN_SETTING, api))
             if value is not None and not (all(map(is_origin, value)) if isinstance(value, (list, tuple)) else is_origin(value))]
    if isinstance(fronts, str):
        names.insert(0, FRONT_ORIGINS_SETTING)
    if names:
        return [as_message(render(FRONT_ORIGIN_INVALID, {"names": ", ".join(dict.fromkeys(names))}, [], []))]
    if api is None:
        return [as_message(render(API_ORIGIN_UNKNOWN, {}, [], []))]
    layouts = [layout_for(front, api) for front in fronts]
    return [as_message(check) for check in checks_for_fronts(layouts, project_settings())]
