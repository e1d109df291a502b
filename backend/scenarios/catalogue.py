"""Every CORS scenario of the lab, declared once, as data.

The same declaration drives the server (scenarios/views.py answers /scenarios/<slug>/ with it,
through lab/cors_runner.py),
the page (GET /api/scenarios/ hands it to frontend/js/scenarios.js, which makes the request) and
the tests (e2e/test_scenarios.py runs each one in Chromium). What the browser will do is NOT
declared here: the Fetch model (crossorigin/fetch/) predicts it from what the server recorded,
and the tests check that prediction against Chromium.

A scenario's server is either django-cors-headers with the settings in `cors`, or, where that
library refuses to produce the mistake, a hand-written answer named in `broken` (broken_cors.py).
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _
from scenarios.broken_cors import RAW_ANSWERS

JSON = {"Content-Type": "application/json"}
TRACE = {"X-Lab-Trace": "42"}
APP = "app"  # stands for the app origin; resolved at request time, so .env decides it


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str     # title and lesson are translated (gettext_lazy): str() them in a request
    lesson: str
    # The request the page (the app origin) makes.
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    credentials: str = "omit"
    body: str | None = None
    repeat: int = 1
    trailing_slash: bool = True
    # The server's CORS behaviour: django-cors-headers settings, or a hand-written broken answer.
    cors: dict | None = None
    broken: str | None = None
    # "crash": the view raises, so the error page is made outside django-cors-headers.
    view: str = "ok"
    # A response header the page tries to read with response.headers.get().
    read_header: str | None = None

    def path(self) -> str:
        return f"/scenarios/{self.slug}" + ("/" if self.trailing_slash else "")

    def as_json(self) -> dict:
        # str(): the title and lesson in the language of the request being answered.
        return {**asdict(self), "title": str(self.title), "lesson": str(self.lesson), "path": self.path(),
                "playground": self.playground_case()}

    def playground_case(self) -> dict:
        """The same request and server as a playground case (playground/case.py's format): the
        page's "Open in the playground" link carries it. {app} stands for the app origin."""
        if self.broken:
            server = {"raw": RAW_ANSWERS[self.broken]}
        elif self.view == "crash":
            # Django's 500 page, made outside the CORS code: no CORS header at all.
            server = {"raw": {"preflight": {"status": 200, "headers": []}, "response": {"status": 500, "headers": []}}}
        elif not self.trailing_slash:
            # APPEND_SLASH's 301 to the URL with its slash, before any CORS code runs.
            server = {"raw": {"preflight": {"status": 301, "headers": [["Location", "/playground/0/0/"]]},
                              "response": {"status": 200, "headers": []}}}
        else:
            server = {"cors": {name: ["{app}" if item == APP else item for item in value] if isinstance(value, list)
                               else value for name, value in self.cors.items()}}
        content_type = self.headers.get("Content-Type", "")
        return {"page": "app", "method": self.method, "credentials": self.credentials, "mode": "cors",
                "headers": [[name, value] for name, value in self.headers.items() if name != "Content-Type"],
                "body": self.body, "content_type": content_type, "repeat": self.repeat, "server": server}


ALLOW_APP = {"CORS_ALLOWED_ORIGINS": [APP]}

SCENARIOS = [
    Scenario("allowed-simple", _("Allowed simple request"),
             _("A GET without custom headers needs no preflight; the origin is allowed, so the page reads it."),
             cors=ALLOW_APP),
    Scenario("allowed-preflighted", _("Allowed preflighted request"),
             _("PUT with a JSON body is not simple: one OPTIONS preflight, then the PUT, both allowed."),
             method="PUT", headers=JSON, body='{"n": 1}', cors=ALLOW_APP),
    Scenario("no-allow-origin", _("No Access-Control-Allow-Origin"),
             _("The server answers 200 but does not name this origin: the browser hides the answer."),
             cors={"CORS_ALLOWED_ORIGINS": []}),
    Scenario("allow-origin-mismatch", _("Allow-Origin names another origin"),
             _("A hard-coded Access-Control-Allow-Origin for some other origin is as good as none."),
             broken="fixed_allow_origin"),
    Scenario("wildcard-with-credentials", _("'*' with credentials"),
             _("A request with cookies is never shared with '*': the server must name the origin."),
             credentials="include", broken="wildcard_with_credentials"),
    Scenario("missing-allow-credentials", _("Credentials without Allow-Credentials"),
             _("With cookies, the server must also say Access-Control-Allow-Credentials: true."),
             credentials="include", cors={**ALLOW_APP, "CORS_ALLOW_CREDENTIALS": False}),
    Scenario("wrong-allow-credentials", _("Allow-Credentials that is not exactly 'true'"),
             _("The value is compared byte for byte: 'True' is not 'true'."),
             credentials="include", broken="capitalised_allow_credentials"),
    Scenario("preflight-not-ok", _("Preflight answered 405"),
             _("CORS headers stamped on every response do not help if nothing answers OPTIONS with 2xx."),
             method="PUT", headers=JSON, body='{"n": 1}', broken="preflight_not_handled"),
    Scenario("preflight-missing-allow-origin", _("Preflight without Allow-Origin"),
             _("The preflight itself is refused, so the PUT is never sent at all."),
             method="PUT", headers=JSON, body='{"n": 1}', cors={"CORS_ALLOWED_ORIGINS": []}),
    Scenario("method-not-allowed", _("Method not allowed by the preflight"),
             _("The preflight lists the methods the server accepts; DELETE is not among them."),
             method="DELETE", cors={**ALLOW_APP, "CORS_ALLOW_METHODS": ["GET", "POST"]}),
    Scenario("header-not-allowed", _("Header not allowed by the preflight"),
             _("A custom request header must be listed in Access-Control-Allow-Headers."),
             headers=TRACE, cors=ALLOW_APP),
    Scenario("allow-headers-wildcard-with-credentials", _("Allow-Headers '*' with credentials"),
             _("With cookies, '*' in Access-Control-Allow-Headers is a header literally named '*'."),
             headers=TRACE, credentials="include",
             cors={**ALLOW_APP, "CORS_ALLOW_CREDENTIALS": True, "CORS_ALLOW_HEADERS": ["*"]}),
    Scenario("wildcard-headers-cover-authorization", _("'*' and Authorization, without credentials"),
             _("The Fetch standard says '*' never covers Authorization; Chromium lets it through anyway."),
             headers={"Authorization": "Bearer demo"},
             cors={"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_HEADERS": ["*"]}),
    Scenario("preflight-redirect", _("A redirected preflight (APPEND_SLASH)"),
             _("Without its trailing slash the URL is redirected by Django's APPEND_SLASH; a preflight may not follow redirects."),
             method="PUT", headers=JSON, body='{"n": 1}', trailing_slash=False, cors=ALLOW_APP),
    Scenario("error-page-without-cors", _("A server error without CORS headers"),
             _("The view crashed; the 500 page is made outside the CORS code, so the page sees a CORS error, not the 500."),
             cors=ALLOW_APP, view="crash"),
    Scenario("unexposed-header", _("A response header the script cannot read"),
             _("The answer is readable, but X-Lab-Request-Id is not a safelisted header and is not exposed."),
             cors=ALLOW_APP, read_header="X-Lab-Request-Id"),
    Scenario("exposed-header", _("A response header exposed to the script"),
             _("Access-Control-Expose-Headers lists X-Lab-Request-Id, so the script can read it."),
             cors={**ALLOW_APP, "CORS_EXPOSE_HEADERS": ["X-Lab-Request-Id"]}, read_header="X-Lab-Request-Id"),
    Scenario("preflight-cached", _("A preflight cached by Access-Control-Max-Age"),
             _("Three PUTs, one preflight: the browser remembers the answer for Max-Age seconds."),
             method="PUT", headers=JSON, body='{"n": 1}', repeat=3,
             cors={**ALLOW_APP, "CORS_PREFLIGHT_MAX_AGE": 600}),
    Scenario("preflight-not-cached", _("Access-Control-Max-Age: 0"),
             _("Three PUTs, three preflights: Max-Age 0 tells the browser not to remember the answer."),
             method="PUT", headers=JSON, body='{"n": 1}', repeat=3, broken="max_age_zero"),
]

CATALOGUE = {scenario.slug: scenario for scenario in SCENARIOS}
