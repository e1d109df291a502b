"""What stopped an attacker's request, read from the server's record of it: one answer for the
cookies page's attacks and the leak tables alike.

The server cannot see into the attacker's page, but it knows everything that decides the outcome:
did the session cookie arrive, what did the view answer, did the CORS headers share the answer
with the page's origin (for a credentialed fetch, Access-Control-Allow-Origin exactly the request's
Origin and Access-Control-Allow-Credentials exactly "true": https://fetch.spec.whatwg.org/#cors-check),
what did Django's CSRF check say, and was the page same-site or cross-site, as the browser said
in Sec-Fetch-Site. what_stopped() turns that into one code of MESSAGES; the pages render the
code's sentence and decide nothing themselves. The e2e suite checks the codes against what the
browsers let the attacker's page do (e2e/test_attacks.py, test_sibling.py, test_leaks.py).
"""

from dataclasses import dataclass

from crossorigin.translation import gettext_noop, translate

# Who kept the session cookie home: SameSite, or, for a SameSite=None cookie, the browser's
# third-party-cookie blocking (which covers other sites' frames, images and fetches only).
KEPT_HOME_BY = {"samesite": gettext_noop("SameSite"), "third_party": gettext_noop("third-party-cookie blocking")}

MESSAGES = {
    "leaked": gettext_noop("The attack WORKED: the session cookie arrived and CORS shared the answer with the "
                           "attacker's page, which read the user's data."),
    "written": gettext_noop("The attack WORKED: the session cookie arrived and Django accepted the request."),
    "cors": gettext_noop("The request went through with the cookie, but CORS kept the answer from the "
                         "attacker's page."),
    "cors_no_cookie": gettext_noop("No session cookie arrived (%(by)s), and CORS would have hidden the answer anyway."),
    "cookie_kept_home": gettext_noop("Stopped by %(by)s: the browser did not attach the session cookie, so the API "
                                     "saw an anonymous request."),
    "csrf_origin": gettext_noop("Stopped by Django's CSRF check, at its Origin check: %(reason)s"),
    "csrf_token": gettext_noop("Stopped by Django's CSRF check: the Origin check let it through, the token check "
                               "held: %(reason)s"),
    "stopped_twice": gettext_noop("Stopped twice: %(by)s kept the session cookie home, and Django's CSRF check "
                                  "answered 403 anyway: %(reason)s"),
    "embedded": gettext_noop("The cookie arrived, but a page cannot read a frame or image of another origin: the "
                             "attacker saw a load event only."),
    "navigation": gettext_noop("Nothing stopped it: the cookie rode a top-level navigation, and the answer went to "
                               "you, not to the attacker."),
    "other": gettext_noop("HTTP %(status)s."),
}

# Which defence did NOT hold: from the same site, SameSite lets every cookie through.
NOT_HELD = {"samesite": gettext_noop("SameSite did not help: this page is the same site as the API, so the "
                                     "session cookie rode along.")}

# Django's CSRF reason codes (lab/csrf_reasons.py) of its Origin check; the others are the token's.
CSRF_ORIGIN_REASONS = ("origin_untrusted",)
SAFE_METHODS = ("GET", "HEAD")
# Sec-Fetch-Mode of a request no script made: a navigation (a link, a frame) or an embed (an image).
NOT_FETCHED = ("navigate", "no-cors")


@dataclass(frozen=True)
class Attempt:
    """One request of an attacker's page, as the ledger recorded it."""
    method: str
    origin: str | None         # the Origin header; None for a no-cors GET (a frame, an image, a link)
    site: str | None           # Sec-Fetch-Site: "same-site", "cross-site"...
    mode: str | None           # Sec-Fetch-Mode: "cors" for fetch(), "navigate", "no-cors"
    dest: str | None           # Sec-Fetch-Dest: "document", "iframe", "image", "empty"
    session_arrived: bool
    status: int
    shared: bool               # did CORS share the answer with the page's origin, credentials and all
    samesite: str | None = None      # the session cookie's SameSite when the request came
    csrf_reason: str | None = None   # Django's CSRF reason code (lab/csrf_reasons.py), on a 403

    @classmethod
    def from_ledger(cls, request: dict, response: dict, session_cookie: str, csrf_reason: str | None = None):
        headers = response["headers"]
        shared = (request["origin"] is not None and headers.get("access-control-allow-origin") == request["origin"]
                  and headers.get("access-control-allow-credentials") == "true")
        return cls(method=request["method"], origin=request["origin"], site=request["sec_fetch_site"],
                   mode=request["sec_fetch_mode"], dest=request["sec_fetch_dest"],
                   session_arrived=session_cookie in request["cookies"], status=response["status"], shared=shared,
                   samesite=response.get("session_cookie_samesite"), csrf_reason=csrf_reason)


@dataclass(frozen=True)
class Stopped:
    code: str                          # a key of MESSAGES
    attacker: str                      # "sibling" or "cross-site"
    kept_home_by: str | None = None    # a key of KEPT_HOME_BY, when the cookie stayed home
    not_held: str | None = None        # a key of NOT_HELD

    def message(self, status: int, reason: str = "") -> str:
        """The code's sentence in the reader's language; `reason`: Django's CSRF reason, told."""
        by = translate(KEPT_HOME_BY[self.kept_home_by]) if self.kept_home_by else ""
        return translate(MESSAGES[self.code]) % {"by": by, "reason": reason, "status": status}

    def not_held_message(self) -> str:
        return translate(NOT_HELD[self.not_held]) if self.not_held else ""


def attacker_of(site: str | None, origin: str | None, sibling_origin: str) -> str:
    """The sibling (same site, another origin) or a cross-site attacker, as the browser said in
    Sec-Fetch-Site. A no-cors GET carries no Origin; a sandboxed frame's opaque origin is never
    same-site, wherever the frame sits."""
    return "sibling" if site == "same-site" and origin in (sibling_origin, None) else "cross-site"


def what_stopped(attempt: Attempt, sibling_origin: str) -> Stopped:
    attacker = attacker_of(attempt.site, attempt.origin, sibling_origin)
    arrived = attempt.session_arrived
    kept_home_by = None if arrived else ("third_party" if attempt.samesite == "None" else "samesite")
    not_held = "samesite" if attacker == "sibling" and arrived else None

    def stopped(code: str) -> Stopped:
        return Stopped(code, attacker, kept_home_by, not_held)

    if attempt.method.upper() in SAFE_METHODS:
        if attempt.mode in NOT_FETCHED:
            # A frame, an image or a link: nothing of the answer reaches the attacker's script.
            if not arrived:
                return stopped("cookie_kept_home")
            return stopped("navigation" if attempt.dest == "document" else "embedded")
        if not attempt.shared:
            return stopped("cors" if arrived else "cors_no_cookie")
        if attempt.status == 401 or not arrived:
            return stopped("cookie_kept_home")
        return stopped("leaked" if attempt.status == 200 else "other")
    if attempt.status == 403:
        if not arrived:
            return stopped("stopped_twice")
        return stopped("csrf_origin" if attempt.csrf_reason in CSRF_ORIGIN_REASONS else "csrf_token")
    if attempt.status == 401:
        return stopped("cookie_kept_home")
    return stopped("written" if attempt.status == 200 and arrived else "other")
