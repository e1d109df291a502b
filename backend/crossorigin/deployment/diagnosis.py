"""From the flows that break to the settings to change: one check per setting in the way, with a
stable id, in the style of Django's own checks and django-cors-headers' (an id, a message, a hint).

Each cause a flow meets (flows.run, server.SimulatedApi.causes) is one kind of CHECKS. The checks
of a report gather the causes of every flow in every engine: which flows each one breaks, where,
and the exact lines of settings that lift it, written from the project's own values.
"""

import json
from dataclasses import dataclass

from crossorigin.deployment.flows import FLOWS
from crossorigin.deployment.jars import ENGINES
from crossorigin.deployment.settings import CORS_MIDDLEWARE, DEFAULT_CORS_ALLOW_HEADERS, STARTPROJECT_MIDDLEWARE
from crossorigin.sites import host_of, registrable_domain
from crossorigin.translation import gettext_noop, translate

PROXY_SSL_HEADER = 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'


@dataclass(frozen=True)
class Check:
    id: str
    level: str     # "error" breaks a flow in every engine it meets; "warning" in some engines only
    message: str
    hint: str


CHECKS = {
    "cors_middleware": Check("cors_doctor.E001", "error", gettext_noop(
        "corsheaders.middleware.CorsMiddleware is not in MIDDLEWARE: no answer of the API carries CORS headers."),
        gettext_noop("Put CorsMiddleware at the top of MIDDLEWARE, above CommonMiddleware (and \"corsheaders\" in "
                     "INSTALLED_APPS, for its own checks).")),
    "cors_origin": Check("cors_doctor.E002", "error", gettext_noop(
        "{fronts} is not allowed by CORS_ALLOWED_ORIGINS (nor by CORS_ALLOWED_ORIGIN_REGEXES): the API's answers "
        "carry no Access-Control-Allow-Origin for it."),
        gettext_noop("List the front's origin exactly as the browser sends it: scheme, host, and the port if it is "
                     "not the default; no path, no trailing slash.")),
    "cors_urls_regex": Check("cors_doctor.E003", "error", gettext_noop(
        "CORS_URLS_REGEX {regex} leaves out {paths}: CorsMiddleware adds no header to their answers."),
        gettext_noop("Make CORS_URLS_REGEX match every path the front calls.")),
    "cors_credentials": Check("cors_doctor.E004", "error", gettext_noop(
        "CORS_ALLOW_CREDENTIALS is False: the answers to the front's fetches with credentials: \"include\" "
        "lack Access-Control-Allow-Credentials: true, so the page never reads them."),
        gettext_noop("Allow credentials; keep CORS_ALLOWED_ORIGINS an exact list (never allow all origins with "
                     "credentials).")),
    "cors_header": Check("cors_doctor.E005", "error", gettext_noop(
        "CORS_ALLOW_HEADERS lacks {headers}, which the front sends: the preflight refuses the request."),
        gettext_noop("Add the header names to CORS_ALLOW_HEADERS, beside django-cors-headers' defaults.")),
    "csrf_origin": Check("cors_doctor.E006", "error", gettext_noop(
        "{fronts} is not in CSRF_TRUSTED_ORIGINS: Django refuses the front's POSTs (\"Origin checking failed - ... "
        "does not match any trusted origins\")."),
        gettext_noop("CORS decides who may read; CSRF_TRUSTED_ORIGINS decides who may send unsafe requests with "
                     "the user's cookies. List the front's origin there too.")),
    "csrf_origin_scheme": Check("cors_doctor.E007", "error", gettext_noop(
        "Django takes the API's own origin for http://{host}, yet the page says Origin: {fronts}: without "
        "SECURE_PROXY_SSL_HEADER it does not know the request came over https, and refuses its POSTs as coming "
        "from another origin."),
        gettext_noop("Tell Django which header your TLS proxy sets, and make the proxy set it (the nginx lines of "
                     "--generate).")),
    "allowed_hosts": Check("cors_doctor.E008", "error", gettext_noop(
        "ALLOWED_HOSTS does not include {host}: Django answers every request to the API with 400 (DisallowedHost)."),
        gettext_noop("Add the API's host name, without scheme or port.")),
    "ssl_redirect": Check("cors_doctor.E009", "error", gettext_noop(
        "SECURE_SSL_REDIRECT is True but SECURE_PROXY_SSL_HEADER is not set: behind a TLS proxy Django sees every "
        "request as http and redirects it to https, again and again."),
        gettext_noop("Tell Django which header your TLS proxy sets, and make the proxy set it (the nginx lines of "
                     "--generate).")),
    "mixed_content": Check("cors_doctor.E010", "error", gettext_noop(
        "The front {fronts} is https and the API {api} is http: browsers block every request as mixed content."),
        gettext_noop("Serve the API over https (a TLS proxy in front of Django).")),
    "setting_type": Check("cors_doctor.E011", "error", gettext_noop(
        "{names}: not what Django or django-cors-headers can read there, so the doctor read the default instead."),
        gettext_noop("Write each as its documentation says: origins, hosts and header names as a list of strings, "
                     "switches as True or False, regexes that re.compile takes.")),
    "cookie:samesite_cross_site": Check("cors_doctor.E012", "error", gettext_noop(
        "{setting}_COOKIE_SAMESITE is {samesite!r} and the front {fronts} is another site than the API: every "
        "browser refuses the {name} cookie the API sets in answer to the front's fetch."),
        gettext_noop("The way that works in every browser: serve the front on the API's site (a subdomain of the "
                     "same registrable domain), or proxy the API under the front's own origin, or use the JWT "
                     "flow. With SameSite=None (and Secure) the cookie login works only where third-party "
                     "cookies are allowed, or Partitioned.")),
    "cookie:none_without_secure": Check("cors_doctor.E013", "error", gettext_noop(
        "{setting}_COOKIE_SAMESITE is 'None' but {setting}_COOKIE_SECURE is False: browsers refuse the {name} cookie."),
        gettext_noop("SameSite=None needs Secure (and the API served over https).")),
    "cookie:secure_over_http": Check("cors_doctor.E014", "error", gettext_noop(
        "{setting}_COOKIE_SECURE is True but the API {api} is http: browsers refuse a Secure cookie from an "
        "insecure URL, so the {name} cookie is lost."),
        gettext_noop("Serve the API over https; only while it is plain http, turn Secure off.")),
    "cookie:domain_mismatch": Check("cors_doctor.E015", "error", gettext_noop(
        "{setting}_COOKIE_DOMAIN is {domain!r}, which does not cover the API's host {host}: browsers refuse the "
        "{name} cookie."),
        gettext_noop("Leave the Domain attribute out (None): the cookie then belongs to the API's host alone.")),
    "cookie:domain_public_suffix": Check("cors_doctor.E015", "error", gettext_noop(
        "{setting}_COOKIE_DOMAIN is {domain!r}, a public suffix on the Public Suffix List: browsers refuse the "
        "{name} cookie."),
        gettext_noop("Leave the Domain attribute out (None): the cookie then belongs to the API's host alone.")),
    "cookie:prefix": Check("cors_doctor.E016", "error", gettext_noop(
        "{name}: a __Host- cookie needs Secure, Path=/ and no Domain, a __Secure- one needs Secure; browsers refuse it."),
        gettext_noop("Give the cookie what its prefix asks for.")),
    "cookie:path_mismatch": Check("cors_doctor.E017", "error", gettext_noop(
        "{setting}_COOKIE_PATH is {path!r}: the {name} cookie is never sent to {paths}."),
        gettext_noop("Use Path=/ unless the API's paths all share a longer prefix.")),
    "cookie:default_lax_cross_site": Check("cors_doctor.W001", "warning", gettext_noop(
        "{setting}_COOKIE_SAMESITE is None (no attribute) and the front {fronts} is another site: Chromium treats "
        "the {name} cookie as Lax and refuses it."),
        gettext_noop("Serve the front on the API's site, or proxy the API under the front's origin, or use the JWT "
                     "flow; otherwise say SameSite=None (with Secure) and depend on third-party cookies.")),
    "cookie:third_party_blocked": Check("cors_doctor.W002", "warning", gettext_noop(
        "The {name} cookie is a third-party cookie for {fronts}: a browser that blocks third-party cookies "
        "(Chromium in an incognito window or by choice, Safari) refuses it."),
        gettext_noop("Add the Partitioned attribute (CHIPS) to the session and CSRF cookies: Django has no setting "
                     "for it, a small middleware does it (the lab's lab/partitioned.py); then tell the doctor with "
                     "CORS_DOCTOR_PARTITIONED_COOKIES = True. Better: serve the front on the API's site.")),
    "cookie:third_party_refused": Check("cors_doctor.W003", "warning", gettext_noop(
        "WebKit refuses the {name} cookie: the API {api} is on another site than the front {fronts}, and it keeps "
        "no cookie of another site, Partitioned or not."),
        gettext_noop("Only a layout change helps here: the front on the API's site, the API proxied under the "
                     "front's origin, or the JWT flow.")),
    "cookie:unlisted_tld": Check("cors_doctor.W004", "warning", gettext_noop(
        "WebKit refuses the API's host-only {name} cookie: {host} is under a TLD missing from the Public Suffix "
        "List (.localhost, .test), where WebKit takes every host for a site of its own."),
        gettext_noop("Give the cookie Domain=<the site> (it is then shared with every subdomain, a compromised one "
                     "too), or develop under a real domain.")),
}
# Appended to a check's message; the space between the sentences is the language's own (none in Japanese).
BREAKS = gettext_noop(" It breaks {flows} in {engines}.")
API_ORIGIN_UNKNOWN = Check("cors_doctor.W005", "warning", gettext_noop(
    "CORS_DOCTOR_FRONT_ORIGINS is set, but the doctor cannot tell the API's own origin: ALLOWED_HOSTS names no "
    "single host."), gettext_noop("Name it: CORS_DOCTOR_API_ORIGIN = \"https://api.example.com\"."))
FRONT_ORIGIN_INVALID = Check("cors_doctor.E018", "error", gettext_noop(
    "{names} must be origins like https://app.example.com: a scheme and a host, a port if needed, nothing after."),
    gettext_noop("Write each origin as the browser sends it in the Origin header."))


def _literal(value) -> str:
    """A Python literal of strings, lists, tuples, booleans and None, in the style of settings files."""
    if isinstance(value, (list, tuple)):
        items = ", ".join(_literal(item) for item in value)
        return f"({items},)" if isinstance(value, tuple) and len(value) == 1 else (f"({items})" if isinstance(value, tuple) else f"[{items}]")
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def _added(values, new) -> list:
    return list(values) + [item for item in new if item not in values]


def _cookie_setting(role: str, settings) -> str:
    return "SESSION" if role == "session" or (settings is not None and settings.CSRF_USE_SESSIONS) else "CSRF"


def fix_lines(kind: str, details: list[dict], settings, layouts) -> list[str]:
    """The settings lines that lift this check, written from the project's values (or, with no
    settings, from the layout alone)."""
    fronts = list(dict.fromkeys(layout.front for layout in layouts))
    value = (lambda name, default: getattr(settings, name) if settings is not None else default)  # noqa: E731
    if kind == "cors_middleware":
        middleware = value("MIDDLEWARE", None) or STARTPROJECT_MIDDLEWARE
        return [f"MIDDLEWARE = {_literal([CORS_MIDDLEWARE] + [m for m in middleware if m != CORS_MIDDLEWARE])}"]
    if kind == "cors_origin":
        return [f"CORS_ALLOWED_ORIGINS = {_literal(_added(value('CORS_ALLOWED_ORIGINS', ()), fronts))}"]
    if kind == "cors_urls_regex":
        return [f'CORS_URLS_REGEX = r"^{_common_prefix([d["path"] for d in details])}"']
    if kind == "cors_credentials":
        return ["CORS_ALLOW_CREDENTIALS = True"]
    if kind == "cors_header":
        headers = sorted({d["header"] for d in details})
        current = value("CORS_ALLOW_HEADERS", DEFAULT_CORS_ALLOW_HEADERS)
        if tuple(current) == DEFAULT_CORS_ALLOW_HEADERS:
            return ["from corsheaders.defaults import default_headers",
                    f"CORS_ALLOW_HEADERS = (*default_headers, {', '.join(_literal(h) for h in headers)})"]
        return [f"CORS_ALLOW_HEADERS = {_literal(_added(current, headers))}"]
    if kind == "csrf_origin":
        return [f"CSRF_TRUSTED_ORIGINS = {_literal(_added(value('CSRF_TRUSTED_ORIGINS', ()), fronts))}"]
    if kind in ("csrf_origin_scheme", "ssl_redirect"):
        return [PROXY_SSL_HEADER]
    if kind == "allowed_hosts":
        return [f"ALLOWED_HOSTS = {_literal(_added(value('ALLOWED_HOSTS', ()), sorted({d['host'] for d in details})))}"]
    if not kind.startswith("cookie:"):
        return []
    reason = kind.split(":")[1]
    lines = []
    for role in dict.fromkeys(d["role"] for d in details):
        prefix = _cookie_setting(role, settings)
        lines.extend({
            "samesite_cross_site": [f'{prefix}_COOKIE_SAMESITE = "None"', f"{prefix}_COOKIE_SECURE = True"],
            "default_lax_cross_site": [f'{prefix}_COOKIE_SAMESITE = "None"', f"{prefix}_COOKIE_SECURE = True"],
            "none_without_secure": [f"{prefix}_COOKIE_SECURE = True"],
            "secure_over_http": [f"{prefix}_COOKIE_SECURE = False"],
            "domain_mismatch": [f"{prefix}_COOKIE_DOMAIN = None"],
            "domain_public_suffix": [f"{prefix}_COOKIE_DOMAIN = None"],
            "prefix": [f"{prefix}_COOKIE_SECURE = True", f"{prefix}_COOKIE_DOMAIN = None", f'{prefix}_COOKIE_PATH = "/"'],
            "path_mismatch": [f'{prefix}_COOKIE_PATH = "/"'],
            "unlisted_tld": [f"{prefix}_COOKIE_DOMAIN = {_literal(registrable_domain(host_of(layouts[0].api)))}"],
        }.get(reason, []))
    return list(dict.fromkeys(lines))


def _common_prefix(paths: list[str]) -> str:
    """The longest run of whole path segments every path starts with: /api/ for /api/csrf/ and /api/me/."""
    first = min(paths) if paths else "/"
    last = max(paths) if paths else "/"
    shared = ""
    for a, b in zip(first, last):
        if a != b:
            break
        shared += a
    return shared[:shared.rfind("/") + 1] or "/"


def kind_of(cause: tuple) -> str:
    """The cause's group in the report: its kind, and for a cookie the reason and the cookie's role."""
    kind, detail = cause
    if kind != "cookie":
        return kind
    detail = dict(detail)
    return f"cookie:{detail['reason']}:{detail['role']}"


def check_of(kind: str) -> Check:
    return CHECKS[kind.rsplit(":", 1)[0] if kind.startswith("cookie:") else kind]


def diagnose(runs, settings=None) -> dict[str, dict]:
    """kind -> the check of a report, for every kind of cause met. `runs`: (layout, results) pairs, results being flows.run() over the
    engines for that layout (one pair per front origin). `settings`: the DjangoSettings the
    results came from, for the fix lines, or None (a probe without settings)."""
    found = {}    # kind -> {"details": [...], "broken": {(flow, engine)}, "layouts": [...]}
    for layout, results in runs:
        for result in results:
            if result.works:
                continue
            for cause in result.causes:
                entry = found.setdefault(kind_of(cause), {"details": [], "broken": set(), "layouts": []})
                detail = {**dict(cause[1]), "front": layout.front}
                if detail not in entry["details"]:
                    entry["details"].append(detail)
                entry["broken"].add((result.flow, result.engine))
                if layout not in entry["layouts"]:
                    entry["layouts"].append(layout)
    checks = {kind: _check(kind, entry, settings) for kind, entry in found.items()}
    if settings is not None and settings.problems:
        names = ", ".join(name for name, _ in settings.problems)
        checks["setting_type"] = render(CHECKS["setting_type"], {"names": names}, [], [])
    return dict(sorted(checks.items(), key=lambda item: (item[1]["id"], item[0])))


def _check(kind: str, entry: dict, settings) -> dict:
    layouts, details = entry["layouts"], entry["details"]
    first = details[0]
    role = first.get("role", "csrf")
    prefix = _cookie_setting(role, settings)
    cookie = (getattr(settings, f"{prefix}_COOKIE_SAMESITE", None), getattr(settings, f"{prefix}_COOKIE_DOMAIN", None),
              getattr(settings, f"{prefix}_COOKIE_PATH", "/")) if settings is not None else (None, None, "/")
    values = {
        "fronts": ", ".join(dict.fromkeys(d["front"] for d in details)),
        "api": layouts[0].api, "host": host_of(layouts[0].api),
        "paths": ", ".join(sorted({d["path"] for d in details if "path" in d}) or [layouts[0].paths.me]),
        "regex": repr(getattr(settings, "CORS_URLS_REGEX", "")),
        "headers": ", ".join(sorted({d["header"] for d in details if "header" in d})),
        "name": " / ".join(dict.fromkeys(d["name"] for d in details if "name" in d)),
        "setting": " / ".join(dict.fromkeys(_cookie_setting(d["role"], settings) for d in details if "role" in d)) or prefix,
        "samesite": cookie[0], "domain": cookie[1], "path": cookie[2],
    }
    return render(check_of(kind), values, sorted(entry["broken"], key=_flow_order), fix_lines(kind, details, settings, layouts))


def _flow_order(pair):
    flow, engine = pair
    return list(FLOWS).index(flow), ENGINES.index(engine)


def render(check: Check, values: dict, broken: list, lines: list[str]) -> dict:
    """A check as the report's JSON has it; the sentences in the reader's language."""
    message = translate(check.message).format(**values)
    if broken:
        flows = ", ".join(dict.fromkeys(flow for flow, _ in broken))
        engines = ", ".join(engine for engine in ENGINES if any(e == engine for _, e in broken))
        message += translate(BREAKS).format(flows=flows, engines=engines)
    return {"id": check.id, "level": check.level, "message": message, "hint": translate(check.hint), "fix": lines,
            "flows": [{"flow": flow, "engine": engine} for flow, engine in broken]}
