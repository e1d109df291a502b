"""Which cookie a browser sends with which request: the SameSite matrix, as data and one function.

PROBES are the cookies the lab sets (GET /api/cookies/set/, in answer to the app page's fetch),
CONTEXTS the kinds of request the lab makes. expected() says whether an engine sends a probe in a
context, and why, under each of the two third-party-cookie policies that real browsers ship, for
the Hosts the lab runs on. Pure Python; the e2e suite checks every cell against what the server
really received: Chromium in both policies (e2e/test_cookies.py), Firefox and WebKit as they ship
(ENGINE_POLICIES, e2e/test_engines.py), on the lab's .localhost names and on real-suffix names
(an exact-hostname run, scripts/exact-run.sh; docs/engines.md shows both).

The matrix is the article's: an app and an API of one site (Hosts.one_site), two hosts of it.

host_is_its_own_site(engine, host), a rule other models rely on (keep its name and meaning):
True when `engine` takes `host` for a site of its own because no rule of the Public Suffix List
lists its suffix, that is when sites.suffix_section(host) is None (.localhost, .test), where the
list's default rule "*", Chromium and Firefox take its parent (lab.localhost) for the site. Only
WebKitGTK does, and only in its cookie policy (libsoup, "no third party"): measured in WebKitGTK
2.50.6, the API's host-only cookie set in answer to a credentialed fetch from the app page was
refused under lab.localhost and lab.test and stored under example.com, where a Domain=<site>
cookie was stored under all three (docs/engines.md, both name sets). So the article's cookie
login fails in WebKitGTK on the lab's .localhost names, and works on example.com's. Its SameSite
checks and its Sec-Fetch-Site, on the same names, still took the app and the API for one site
(probe_domain in same-site-fetch: sent; Sec-Fetch-Site: same-site).
"""

from dataclasses import dataclass

from crossorigin import sites
from crossorigin.translation import gettext_noop

# Every user-facing sentence, in one place for translation: gettext_noop marks it for makemessages,
# and the view gives it in the reader's language with crossorigin.translation.translate.
WHY = {
    "same_site": gettext_noop("Same-site request: SameSite never stops a cookie here."),
    "strict_cross_site": gettext_noop("SameSite=Strict: never sent when another site started the request."),
    "lax_top_level_get": gettext_noop("SameSite=Lax allows a top-level GET navigation from another site."),
    "lax_not_top_level_get": gettext_noop("SameSite=Lax: from another site, only a top-level GET navigation carries it."),
    "default_lax": gettext_noop("No SameSite attribute: Chromium treats it as Lax."),
    "default_lax_recent_post": gettext_noop("No SameSite attribute: treated as Lax, except that Chromium still sends a cookie "
                                            "at most 2 minutes old on a top-level cross-site POST (\"Lax-allowing-unsafe\")."),
    "default_lax_old_post": gettext_noop("No SameSite attribute: treated as Lax. The cookie was older than 2 minutes, so "
                                         "Chromium's exception for top-level cross-site POSTs no longer applied."),
    "none_first_party": gettext_noop("SameSite=None on a top-level navigation: a first-party request, so it is sent."),
    "none_third_party_blocked": gettext_noop("SameSite=None in a cross-site frame, image or fetch is a third-party cookie: "
                                             "blocked by this browser's third-party-cookie setting."),
    "none_third_party_allowed": gettext_noop("SameSite=None in a cross-site frame, image or fetch: sent, because this browser "
                                             "allows third-party cookies."),
    "none_third_party_sent_held": gettext_noop("SameSite=None (or no SameSite, which this engine reads as None) in a "
                                               "cross-site frame, image or fetch: WebKitGTK sends a cookie it already holds. "
                                               "Its third-party policy only refuses cookies set in such a context (Safari "
                                               "blocks them: WebKitGTK is not Safari)."),
    "default_none": gettext_noop("No SameSite attribute: this engine treats it as SameSite=None (no Lax by default)."),
    "none_third_party_partitioned": gettext_noop("SameSite=None in a cross-site frame, image or fetch: Firefox's Total Cookie "
                                                 "Protection gives the other site's frames a separate cookie jar, so the API's "
                                                 "own cookie is not sent."),
    "not_stored_sibling": gettext_noop("Never stored (WebKitGTK, on a name whose suffix is not on the Public Suffix List, such "
                                       "as .localhost): it takes each such host for a site of its own, so it refused this "
                                       "host-only cookie that the API set in answer to the app page's fetch. Domain=<site> "
                                       "cookies were kept. On a listed suffix (example.com) it stores both."),
    "visible_domain": gettext_noop("Domain=<site>: shared with every host of the site, so the app's own script sees it."),
    "invisible_host_only": gettext_noop("Host-only cookie of the API: no other host, not even a sibling subdomain, sees it."),
}

POLICIES = ("third-party-cookies-blocked", "third-party-cookies-allowed")

# Engines whose cookie without SameSite is Lax (RFC 6265bis "Lax by default"). Firefox ESR and
# WebKit were seen to send it as None would be (e2e/test_engines.py).
LAX_BY_DEFAULT_ENGINES = ("chromium",)
# The policy each engine runs the e2e suite under, as it ships, for the cookies of the matrix, which
# the API sets first-party: Chromium as Playwright starts it (third-party cookies blocked), Firefox
# with Total Cookie Protection (network.cookie.cookieBehavior 5: a frame of another site gets a
# partitioned jar, which is "blocked" for the API's own cookie). WebKitGTK's default policy
# (libsoup's "no third party") refuses a cookie set in a third-party context but sends those it
# holds into one: on example.com's names it sent SameSite=None cookies in another site's frames,
# images and fetches (2.50.6). On .localhost names nothing showed it, as no host-only cookie of the
# API was ever stored there (not_stored_sibling). Safari, with its Intelligent Tracking
# Prevention, blocks them: WebKitGTK is not Safari.
ENGINE_POLICIES = {"chromium": "third-party-cookies-blocked", "firefox": "third-party-cookies-blocked",
                   "webkit": "third-party-cookies-allowed"}
# The engines for which host_is_its_own_site() can be true (the module's docstring): WebKitGTK's
# cookie policy (libsoup, "no third party"), measured in 2.50.6. Safari's own network stack may differ.
HOST_IS_ITS_OWN_SITE_OFF_THE_LIST = ("webkit",)
# Why a third-party cookie was (not) sent, where an engine has its own way.
THIRD_PARTY_BLOCKED_WHY = {"firefox": "none_third_party_partitioned"}
THIRD_PARTY_ALLOWED_WHY = {"webkit": "none_third_party_sent_held"}

# Chromium's "Lax-allowing-unsafe" window: a cookie without SameSite, younger than this, still rides
# a top-level cross-site POST (so that login flows posting back from another site kept working).
LAX_ALLOWING_UNSAFE_SECONDS = 120


@dataclass(frozen=True)
class Probe:
    name: str
    samesite: str | None       # None: no SameSite attribute at all
    shared_with_site: bool = False   # Domain=<the site>, instead of host-only
    lesson: str = ""


@dataclass(frozen=True)
class Context:
    name: str
    title: str
    cross_site: bool
    top_level: bool = False    # a navigation of the whole tab (link, form), not a frame or subresource
    method: str = "GET"
    seen_by: str = "server"    # "server": the API records what arrived; "app-script": document.cookie


PROBES = [
    Probe("probe_strict", "Strict", lesson=gettext_noop("Only ever sent when the request starts on the same site.")),
    Probe("probe_lax", "Lax", lesson=gettext_noop("Also sent on top-level GET navigations from other sites.")),
    Probe("probe_none", "None", lesson=gettext_noop("Sent everywhere a first-party cookie may go; in frames of other sites only with third-party cookies allowed.")),
    Probe("probe_unspecified", None, lesson=gettext_noop("No SameSite attribute: Chromium's default is Lax.")),
    Probe("probe_host_only", "Lax", lesson=gettext_noop("No Domain attribute: only the API's own host gets it.")),
    Probe("probe_domain", "Lax", shared_with_site=True, lesson=gettext_noop("Domain=<site>: every host of the site gets it, as .example.com would.")),
    Probe("__Host-probe", "Lax", lesson=gettext_noop("The __Host- prefix forces Secure, Path=/ and no Domain: no sibling host can set or shadow it.")),
]

CONTEXTS = [
    Context("same-origin", gettext_noop("same-origin fetch (a page of the API itself)"), cross_site=False),
    Context("same-site-fetch", gettext_noop("same-site, cross-origin fetch (app to api)"), cross_site=False),
    Context("cross-site-fetch", gettext_noop("cross-site fetch with credentials (attacker to api)"), cross_site=True),
    Context("cross-site-navigation", gettext_noop("cross-site top-level GET (a link on the attacker's page)"), cross_site=True, top_level=True),
    Context("cross-site-form-post", gettext_noop("cross-site form POST (auto-submitted by the attacker)"), cross_site=True, top_level=True, method="POST"),
    Context("cross-site-iframe", gettext_noop("cross-site iframe (the attacker frames the API)"), cross_site=True),
    Context("cross-site-image", gettext_noop("cross-site image (the attacker's <img>)"), cross_site=True),
    Context("app-document-cookie", gettext_noop("visible to the app page's document.cookie"), cross_site=False, seen_by="app-script"),
]

PROBES_BY_NAME = {probe.name: probe for probe in PROBES}
CONTEXTS_BY_NAME = {context.name: context for context in CONTEXTS}


@dataclass(frozen=True)
class Hosts:
    """The names the matrix runs on: the app page's host, and the API's, which sets the probes."""
    app: str
    api: str

    @property
    def one_site(self) -> bool:
        """The article's layout, the one the matrix is made for: app and API are two hosts of one site."""
        return sites.same_site(f"https://{self.app}", f"https://{self.api}")


def host_is_its_own_site(engine: str, host: str) -> bool:
    """True when `engine`'s cookie policy takes `host` for a site of its own, its parent
    notwithstanding, because no rule of the Public Suffix List lists its suffix
    (sites.suffix_section(host) is None: .localhost, .test). The module's docstring says where it
    was measured; only WebKitGTK does so."""
    return engine in HOST_IS_ITS_OWN_SITE_OFF_THE_LIST and sites.suffix_section(host) is None


def samesite_of(probe: Probe) -> str | None:
    """The attribute as a browser reads it (RFC 6265bis, "The SameSite Attribute"): its value is
    matched case-insensitively, and any other value counts as no attribute at all (None)."""
    return {"strict": "Strict", "lax": "Lax", "none": "None"}.get((probe.samesite or "").lower())


def age_matters(probe: Probe, context: Context, engine: str = "chromium") -> bool:
    """Only one cell depends on time, in Chromium: a cookie without SameSite, on a top-level
    cross-site POST."""
    return engine in LAX_BY_DEFAULT_ENGINES and samesite_of(probe) is None and context.cross_site and context.top_level and context.method == "POST"


def expected(probe: Probe, context: Context, policy: str, *, hosts: Hosts, cookie_age_seconds: float = 0,
             engine: str = "chromium") -> tuple[bool, str]:
    """(sent, why) for one cell of the matrix, when the API on hosts.api set the probe in answer to
    a fetch from the app page on hosts.app. `cookie_age_seconds` matters for one rule only.
    ValueError when the app and the API are two sites: the matrix does not model that layout."""
    if not hosts.one_site:
        raise ValueError(f"the matrix models an app and an API of one site; {hosts.app} and {hosts.api} are two")
    if context.seen_by == "app-script":
        return (True, "visible_domain") if probe.shared_with_site else (False, "invisible_host_only")
    # The probes are set in answer to the app page's fetch: to this engine, the app's page and the
    # API are then two sites, so a host-only cookie of the API's is a third-party one, refused.
    if not probe.shared_with_site and host_is_its_own_site(engine, hosts.api):
        return False, "not_stored_sibling"
    if not context.cross_site:
        return True, "same_site"
    samesite = samesite_of(probe)
    if samesite == "Strict":
        return False, "strict_cross_site"
    if samesite == "None" or (samesite is None and engine not in LAX_BY_DEFAULT_ENGINES):
        if context.top_level:
            return True, "none_first_party" if samesite else "default_none"
        allowed = policy == "third-party-cookies-allowed"
        if allowed:
            return True, THIRD_PARTY_ALLOWED_WHY.get(engine, "none_third_party_allowed")
        return False, THIRD_PARTY_BLOCKED_WHY.get(engine, "none_third_party_blocked")
    if age_matters(probe, context):
        # "2 minutes or less" (RFC 6265bis, Lax-Allowing-Unsafe); Chromium's IsRecentlyCreated is <=.
        recent = cookie_age_seconds <= LAX_ALLOWING_UNSAFE_SECONDS
        return recent, "default_lax_recent_post" if recent else "default_lax_old_post"
    lax_sends = context.top_level and context.method == "GET"
    if samesite is None:
        return lax_sends, "default_lax"
    return lax_sends, "lax_top_level_get" if lax_sends else "lax_not_top_level_get"
