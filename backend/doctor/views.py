"""The doctor in the lab (frontend/doctor.html): a learner's origins and pasted settings in, the
same report as `manage.py check --deploy` and `python -m cors_doctor` out, in the request's language.

The settings are read as literals and never run (cors_doctor.literal_settings), and nothing is
fetched: the page never probes (cors_doctor.probe, the only code that sends requests, is for a
terminal, and no module here imports it). The regexes a learner pastes run under the lab's
time-limited matcher (lab/origin_regex.py), as the playground's do.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cors_doctor import generate, literal_settings
from crossorigin.deployment.flows import layout_for
from crossorigin.deployment.report import judge_settings
from crossorigin.deployment.settings import DjangoSettings
from lab import origin_regex
from lab.api import ApiError, api_view, json_body

# Where the lab shows each failure happen in a browser, for the page's "see it in the lab" links:
# by check id, then by flow. The page links are paths of the app's origin (frontend/).
LAB_PAGES = {
    "cors_doctor.E001": "/scenarios.html#no-allow-origin",
    "cors_doctor.E002": "/scenarios.html#allow-origin-mismatch",
    "cors_doctor.E003": "/scenarios.html#no-allow-origin",
    "cors_doctor.E004": "/mistakes.html#credentials",
    "cors_doctor.E005": "/scenarios.html#header-not-allowed",
    "cors_doctor.E006": "/cookies.html#attacks",
    "cors_doctor.E007": "/mistakes.html#proxy-scheme",
    "cors_doctor.E009": "/mistakes.html#proxy-scheme",
    "cors_doctor.E012": "/cookies.html#matrix",
    "cors_doctor.E014": "/mistakes.html#dev-layout",
    "cors_doctor.E015": "/mistakes.html#cookie-domains",
    "cors_doctor.E016": "/mistakes.html#cookie-domains",
    "cors_doctor.E017": "/tokens.html#mode-b",
    "cors_doctor.W001": "/cookies.html#matrix",
    "cors_doctor.W002": "/cookies.html#matrix",
    "cors_doctor.W003": "/engines.html",
    "cors_doctor.W004": "/engines.html",
    "simple-get": "/#simple-get",
    "json-post": "/#json-post",
    "session-login": "/#cookie-login",
    "session-get": "/#cookie-login",
    "logout": "/#cookie-login",
    "jwt-get": "/tokens.html",
}
# The pasted settings, within the 16 KiB the API takes for a body (settings.DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_SETTINGS_CHARACTERS = 12 * 1024
MAX_URL = 300


def with_lab_pages(report: dict) -> dict:
    """The report, each check and flow with the lab page that shows it ("lab_page", or null)."""
    for entry in report["checks"]:
        entry["lab_page"] = LAB_PAGES.get(entry["id"])
    for flow in report["flows"]:
        flow["lab_page"] = LAB_PAGES.get(flow["flow"])
    return report


def lab_fronts() -> dict:
    """The lab's own pages, each a front the lab's settings can be judged for."""
    return {"app": settings.LAB_APP_ORIGIN, "cross_site_app": settings.LAB_CROSS_SITE_APP_ORIGIN,
            "sibling": settings.LAB_SIBLING_ORIGIN, "attacker": settings.LAB_ATTACKER_ORIGIN}


def bounded_match(pattern: str, text: str) -> bool:
    """re.match(pattern, text) within origin_regex's time limit; a JSON 400 when it cannot say."""
    try:
        return origin_regex.any_matches((pattern,), text)
    except origin_regex.Unanswerable as unanswerable:
        raise ApiError(400, unanswerable.code, unanswerable.message) from None


def checked_regexes(values: DjangoSettings):
    """The time-limited engine refuses some patterns re takes (back-references, huge counts): a
    JSON 400 that says why. (A pattern re refuses is a check of the report: DjangoSettings.of.)"""
    for pattern in (*values.CORS_ALLOWED_ORIGIN_REGEXES, values.CORS_URLS_REGEX):
        try:
            origin_regex.check(pattern)
        except origin_regex.Unanswerable as unanswerable:
            raise ApiError(400, unanswerable.code, unanswerable.message) from None


def layout_from(data: dict):
    for field in ("front", "api"):
        if len(data[field]) > MAX_URL:
            raise ApiError(400, "invalid_origin", _("%(field)s is over %(limit)d characters.") % {"field": field, "limit": MAX_URL})
    try:
        return layout_for(data["front"].strip(), data["api"].strip())
    except ValueError as error:
        raise ApiError(400, "invalid_origin", _("Give the front as an origin (https://app.example.com) and the API as "
                                                "an http(s) URL (%(error)s).") % {"error": error}) from None


@csrf_exempt  # changes nothing and sends no cookie: nothing for CSRF to protect
@api_view("POST")
def check(request):
    """{"front": origin, "api": URL, "settings": the text of a settings file (optional)} -> the report."""
    data = json_body(request, "front", "api")
    layout = layout_from(data)
    source = data.get("settings", "")
    if not isinstance(source, str) or len(source) > MAX_SETTINGS_CHARACTERS:
        raise ApiError(400, "invalid_settings", _("settings must be the text of a settings file, at most %(limit)d "
                                                  "characters.") % {"limit": MAX_SETTINGS_CHARACTERS})
    try:
        read = literal_settings.read(source)
    except literal_settings.NotPython as error:
        raise ApiError(400, "settings_not_python", _("The settings are not Python (line %(line)s): %(error)s")
                       % {"line": error.line or "?", "error": error}) from None
    values = DjangoSettings.of(read.values)
    checked_regexes(values)
    report = judge_settings(layout, values, bounded_match)
    used = set(DjangoSettings.names())
    report["settings_read"] = sorted(read.values)
    report["not_understood"] = [{**entry, "used": entry["name"] in used} for entry in read.not_understood]
    report["generated"] = {"settings": generate.settings_block(layout.front, layout.api),
                           "nginx": generate.nginx_block(layout.api)}
    return JsonResponse(with_lab_pages(report))


@api_view("GET")
def lab(request):
    """The report on the lab's own running settings, for one of its pages as the front (?front=app)."""
    fronts = lab_fronts()
    role = request.GET.get("front", "app")
    if role not in fronts:
        raise ApiError(400, "invalid_front", _("front must be one of %(roles)s.") % {"roles": ", ".join(fronts)})
    values = {name: getattr(settings, name) for name in DjangoSettings.names() if hasattr(settings, name)}
    # Django has no setting for Partitioned; the lab's middleware adds it (lab/partitioned.py).
    values["CORS_DOCTOR_PARTITIONED_COOKIES"] = settings.LAB_PARTITIONED_COOKIES
    report = judge_settings(layout_for(fronts[role], settings.LAB_API_ORIGIN), DjangoSettings.of(values))
    report["lab_front"] = role
    return JsonResponse(with_lab_pages(report))
