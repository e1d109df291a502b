"""What a Django project answers to each request of the flows, under its settings.

The answer is built as the project's middleware would build it: django-cors-headers' CorsMiddleware
(it answers a preflight itself, then adds its headers to every answer of a path CORS_URLS_REGEX
covers, for an allowed origin), SecurityMiddleware's SECURE_SSL_REDIRECT, ALLOWED_HOSTS, and
CsrfViewMiddleware's Origin, cookie and token checks; then the article's views, as the lab has
them: the CSRF endpoint sets the cookie and returns a token in its body, the login sets the
session cookie, /me needs it, the logout ends it, and the JSON POST and the token endpoint are
csrf_exempt (they use no cookie). cors_doctor/tests/test_server.py runs the real middleware
beside this module and compares the answers.

Beside the answer, each Exchange names the settings that stand in the request's way (causes),
each one found on its own, so that a report names them all at once, not one per run.
"""

import re
from dataclasses import dataclass

from crossorigin.deployment.jars import SetCookie
from crossorigin.deployment.settings import CORS_MIDDLEWARE, SECURITY_MIDDLEWARE, DjangoSettings
from crossorigin.fetch import PageRequest, RecordedResponse, needs_preflight, unsafe_request_headers
from crossorigin.fetch.request import sends_credentials
from crossorigin.sites import host_of

# A JWT, a CSRF token: what the body of a successful answer gives the page to send next.
TOKEN_STEPS = ("csrf", "login", "token")


@dataclass(frozen=True)
class Exchange:
    """What came back for one request: the preflight's answer (if one was needed), the answer,
    the cookies it set, and whether its body holds a token the page can send next."""
    preflight: RecordedResponse | None
    response: RecordedResponse
    set_cookies: tuple = ()
    token: bool = False
    refusal: str = ""          # Django's own words for a refusal (its CSRF reason, DisallowedHost)
    redirect_loop: bool = False
    redirected_to: str = ""    # a redirect the probe recorded and did not follow
    causes: tuple = ()         # (kind, detail) pairs: see diagnosis.CHECKS


class SimulatedApi:
    """The project under `settings`, at layout.api. regex_match runs CORS_ALLOWED_ORIGIN_REGEXES
    (re.match, or a time-limited matcher for patterns a web page pasted)."""

    def __init__(self, settings: DjangoSettings, layout, regex_match=re.match):
        self.settings, self.layout, self.regex_match = settings, layout, regex_match

    def cookie(self, role: str) -> SetCookie:
        """The cookie the project sets for `role` ("csrf" or "session")."""
        settings = self.settings
        return SetCookie.from_settings(settings.csrf_cookie() if role == "csrf" else settings.session_cookie())

    # --- The settings in the way ----------------------------------------------------------------

    def causes(self, step, request: PageRequest) -> list[tuple[str, tuple]]:
        settings, layout, path = self.settings, self.layout, self.layout.path(step)
        # CORS first: the browser reports it before any status the page never gets to read.
        found = self._cors_causes(request, path) if layout.cross_origin else []
        if self.redirects_to_https():
            found.append(("ssl_redirect", ()))
        if not settings.host_allowed(host_of(layout.api)):
            found.append(("allowed_hosts", (("host", host_of(layout.api)),)))
        if step.csrf and settings.csrf_middleware_installed() and not settings.csrf_trusts(layout.front, layout.api):
            same_origin = layout.front == layout.api
            found.append(("csrf_origin_scheme" if same_origin else "csrf_origin", ()))
        return found

    def _cors_causes(self, request: PageRequest, path: str) -> list:
        settings, found = self.settings, []
        if not settings.cors_middleware_installed():
            found.append(("cors_middleware", ()))
        elif not settings.cors_enabled(path, self.regex_match):
            found.append(("cors_urls_regex", (("path", path),)))
        if not settings.cors_allows(request.origin, self.regex_match):
            found.append(("cors_origin", ()))
        if sends_credentials(request) and not settings.CORS_ALLOW_CREDENTIALS:
            found.append(("cors_credentials", ()))
        if needs_preflight(request):
            found.extend(self._preflight_causes(request))
        return found

    def _preflight_causes(self, request: PageRequest) -> list:
        """The headers the preflight must allow (response.py preflight_check, whose wildcard rule
        applies: '*' covers nothing for a request with credentials). The flows' methods, GET and
        POST, are safelisted: a preflight never has to allow them."""
        settings, found = self.settings, []
        wildcard = not sends_credentials(request)
        allowed = {name.lower() for name in settings.CORS_ALLOW_HEADERS}
        for name in unsafe_request_headers(request):
            if name not in allowed and not ("*" in allowed and wildcard):
                found.append(("cors_header", (("header", name),)))
        return found

    def redirects_to_https(self) -> bool:
        settings = self.settings
        security = settings.MIDDLEWARE is None or SECURITY_MIDDLEWARE in settings.MIDDLEWARE
        return security and settings.SECURE_SSL_REDIRECT and not settings.is_secure(self.layout.api)

    # --- The answers --------------------------------------------------------------------------

    def cors_headers(self, request: PageRequest, preflight: bool) -> dict:
        """CorsMiddleware.add_response_headers for this request's Origin and path."""
        settings = self.settings
        path = self.layout.path_of(request.url)
        headers = {}
        if not settings.cors_enabled(path, self.regex_match):
            return headers
        headers["Vary"] = "origin"
        if not settings.cors_allows(request.origin, self.regex_match):
            return headers
        all_origins = settings.CORS_ALLOW_ALL_ORIGINS and not settings.CORS_ALLOW_CREDENTIALS
        headers["Access-Control-Allow-Origin"] = "*" if all_origins else request.origin
        if settings.CORS_ALLOW_CREDENTIALS:
            headers["Access-Control-Allow-Credentials"] = "true"
        if settings.CORS_EXPOSE_HEADERS:
            headers["Access-Control-Expose-Headers"] = ", ".join(settings.CORS_EXPOSE_HEADERS)
        if preflight:
            headers["Access-Control-Allow-Headers"] = ", ".join(settings.CORS_ALLOW_HEADERS)
            headers["Access-Control-Allow-Methods"] = ", ".join(settings.CORS_ALLOW_METHODS)
            if settings.CORS_PREFLIGHT_MAX_AGE:
                headers["Access-Control-Max-Age"] = str(settings.CORS_PREFLIGHT_MAX_AGE)
        return headers

    def exchange(self, step, request: PageRequest, cookies_sent: frozenset, token_sent: bool, bearer: bool) -> Exchange:
        settings, layout = self.settings, self.layout
        causes = tuple(self.causes(step, request))
        preflight = None
        if layout.cross_origin and needs_preflight(request):
            if settings.cors_enabled(layout.path(step), self.regex_match) and not self._security_first():
                # CorsMiddleware answers it before any other middleware or view runs.
                preflight = RecordedResponse(200, self.cors_headers(request, preflight=True), request.url)
            elif self.redirects_to_https():
                preflight = RecordedResponse(301, {"Location": _https(request.url)}, request.url)
            else:
                preflight = RecordedResponse(200, {}, request.url)  # the view's own answer to OPTIONS
        if self.redirects_to_https():
            return Exchange(preflight, RecordedResponse(301, {"Location": _https(request.url)}, request.url),
                            redirect_loop=request.url.startswith("https://"), causes=causes)
        status, refusal, cookies, token = self._view(step, request, cookies_sent, token_sent, bearer)
        response = RecordedResponse(status, self.cors_headers(request, preflight=False), request.url)
        return Exchange(preflight, response, tuple(cookies), token, refusal, causes=causes)

    def _security_first(self) -> bool:
        """SecurityMiddleware above CorsMiddleware redirects even the preflight."""
        middleware = self.settings.MIDDLEWARE or ()
        if not self.redirects_to_https() or not {SECURITY_MIDDLEWARE, CORS_MIDDLEWARE} <= set(middleware):
            return False
        return middleware.index(SECURITY_MIDDLEWARE) < middleware.index(CORS_MIDDLEWARE)

    def _view(self, step, request: PageRequest, cookies_sent, token_sent: bool, bearer: bool):
        """(status, refusal, cookies set, token in the body) past the middleware."""
        settings, layout = self.settings, self.layout
        if not settings.host_allowed(host_of(layout.api)):
            return 400, f"Invalid HTTP_HOST header: '{host_of(layout.api)}'.", [], False
        csrf_cookie, session_cookie = self.cookie("csrf"), self.cookie("session")
        if step.csrf and settings.csrf_middleware_installed():
            if not settings.csrf_trusts(request.origin, layout.api):
                return 403, f"Origin checking failed - {request.origin} does not match any trusted origins.", [], False
            if csrf_cookie.name not in cookies_sent:
                return 403, "CSRF cookie not set.", [], False
            if not token_sent:
                return 403, "CSRF token missing.", [], False
        if step.name == "csrf":
            return 200, "", [csrf_cookie], True
        if step.name == "login":
            # login() rotates the CSRF secret; with CSRF_USE_SESSIONS it lives in the session.
            return 200, "", [session_cookie] + ([] if settings.CSRF_USE_SESSIONS else [csrf_cookie]), True
        if step.name == "me":
            return (200, "", [], False) if session_cookie.name in cookies_sent else (401, "", [], False)
        if step.name == "logout":
            ended = [SetCookie(session_cookie.name, session_cookie.samesite, session_cookie.secure,
                               session_cookie.domain, session_cookie.path, session_cookie.partitioned, cleared=True)]
            return 200, "", ended if session_cookie.name in cookies_sent else [], False
        if step.name == "protected":
            return (200, "", [], False) if bearer else (401, "", [], False)
        return (201 if step.name == "users" else 200), "", [], step.name in TOKEN_STEPS


def _https(url: str) -> str:
    return "https://" + url.split("://", 1)[1]
