"""Every CORS scenario of the lab: a named case (lab/case.py), with its title and lesson.

A scenario is nothing but a case the lab chose to name: the scenarios page runs it through the
playground's one endpoint and judges it with the playground's one verdict, and its "Open in the
playground" link carries the very same case. GET /api/scenarios/ hands the catalogue to the page
(frontend/js/scenarios.js), and the tests (e2e/test_scenarios.py, e2e/test_engines.py) run each
one in real browsers. What the browser will do is NOT declared here: the Fetch model
(crossorigin/fetch/) predicts it from what the server recorded, and the tests check that
prediction against the browsers.

The server is django-cors-headers with the settings of `cors`, or, where that library refuses to
produce the mistake, a hand-written `raw` answer. Origins are written in lab/origins.py's grammar.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

PUT_JSON = {"method": "PUT", "content_type": "application/json", "body": '{"n": 1}'}
TRACE = [["X-Lab-Trace", "42"]]
ALLOW_APP = {"CORS_ALLOWED_ORIGINS": ["{app}"]}
ECHO_ORIGIN = ["Access-Control-Allow-Origin", "{origin}"]


def cors(**settings) -> dict:
    return {"cors": settings}


def raw(preflight: dict, response: dict) -> dict:
    """A hand-written answer: what a server that writes its CORS headers itself sends."""
    return {"raw": {"preflight": preflight, "response": response, "redirect": None}}


def answer(*headers, status: int = 200) -> dict:
    return {"status": status, "headers": [list(pair) for pair in headers]}


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str     # title and lesson are translated (gettext_lazy): str() them in a request
    lesson: str
    server: dict
    request: dict = field(default_factory=dict)   # the case's request fields; the rest are defaults
    # A response header the page tries to read with response.headers.get().
    read_header: str | None = None

    def case(self) -> dict:
        """The case the page runs and its playground link carries: always from the app origin,
        in cors mode, without credentials unless the scenario says so."""
        return {"page": "app", "method": "GET", "headers": [], "body": None, "content_type": "",
                "credentials": "omit", "mode": "cors", "repeat": 1, "trailing_slash": True,
                **self.request, "server": self.server}

    def as_json(self) -> dict:
        # str(): the title and lesson in the language of the request being answered.
        return {"slug": self.slug, "title": str(self.title), "lesson": str(self.lesson), "case": self.case(),
                "read_header": self.read_header}


SCENARIOS = [
    Scenario("allowed-simple", _("Allowed simple request"),
             _("A GET without custom headers needs no preflight; the origin is allowed, so the page reads it."),
             cors(**ALLOW_APP)),
    Scenario("allowed-preflighted", _("Allowed preflighted request"),
             _("PUT with a JSON body is not simple: one OPTIONS preflight, then the PUT, both allowed."),
             cors(**ALLOW_APP), PUT_JSON),
    Scenario("no-allow-origin", _("No Access-Control-Allow-Origin"),
             _("The server answers 200 but does not name this origin: the browser hides the answer."),
             cors(CORS_ALLOWED_ORIGINS=[])),
    Scenario("allow-origin-mismatch", _("Allow-Origin names another origin"),
             _("A hard-coded Access-Control-Allow-Origin for some other origin is as good as none."),
             # A value copied from somewhere else, instead of the allowed Origin echoed back.
             raw(answer(["Access-Control-Allow-Origin", "https://other.lab.localhost"]),
                 answer(["Access-Control-Allow-Origin", "https://other.lab.localhost"]))),
    Scenario("wildcard-with-credentials", _("'*' with credentials"),
             _("A request with cookies is never shared with '*': the server must name the origin."),
             raw(answer(["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Credentials", "true"]),
                 answer(["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Credentials", "true"])),
             {"credentials": "include"}),
    Scenario("missing-allow-credentials", _("Credentials without Allow-Credentials"),
             _("With cookies, the server must also say Access-Control-Allow-Credentials: true."),
             cors(**ALLOW_APP, CORS_ALLOW_CREDENTIALS=False), {"credentials": "include"}),
    Scenario("wrong-allow-credentials", _("Allow-Credentials that is not exactly 'true'"),
             _("The value is compared byte for byte: 'True' is not 'true'."),
             raw(answer(ECHO_ORIGIN, ["Access-Control-Allow-Credentials", "True"]),
                 answer(ECHO_ORIGIN, ["Access-Control-Allow-Credentials", "True"])),
             {"credentials": "include"}),
    Scenario("preflight-not-ok", _("Preflight answered 405"),
             _("CORS headers stamped on every response do not help if nothing answers OPTIONS with 2xx."),
             # As if a proxy added CORS headers to every response while the app has no OPTIONS handler.
             raw(answer(ECHO_ORIGIN, ["Access-Control-Allow-Methods", "GET, PUT"],
                        ["Access-Control-Allow-Headers", "content-type"], status=405),
                 answer(ECHO_ORIGIN, ["Access-Control-Allow-Methods", "GET, PUT"],
                        ["Access-Control-Allow-Headers", "content-type"])),
             PUT_JSON),
    Scenario("preflight-missing-allow-origin", _("Preflight without Allow-Origin"),
             _("The preflight itself is refused, so the PUT is never sent at all."),
             cors(CORS_ALLOWED_ORIGINS=[]), PUT_JSON),
    Scenario("method-not-allowed", _("Method not allowed by the preflight"),
             _("The preflight lists the methods the server accepts; DELETE is not among them."),
             cors(**ALLOW_APP, CORS_ALLOW_METHODS=["GET", "POST"]), {"method": "DELETE"}),
    Scenario("header-not-allowed", _("Header not allowed by the preflight"),
             _("A custom request header must be listed in Access-Control-Allow-Headers."),
             cors(**ALLOW_APP), {"headers": TRACE}),
    Scenario("allow-headers-wildcard-with-credentials", _("Allow-Headers '*' with credentials"),
             _("With cookies, '*' in Access-Control-Allow-Headers is a header literally named '*'."),
             cors(**ALLOW_APP, CORS_ALLOW_CREDENTIALS=True, CORS_ALLOW_HEADERS=["*"]),
             {"headers": TRACE, "credentials": "include"}),
    Scenario("wildcard-headers-cover-authorization", _("'*' and Authorization, without credentials"),
             _("The Fetch standard says '*' never covers Authorization; Chromium lets it through anyway."),
             cors(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_HEADERS=["*"]),
             {"headers": [["Authorization", "Bearer demo"]]}),
    Scenario("preflight-redirect", _("A redirected preflight (APPEND_SLASH)"),
             _("Without its trailing slash the URL is redirected by Django's APPEND_SLASH; a preflight may not follow redirects."),
             cors(**ALLOW_APP), {**PUT_JSON, "trailing_slash": False}),
    Scenario("error-page-without-cors", _("A server error without CORS headers"),
             _("The view crashed; the 500 page is made outside the CORS code, so the page sees a CORS error, not the 500."),
             {**cors(**ALLOW_APP), "view": "crash"}),
    Scenario("unexposed-header", _("A response header the script cannot read"),
             _("The answer is readable, but X-Lab-Request-Id is not a safelisted header and is not exposed."),
             cors(**ALLOW_APP), read_header="X-Lab-Request-Id"),
    Scenario("exposed-header", _("A response header exposed to the script"),
             _("Access-Control-Expose-Headers lists X-Lab-Request-Id, so the script can read it."),
             cors(**ALLOW_APP, CORS_EXPOSE_HEADERS=["X-Lab-Request-Id"]), read_header="X-Lab-Request-Id"),
    Scenario("preflight-cached", _("A preflight cached by Access-Control-Max-Age"),
             _("Three PUTs, one preflight: the browser remembers the answer for Max-Age seconds."),
             cors(**ALLOW_APP, CORS_PREFLIGHT_MAX_AGE=600), {**PUT_JSON, "repeat": 3}),
    Scenario("preflight-not-cached", _("Access-Control-Max-Age: 0"),
             _("Three PUTs, three preflights: Max-Age 0 tells the browser not to remember the answer."),
             # django-cors-headers omits the header for CORS_PREFLIGHT_MAX_AGE = 0 (and Chromium then
             # caches for 5 s anyway); an explicit 0 really disables the cache.
             raw(answer(ECHO_ORIGIN, ["Access-Control-Allow-Methods", "PUT"],
                        ["Access-Control-Allow-Headers", "content-type"], ["Access-Control-Max-Age", "0"]),
                 answer(ECHO_ORIGIN)),
             {**PUT_JSON, "repeat": 3}),
]

CATALOGUE = {scenario.slug: scenario for scenario in SCENARIOS}
