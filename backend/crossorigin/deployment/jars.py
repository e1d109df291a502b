"""The fate of a cookie that the API sets in answer to the front page's fetch(): does the browser
store it, and send it back on the page's next fetches to the API?

The rules are RFC 6265bis (https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html,
"Storage Model" and "Retrieval Algorithm"): Secure only from a secure URL, Domain never a public
suffix nor another host's, __Host-/__Secure- prefixes, SameSite=None only with Secure, and
SameSite=Lax or Strict never set nor sent by a request another site started (the site as
sites.py computes it with the Public Suffix List). Where the engines part, each one's profile
says what it does. The profiles of Firefox and WebKit are fitted from observation, not from a
specification; PROFILES[...].evidence says what was seen where (e2e/test_doctor_flows.py
checks every profile against the real browser on the lab's layouts).

Which cookie is sent with which request in general is crossorigin/cookies.py (the SameSite
matrix). Here the cookie is always set and read by the same pair of front and API, through
fetch() from one top-level page, which is the case that matrix does not hold: with Firefox's
Total Cookie Protection such a cookie lands in a jar of the front's site and does come back.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from crossorigin.cookies import LAX_BY_DEFAULT_ENGINES, Probe, samesite_of
from crossorigin.sites import host_of, registrable_domain, same_site, site_of, suffix_section
from crossorigin.translation import gettext_noop

# Hosts whose http:// URLs count as secure for Secure cookies in Chromium and Firefox
# ("potentially trustworthy", https://w3c.github.io/webappsec-secure-contexts/): the loopback
# addresses, localhost and every name under .localhost (measured in Chromium 150 on the lab's dev
# layout, http://dev.localhost: docs/mistakes.md).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.endswith(".localhost")


@dataclass(frozen=True)
class SetCookie:
    """One Set-Cookie line of the API's answer, as the browser reads its attributes."""
    name: str
    samesite: str | None = None   # the attribute as written; None when absent
    secure: bool = False
    domain: str | None = None     # the Domain attribute, lower case, without a leading dot
    path: str = "/"
    partitioned: bool = False
    cleared: bool = False         # an empty value that expires at once: the server deletes the cookie

    @property
    def same_site(self) -> str | None:
        """Strict, Lax, None, or None for no attribute (an unknown value counts as none)."""
        return samesite_of(Probe(self.name, self.samesite))

    @classmethod
    def from_settings(cls, attributes: dict) -> "SetCookie":
        """The cookie Django's set_cookie() writes from the settings (DjangoSettings.csrf_cookie())."""
        domain = attributes["domain"]
        return cls(attributes["name"], attributes["samesite"], attributes["secure"],
                   domain.lower().lstrip(".") if domain else None, attributes["path"] or "/",
                   attributes["partitioned"])

    @classmethod
    def parse(cls, line: str, request_url: str) -> "SetCookie | None":
        """RFC 6265bis 5.7 "The Set-Cookie Header Field", enough for the attributes above. None for
        a line without a name=value pair."""
        pair, *attributes = line.split(";")
        if "=" not in pair:
            return None
        name, value = (part.strip() for part in pair.split("=", 1))
        found = {}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            found[key.strip().lower()] = attribute_value.strip()
        path = found.get("path", "")
        if not path.startswith("/"):
            # The default-path: the request path up to its last "/".
            request_path = urlsplit(request_url).path or "/"
            path = request_path[:request_path.rfind("/")] or "/"
        max_age = found.get("max-age", "")
        expires = found.get("expires", "")
        cleared = value.strip('"') == "" and (max_age.lstrip("-").isdigit() and int(max_age) <= 0 or "1970" in expires)
        domain = found.get("domain") or None
        return cls(name, found.get("samesite"), "secure" in found, domain.lower().lstrip(".") if domain else None,
                   path, "partitioned" in found, cleared)


@dataclass(frozen=True)
class Profile:
    """How one browser, as shipped, treats the API's cookies. third_party says what it does with a
    SameSite=None cookie of another site: "allowed" (stored and sent), "blocked" (refused unless
    Partitioned), "partitioned" (kept in a jar of the front's site: Firefox's Total Cookie
    Protection), "refused" (libsoup's rule, which compares the cookie's domain with the page's)."""
    name: str
    fetch_engine: str
    third_party: str
    lax_by_default: bool
    schemeful: bool
    partitioned_cookies: bool
    secure_on_loopback: bool
    evidence: str


PROFILES = {
    "chromium": Profile(
        "chromium", "chromium", "allowed", "chromium" in LAX_BY_DEFAULT_ENGINES, True, True, True,
        gettext_noop("Chromium with third-party cookies allowed, Chrome's shipping default. Fetch: the model of "
                     "crossorigin/fetch, checked against Chromium on random cases. Cookies: RFC 6265bis, schemeful "
                     "same-site and Lax by default, as Chromium implements them; measured on the lab's layouts.")),
    "chromium-3pc-blocked": Profile(
        "chromium-3pc-blocked", "chromium", "blocked", "chromium" in LAX_BY_DEFAULT_ENGINES, True, True, True,
        gettext_noop("Chromium with third-party cookies blocked (an incognito window, or the user's choice): a "
                     "cookie of another site is refused unless it is Partitioned (CHIPS). Measured on the lab's "
                     "layouts.")),
    "firefox": Profile(
        "firefox", "firefox", "partitioned", "firefox" in LAX_BY_DEFAULT_ENGINES, False, False, True,
        gettext_noop("A profile fitted from observation, not a specification: Firefox ESR 140 as shipped "
                     "(network.cookie.cookieBehavior 5, Total Cookie Protection; sameSite.laxByDefault false; "
                     "sameSite.noneRequiresSecure true; sameSite.schemeful false; CHIPS.enabled false). A cookie of another site "
                     "set in answer to the front's fetch is kept in a jar of the front's site and comes back "
                     "on the front's next fetches: a cross-site cookie login with SameSite=None works there.")),
    "webkit": Profile(
        "webkit", "webkit", "refused", "webkit" in LAX_BY_DEFAULT_ENGINES, False, False, False,
        gettext_noop("A profile fitted from observation, not a specification: WebKitGTK 2.50 (libsoup's \"no "
                     "third party\" policy). It refuses a cookie unless the base domain of the cookie's domain "
                     "is the page's, Partitioned or not; under a TLD missing from the Public Suffix List "
                     "(.localhost, .test) the base domain is the host itself, so the API's host-only cookie is "
                     "refused even on a sibling subdomain. Safari's own network stack may differ.")),
}
ENGINES = tuple(PROFILES)

# Why a cookie was stored, refused or not sent; the keys are the reason codes of Fate.
WHY = {
    "first_party": gettext_noop("Stored: the front and the API are the same site, so it is a first-party cookie."),
    "third_party_allowed": gettext_noop("Stored: SameSite=None and Secure, and this browser allows third-party cookies."),
    "partitioned": gettext_noop("Stored in the front's partition: Partitioned (CHIPS) keeps it even where "
                                "third-party cookies are blocked, for this front only."),
    "total_cookie_protection": gettext_noop("Stored in a jar of the front's site (Total Cookie Protection), and sent "
                                            "back on the front's fetches."),
    "prefix": gettext_noop("Refused: a __Host- cookie needs Secure, Path=/ and no Domain; a __Secure- cookie needs Secure."),
    "secure_over_http": gettext_noop("Refused: a Secure cookie set by an http:// API."),
    "domain_mismatch": gettext_noop("Refused: its Domain={domain} does not cover the API's host {host}."),
    "domain_public_suffix": gettext_noop("Refused: its Domain={domain} is a public suffix (on the Public Suffix List), "
                                         "which no cookie may name."),
    "none_without_secure": gettext_noop("Refused: SameSite=None without Secure."),
    "samesite_cross_site": gettext_noop("Refused: SameSite={samesite}, set in answer to a fetch that another site "
                                        "({front}) started."),
    "default_lax_cross_site": gettext_noop("Refused: no SameSite attribute, which Chromium treats as Lax, set in "
                                           "answer to another site's fetch."),
    "third_party_blocked": gettext_noop("Refused: a third-party cookie (the front is another site), and this browser "
                                        "blocks third-party cookies that are not Partitioned."),
    "third_party_refused": gettext_noop("Refused: WebKit takes a cookie only from the page's own base domain, and "
                                        "{host} is on another site than {front}, Partitioned or not."),
    "unlisted_tld": gettext_noop("Refused: {host} is under a TLD missing from the Public Suffix List, where WebKit "
                                 "takes every host for a site of its own, so the API's host-only cookie is a "
                                 "third-party cookie for {front}."),
    "path_mismatch": gettext_noop("Not sent: its Path={path} does not cover {request_path}."),
    "sent": gettext_noop("Sent with the front's fetch."),
}
REFUSALS = ("prefix", "secure_over_http", "domain_mismatch", "domain_public_suffix", "none_without_secure",
            "samesite_cross_site", "default_lax_cross_site", "third_party_blocked", "third_party_refused", "unlisted_tld")


@dataclass(frozen=True)
class Fate:
    ok: bool
    reason: str
    partition: str | None = None   # the top-level site of the jar it is kept in, if partitioned
    values: tuple = ()             # (name, value) pairs for the sentence's placeholders

    def why(self, translate=lambda text: text) -> str:
        return translate(WHY[self.reason]).format(**dict(self.values))


def _secure_url(url: str, profile: Profile) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or (profile.secure_on_loopback and _is_loopback(parts.hostname or ""))


def _libsoup_base(host: str) -> str | None:
    """soup_tld_get_base_domain(): the registrable domain, or nothing when the host's TLD is not on
    the list (or the host is an IP address)."""
    return registrable_domain(host) if suffix_section(host) is not None else None


def _libsoup_first_party(cookie: SetCookie, api_host: str, front_host: str) -> bool:
    """libsoup's incoming_cookie_is_third_party(), negated: the base domain of the cookie's domain
    (or the domain itself, with its leading dot for a Domain cookie) must host-match the page's."""
    domain = cookie.domain or api_host
    cookie_base = _libsoup_base(domain) or (f".{domain}" if cookie.domain else domain)
    page_base = _libsoup_base(front_host) or front_host
    return cookie_base == page_base or (cookie_base.startswith(".") and (
        cookie_base[1:] == page_base or page_base.endswith(cookie_base)))


def same_site_for(profile: Profile, front: str, api: str) -> bool:
    """Same site as this engine compares them for SameSite: schemeful or not."""
    if profile.schemeful:
        return same_site(front, api)
    return site_of(front).split("://", 1)[1] == site_of(api).split("://", 1)[1]


def stored(cookie: SetCookie, front: str, api_url: str, engine: str) -> Fate:
    """Does this engine keep the cookie the API at api_url set in answer to a fetch() of the page
    at `front` (the top-level page)?"""
    profile = PROFILES[engine]
    host, front_host = host_of(api_url), host_of(front)
    values = (("host", host), ("front", front), ("domain", cookie.domain or ""), ("samesite", cookie.same_site or ""))
    refused = lambda reason: Fate(False, reason, values=values)  # noqa: E731
    if cookie.name.startswith("__Secure-") and not cookie.secure or cookie.name.startswith("__Host-") and (
            not cookie.secure or cookie.domain or cookie.path != "/"):
        return refused("prefix")
    if cookie.secure and not _secure_url(api_url, profile):
        return refused("secure_over_http")
    if cookie.domain:
        if not (host == cookie.domain or host.endswith("." + cookie.domain)):
            return refused("domain_mismatch")
        if registrable_domain(cookie.domain) is None and cookie.domain != host:
            return refused("domain_public_suffix")
    if cookie.same_site == "None" and not cookie.secure:
        return refused("none_without_secure")
    if profile.third_party == "refused" and not _libsoup_first_party(cookie, host, front_host):
        return refused("unlisted_tld" if same_site(front, api_url) else "third_party_refused")
    if same_site_for(profile, front, api_url):
        return Fate(True, "first_party", values=values)
    effective = cookie.same_site or ("Lax" if profile.lax_by_default else "None")
    if effective != "None":
        return refused("samesite_cross_site" if cookie.same_site else "default_lax_cross_site")
    partition = site_of(front)
    if profile.third_party == "partitioned":
        return Fate(True, "total_cookie_protection", partition, values)
    if cookie.partitioned and profile.partitioned_cookies:
        return Fate(True, "partitioned", partition, values)
    if profile.third_party == "allowed":
        return Fate(True, "third_party_allowed", values=values)
    return refused("third_party_blocked")


def sent(cookie: SetCookie, request_url: str, engine: str) -> Fate:
    """Is a cookie this engine stored for the API sent with the front's next fetch to request_url?
    (The front and the API are those it was stored for: SameSite and the partition already agreed.)"""
    path = urlsplit(request_url).path or "/"
    values = (("path", cookie.path), ("request_path", path))
    if cookie.secure and not _secure_url(request_url, PROFILES[engine]):
        return Fate(False, "secure_over_http", values=values)
    if not (path == cookie.path or path.startswith(cookie.path.rstrip("/") + "/")):
        return Fate(False, "path_mismatch", values=values)
    return Fate(True, "sent", values=values)
