"""Which cookie a browser sends with which request: the SameSite matrix, as data and one function.

PROBES are the cookies the lab sets (GET /api/cookies/set/), CONTEXTS the kinds of request the
lab makes. expected() says whether an engine sends a probe in a context, and why, under each of
the two third-party-cookie policies that real browsers ship. Pure Python; the e2e suite checks
every cell against what the server really received: Chromium in both policies
(e2e/test_cookies.py), Firefox and WebKit as they ship (ENGINE_POLICIES, e2e/test_engines.py).
"""

from dataclasses import dataclass

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
    "default_none": gettext_noop("No SameSite attribute: this engine treats it as SameSite=None (no Lax by default)."),
    "none_third_party_partitioned": gettext_noop("SameSite=None in a cross-site frame, image or fetch: Firefox's Total Cookie "
                                                 "Protection gives the other site's frames a separate cookie jar, so the API's "
                                                 "own cookie is not sent."),
    "not_stored_sibling": gettext_noop("Never stored: WebKitGTK refused this host-only cookie when the API set it in answer "
                                       "to the app page's fetch (a sibling host); only Domain=<site> cookies were kept."),
    "visible_domain": gettext_noop("Domain=lab.localhost: shared with every host of the site, so the app's own script sees it."),
    "invisible_host_only": gettext_noop("Host-only cookie of the API: no other host, not even a sibling subdomain, sees it."),
}

POLICIES = ("third-party-cookies-blocked", "third-party-cookies-allowed")

# Engines whose cookie without SameSite is Lax (RFC 6265bis "Lax by default"). Firefox ESR and
# WebKit were seen to send it as None would be (e2e/test_engines.py).
LAX_BY_DEFAULT_ENGINES = ("chromium",)
# The policy each engine runs the e2e suite under, as it ships: Chromium as Playwright starts it
# (third-party cookies blocked), Firefox with Total Cookie Protection (network.cookie.cookieBehavior
# 5: a frame of another site gets a partitioned jar, which is "blocked" for the API's own cookie),
# WebKit with its third-party cookie blocking.
ENGINE_POLICIES = {"chromium": "third-party-cookies-blocked", "firefox": "third-party-cookies-blocked",
                   "webkit": "third-party-cookies-blocked"}
# WebKitGTK (libsoup, policy "no third party") refused every host-only cookie that the API set in
# answer to the app page's fetch: app and api are siblings, and it did not take them for one
# site. Only Domain=<site> cookies were stored. (Safari's own network stack may differ.)
REFUSES_SIBLING_HOST_ONLY = ("webkit",)
# Why a blocked third-party cookie was not sent, per engine.
THIRD_PARTY_BLOCKED_WHY = {"firefox": "none_third_party_partitioned"}

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


def samesite_of(probe: Probe) -> str | None:
    """The attribute as a browser reads it (RFC 6265bis, "The SameSite Attribute"): its value is
    matched case-insensitively, and any other value counts as no attribute at all (None)."""
    return {"strict": "Strict", "lax": "Lax", "none": "None"}.get((probe.samesite or "").lower())


def age_matters(probe: Probe, context: Context, engine: str = "chromium") -> bool:
    """Only one cell depends on time, in Chromium: a cookie without SameSite, on a top-level
    cross-site POST."""
    return engine in LAX_BY_DEFAULT_ENGINES and samesite_of(probe) is None and context.cross_site and context.top_level and context.method == "POST"


def expected(probe: Probe, context: Context, policy: str, cookie_age_seconds: float = 0,
             engine: str = "chromium") -> tuple[bool, str]:
    """(sent, why) for one cell of the matrix. `cookie_age_seconds` matters for one rule only."""
    if context.seen_by == "app-script":
        return (True, "visible_domain") if probe.shared_with_site else (False, "invisible_host_only")
    if engine in REFUSES_SIBLING_HOST_ONLY and not probe.shared_with_site:
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
            return True, "none_third_party_allowed"
        return False, THIRD_PARTY_BLOCKED_WHY.get(engine, "none_third_party_blocked")
    if age_matters(probe, context):
        # "2 minutes or less" (RFC 6265bis, Lax-Allowing-Unsafe); Chromium's IsRecentlyCreated is <=.
        recent = cookie_age_seconds <= LAX_ALLOWING_UNSAFE_SECONDS
        return recent, "default_lax_recent_post" if recent else "default_lax_old_post"
    lax_sends = context.top_level and context.method == "GET"
    if samesite is None:
        return lax_sends, "default_lax"
    return lax_sends, "lax_top_level_get" if lax_sends else "lax_not_top_level_get"
