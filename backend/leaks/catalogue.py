"""Every leaky misconfiguration of the lab, declared once, as data.

The scenarios catalogue (scenarios/catalogue.py) shows CORS mistakes that BLOCK a page. These are
the ones that hurt people: they LET AN ATTACKER READ (or write) the logged-in user's data, as in
PortSwigger Web Security Academy's CORS labs. Each entry is a mistake a developer makes in real
settings, the attacker it lets in, and the fix.

The same declaration drives the server (leaks/views.py answers /leaks/<slug>/... with it, the
mistake under /leaks/<slug>/mistake/, the fix under /leaks/<slug>/fixed/), the attacker pages
(attacker/js/leaks.js and sibling/js/sibling.js run each attack) and the tests (e2e/test_leaks.py).
Who actually got the data is read from the ledger afterwards, never declared: by
crossorigin/defences.py, the one classifier the cookies page's attacks use too.

The mistake and the fix are servers of a case (lab/case.py), written as the learner would write
the setting, with the lab's origins in lab/origins.py's grammar ({app}, {app|host|re}, {site|re},
{port}...): django-cors-headers settings, or for the CSRF entry the CSRF_TRUSTED_ORIGINS. The
one mistake no library setting can make names a hand-written origin test (HAND_WRITTEN, below),
which only this catalogue may do: a case from a URL cannot.
"""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from crossorigin.sites import host_of
from lab.origins import LabOrigins, lab_origins


def cors(**settings) -> dict:
    return {"cors": settings}


APP_ONLY = cors(CORS_ALLOWED_ORIGINS=["{app}"], CORS_ALLOW_CREDENTIALS=True)


@dataclass(frozen=True)
class Leak:
    slug: str
    title: str
    lesson: str
    # Which host attacks in the "cross-site" row: "attacker" or a look-alike ("dot", "prefix",
    # "suffix"). The "sibling" row is always the same-site sibling host.
    cross_site_attacker: str
    # The mistake and the fix: servers of a case (run by lab/cors_runner.py, or Django's CSRF check
    # for a "form" attack), a hand-written origin test (below) where the library cannot be
    # configured into the mistake.
    mistake: dict
    fix: dict
    # The attack reads GET .../me/ with fetch(credentials: "include"); a "form" attack posts
    # .../display-name/ instead.
    attack: str = "read"
    # Run the read from a sandboxed iframe, whose origin is opaque: Origin: null.
    null_origin: bool = False
    # The system check (lab/checks.py) that warns when the mistake is copied into the real settings;
    # None for hand-written code, which no settings check can see.
    check: str | None = None

    def server(self, variant: str) -> dict:
        """The server of the mistake ("mistake") or of the fix ("fixed")."""
        return self.mistake if variant == "mistake" else self.fix

    def as_json(self, origins: LabOrigins) -> dict:
        """The mistake and the fix as the running lab's settings would hold them."""
        return {**asdict(self), "title": str(self.title), "lesson": str(self.lesson),
                "mistake": origins.fill_all(self.mistake), "fix": origins.fill_all(self.fix)}


# --- Hand-written origin tests: the mistakes django-cors-headers cannot be configured into -----
def ends_with_site(origin: str) -> bool:
    # "Our site is lab.localhost, so trust whatever ends with it": evillab.localhost does too,
    # because there is no dot before the suffix.
    return host_of(origin).endswith(lab_origins().site)


HAND_WRITTEN = {"ends_with_site": ends_with_site}

LEAKS = [
    Leak("reflect-any-origin", _("Any origin, with credentials"),
         _("CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS: django-cors-headers then echoes whatever "
           "Origin arrives, with Allow-Credentials: any page that gets the cookie sent reads the user's data."),
         check="lab.E002", cross_site_attacker="attacker",
         mistake=cors(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_CREDENTIALS=True), fix=APP_ONLY),
    Leak("trusted-null", _("The null origin trusted"),
         _("'null' in CORS_ALLOWED_ORIGINS (for file:// pages or sandboxed frames): any page can make "
           "itself null with a sandboxed iframe."),
         check="lab.W101", cross_site_attacker="attacker", null_origin=True,
         mistake=cors(CORS_ALLOWED_ORIGINS=["{app}", "null"], CORS_ALLOW_CREDENTIALS=True), fix=APP_ONLY),
    Leak("regex-unescaped-dot", _("A regex with unescaped dots"),
         _("In a regex '.' is any character: ^https://app.lab.localhost$ also matches https://app-lab.localhost, "
           "another site anyone can register."),
         check="lab.W102", cross_site_attacker="dot",
         mistake=cors(CORS_ALLOWED_ORIGIN_REGEXES=["^{app}$"], CORS_ALLOW_CREDENTIALS=True),
         fix=cors(CORS_ALLOWED_ORIGIN_REGEXES=["^{app|re}$"], CORS_ALLOW_CREDENTIALS=True)),
    Leak("regex-prefix", _("A regex without an end anchor (prefix matching)"),
         _("django-cors-headers uses re.match, anchored at the start only: ^https://app\\.lab\\.localhost "
           "also matches https://app.lab.localhost.attacker.localhost, a subdomain of the attacker's site."),
         check="lab.W103", cross_site_attacker="prefix",
         mistake=cors(CORS_ALLOWED_ORIGIN_REGEXES=["^https://{app|host|re}"], CORS_ALLOW_CREDENTIALS=True),
         fix=cors(CORS_ALLOWED_ORIGIN_REGEXES=["^{app|re}$"], CORS_ALLOW_CREDENTIALS=True)),
    Leak("suffix-match", _("Hand-written suffix matching"),
         _("origin_host.endswith('lab.localhost') without the dot before it: evillab.localhost passes. "
           "django-cors-headers cannot be configured into this one; it is hand-written code."),
         cross_site_attacker="suffix",
         mistake={**cors(CORS_ALLOW_CREDENTIALS=True), "origin_test": "ends_with_site"}, fix=APP_ONLY),
    Leak("every-subdomain", _("Every subdomain trusted"),
         _("^https://.*\\.lab\\.localhost$ trusts the whole site: a compromised or user-content subdomain "
           "(the sibling) reads the API. Its own cookies ride along, as SameSite sees one site."),
         check="lab.W104", cross_site_attacker="attacker",
         mistake=cors(CORS_ALLOWED_ORIGIN_REGEXES=["^https://.*\\.{site|re}{port|re}$"], CORS_ALLOW_CREDENTIALS=True),
         fix=APP_ONLY),
    Leak("csrf-subdomain-wildcard", _("CSRF_TRUSTED_ORIGINS with a subdomain wildcard"),
         _("https://*.lab.localhost passes Django's Origin check for the sibling too. The sibling then tosses "
           "its own csrftoken cookie (Domain=lab.localhost) and posts the matching token: the double-submit "
           "check compares the attacker's cookie with the attacker's token."),
         check="lab.W105", cross_site_attacker="attacker", attack="form",
         mistake={"csrf": {"CSRF_TRUSTED_ORIGINS": ["https://*.{site}{port}"]}},
         fix={"csrf": {"CSRF_TRUSTED_ORIGINS": ["{app}"]}}),
]

CATALOGUE = {leak.slug: leak for leak in LEAKS}
