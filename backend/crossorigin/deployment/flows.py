"""The article's six flows, from a front page to a Django API, and whether each works in each engine.

A flow is a few fetch() calls of the front page, in the order the article makes them (the lab's
index page makes the same ones):

  simple-get     GET hello                                   no preflight, no cookie
  json-post      POST users, Content-Type: application/json  a preflight
  session-login  GET csrf (credentials), POST login with the token in X-CSRFToken
  session-get    GET me (credentials): the session cookie must come back
  logout         GET csrf, POST logout with the token: the session cookie must come back
  jwt-get        POST token, then GET protected with Authorization: Bearer

run() plays them in that order in one engine's cookie jar, with the answers of an API: SimulatedApi
(server.py: what Django answers under a project's settings) or RecordedApi (probe.py: what a live
API answered). Each answer is judged by the Fetch model (crossorigin.fetch.judge) for the engine;
each cookie the API sets is kept or refused by jars.py, and sent back or not.
"""

import re
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from crossorigin.deployment.jars import PROFILES, sent, stored
from crossorigin.fetch import PageRequest, judge
from crossorigin.sites import host_of, origin_of
from crossorigin.translation import gettext_noop, translate

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


@dataclass(frozen=True)
class Paths:
    """The API's paths for each request, the lab's by default."""
    hello: str = "/api/hello/"
    users: str = "/api/users/"
    csrf: str = "/api/csrf/"
    login: str = "/api/login/"
    me: str = "/api/me/"
    logout: str = "/api/logout/"
    token: str = "/api/token/"
    protected: str = "/api/protected/"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class Layout:
    """Where the front page and the API live: two origins, and the API's paths."""
    front: str
    api: str
    paths: Paths = field(default_factory=Paths)

    def __post_init__(self):
        object.__setattr__(self, "front", origin_of(self.front))
        object.__setattr__(self, "api", origin_of(self.api))

    @property
    def cross_origin(self) -> bool:
        return self.front != self.api

    def path(self, step) -> str:
        return getattr(self.paths, step.path)

    def url(self, step) -> str:
        return self.api + self.path(step)

    @staticmethod
    def path_of(url: str) -> str:
        return urlsplit(url).path or "/"

    def mixed_content(self) -> bool:
        """An https page may not fetch an http:// URL (https://w3c.github.io/webappsec-mixed-content/),
        except on loopback, which is potentially trustworthy."""
        return (self.front.startswith("https://") and self.api.startswith("http://")
                and host_of(self.api) not in LOOPBACK_HOSTS)


HOST = re.compile(r"[a-z0-9.-]{1,253}|[0-9a-f:.]{2,45}")  # urlsplit gives an IPv6 address without brackets


def layout_for(front: str, api_url: str, paths: dict | None = None) -> Layout:
    """The layout of a front origin and an API's URL: its origin, and the path it is mounted under
    (https://django6.kikuichige.com/cors_project puts every path under /cors_project). `paths`
    replaces some of the lab's paths. ValueError, saying why, for anything else."""
    for role, url, path_allowed in (("front", front, False), ("api", api_url, True)):
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018  (raises ValueError for a port that is not one)
        except ValueError:
            raise ValueError(f"{role}: {url!r} is not a URL") from None
        if parts.scheme not in ("http", "https") or not HOST.fullmatch(parts.hostname or "") \
                or parts.username is not None or parts.query or parts.fragment or "\\" in url:
            raise ValueError(f"{role}: {url!r} is not an http(s) URL like https://app.example.com")
        if parts.path.strip("/") and not path_allowed:
            raise ValueError(f"{role}: {url!r} has a path; an origin has none")
    prefix = urlsplit(api_url).path.rstrip("/")
    chosen = {**{name: getattr(Paths(), name) for name in Paths.names()}, **(paths or {})}
    for name, path in chosen.items():
        if name not in Paths.names() or not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"paths: {name}={path!r}: the names are {', '.join(Paths.names())}, each path starts with one /")
    return Layout(front, api_url, Paths(**{name: prefix + path for name, path in chosen.items()}))


@dataclass(frozen=True)
class Step:
    name: str
    path: str                      # the name of its path in Paths
    method: str = "GET"
    json: bool = False             # Content-Type: application/json, with a JSON body
    credentials: str = "same-origin"
    csrf: bool = False             # sends the CSRF token in Django's header; CsrfViewMiddleware checks it
    bearer: bool = False           # sends Authorization: Bearer <the JWT>
    session: bool = False          # works only if the session cookie comes back


STEPS = {step.name: step for step in (
    Step("hello", "hello"),
    Step("users", "users", "POST", json=True),
    Step("csrf", "csrf", credentials="include"),
    Step("login", "login", "POST", json=True, credentials="include", csrf=True),
    Step("me", "me", credentials="include", session=True),
    Step("logout", "logout", "POST", credentials="include", csrf=True, session=True),
    Step("token", "token", "POST", json=True),
    Step("protected", "protected", bearer=True),
)}
FLOWS = {
    "simple-get": ("hello",),
    "json-post": ("users",),
    "session-login": ("csrf", "login"),
    "session-get": ("me",),
    "logout": ("csrf", "logout"),
    "jwt-get": ("token", "protected"),
}
# The cookie each step needs: the CSRF endpoint must get its cookie stored, the unsafe session
# requests must send it back, and the session requests need the session cookie.
NEEDS = {"csrf": ("csrf",), "login": ("csrf",), "me": ("session",), "logout": ("csrf", "session")}

REASONS = {
    "MixedContent": gettext_noop("The page is served over https and the API over http: the browser blocks the "
                                 "request as mixed content before it is sent."),
    "RedirectLoop": gettext_noop("Every request is answered with a redirect to its own https URL "
                                 "(SECURE_SSL_REDIRECT): Django does not see that it came over https, so the "
                                 "browser gives up after 20 redirects."),
    "Refused": gettext_noop("The API refused the request (HTTP {status}): {refusal}"),
    "Status": gettext_noop("The page could read the answer, but it was HTTP {status}."),
    "NoToken": gettext_noop("The answer of {path} holds no token the page can read and send back."),
    "NoSession": gettext_noop("The API had no session for this request: the session cookie did not come with it."),
    "Redirected": gettext_noop("The API answered with a redirect to {location}, which the probe does not follow "
                               "(Django's APPEND_SLASH redirects a path without its trailing slash: call the final URL)."),
    # Appended to another sentence; the space before it is the language's own (none in Japanese).
    "CookieFate": gettext_noop(" The {name} cookie: {why}"),
}


def page_request(step: Step, layout: Layout, csrf_header: str) -> PageRequest:
    """The fetch() of this step, as the page makes it (the values of tokens do not matter here)."""
    headers = {}
    if step.json:
        headers["Content-Type"] = "application/json"
    if step.csrf:
        headers[csrf_header] = "token"
    if step.bearer:
        headers["Authorization"] = "Bearer token"
    return PageRequest(origin=layout.front, method=step.method, headers=headers, credentials=step.credentials,
                       url=layout.url(step))


@dataclass(frozen=True)
class StepRecord:
    """One fetch() of a flow, as one engine would see it."""
    name: str
    method: str
    url: str
    preflight: bool
    status: int | None
    readable: bool
    reason: str | None
    cookies_sent: tuple = ()


@dataclass(frozen=True)
class FlowResult:
    flow: str
    engine: str
    works: bool
    reason: str | None = None       # a Fetch reason (MissingAllowOriginHeader...) or a key of REASONS
    why: str = ""
    fix: str = ""                   # the Fetch model's fix; the report adds the settings lines
    step: str | None = None         # the step that failed
    causes: tuple = ()              # (kind, detail) of every setting that stands in its way
    steps: tuple = ()
    cookies: tuple = ()             # (name, Fate) of each cookie the API set during the flow


def run(layout: Layout, api, engine: str, csrf_header: str = "X-CSRFToken", flows=tuple(FLOWS)) -> list[FlowResult]:
    """The flows in `engine`, one after another in one cookie jar, against `api`."""
    profile = PROFILES[engine]
    jar = {}                      # name -> the SetCookie the engine kept
    held = {"csrf": False, "token": False}
    results = []
    for flow, step_names in FLOWS.items():
        if flow not in flows:
            continue
        failure, records, causes, fates = None, [], [], []
        for name in step_names:
            step = STEPS[name]
            url = layout.url(step)
            request = page_request(step, layout, csrf_header)
            causes.extend(_cookie_causes(step, layout, api, engine))
            if layout.mixed_content():
                failure = failure or (name, "MixedContent", translate(REASONS["MixedContent"]), "")
                causes.append(("mixed_content", ()))
                records.append(StepRecord(name, step.method, url, False, None, False, "MixedContent"))
                continue
            include = step.credentials == "include" or not layout.cross_origin
            cookies_sent = frozenset(c.name for c in jar.values() if include and sent(c, url, engine).ok)
            exchange = api.exchange(step, request, cookies_sent, held["csrf"], held["token"])
            causes.extend(exchange.causes)
            if include:
                for cookie in exchange.set_cookies:
                    fate = stored(cookie, layout.front, url, engine)
                    fates.append((cookie.name, fate))
                    if cookie.cleared:
                        jar.pop(cookie.name, None)
                    elif fate.ok:
                        jar[cookie.name] = cookie
            if exchange.redirect_loop:
                readable, reason, why, fix, status = False, "RedirectLoop", translate(REASONS["RedirectLoop"]), "", None
            else:
                verdict = judge(request, exchange.preflight, exchange.response, engine=profile.fetch_engine)
                readable, reason, why, fix = verdict.readable, verdict.reason, verdict.why, verdict.fix
                status = exchange.response.status
            records.append(StepRecord(name, step.method, url, exchange.preflight is not None, status, readable, reason,
                                      tuple(sorted(cookies_sent))))
            ok = readable and 200 <= status < 300
            if name in ("csrf", "token"):
                held[name] = ok and exchange.token
            if failure:
                continue
            if exchange.redirected_to:
                failure = (name, "Redirected", translate(REASONS["Redirected"]).format(location=exchange.redirected_to), "")
            elif not readable:
                failure = (name, reason, why, fix)
            elif not 200 <= status < 300:
                failure = (name, *_refused(step, exchange, layout, api, engine, cookies_sent))
            elif name in ("csrf", "token") and not exchange.token:
                failure = (name, "NoToken", translate(REASONS["NoToken"]).format(path=layout.path(step)), "")
            elif step.session and not _came_with(api, "session", cookies_sent):
                failure = (name, "NoSession", _with_cookie(REASONS["NoSession"], "session", step, layout, api, engine), "")
        failed_step, reason, why, fix = failure or (None, None, "", "")
        if reason == "NoSession":
            # No session may also mean no login: what stood in the login's way stands in this flow's.
            causes.extend(cause for result in results if result.flow == "session-login" for cause in result.causes)
        results.append(FlowResult(flow, engine, failure is None, reason, why, fix, failed_step,
                                  tuple(dict.fromkeys(causes)), tuple(records), tuple(fates)))
    return results


def _refused(step: Step, exchange, layout: Layout, api, engine: str, cookies_sent) -> tuple:
    """(reason, why, fix) for an answer the page could read, whose status says no."""
    status, refusal = exchange.response.status, exchange.refusal
    if step.session and status in (401, 403) and not _came_with(api, "session", cookies_sent):
        return "NoSession", _with_cookie(REASONS["NoSession"], "session", step, layout, api, engine), ""
    why = translate(REASONS["Refused" if refusal else "Status"]).format(status=status, refusal=refusal)
    if refusal == "CSRF cookie not set.":
        why = _with_cookie(REASONS["Refused"], "csrf", step, layout, api, engine, status=status, refusal=refusal)
    return "Refused" if refusal else "Status", why, ""


def _came_with(api, role: str, cookies_sent) -> bool:
    cookie = api.cookie(role)
    return cookie is not None and cookie.name in cookies_sent


def cookie_fate(role: str, step: Step, layout: Layout, api, engine: str):
    """The first thing that keeps the role's cookie from this step: its storing, then its sending.
    None when it comes with the request (or the API never set such a cookie)."""
    cookie = api.cookie(role)
    if cookie is None:
        return None
    kept = stored(cookie, layout.front, layout.url(STEPS["csrf" if role == "csrf" else "login"]), engine)
    if not kept.ok:
        return cookie, kept
    if step.name in ("login", "me", "logout") or role == "session":
        going = sent(cookie, layout.url(step), engine)
        if not going.ok:
            return cookie, going
    return None


def _cookie_causes(step: Step, layout: Layout, api, engine: str) -> list:
    found = []
    for role in NEEDS.get(step.name, ()):
        fate = cookie_fate(role, step, layout, api, engine)
        if fate:
            cookie, why = fate
            found.append(("cookie", (("role", role), ("name", cookie.name), ("reason", why.reason))))
    return found


def _with_cookie(sentence: str, role: str, step: Step, layout: Layout, api, engine: str, **values) -> str:
    """The sentence, then why the role's cookie did not come with the request."""
    text = translate(sentence).format(**values)
    fate = cookie_fate(role, step, layout, api, engine)
    if fate:
        cookie, why = fate
        text += translate(REASONS["CookieFate"]).format(name=cookie.name, why=why.why(translate))
    return text
