"""Which defence held against an attacker's request, read from what the server recorded.

One function, defence(): given the request the API received and what it answered, it names the
defence that stopped the attack (or that nothing did) as a reason code.
The page renders the code's sentence; it decides nothing itself.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lab.csrf_reasons import django_reason_of, explain

# Who kept the session cookie home: SameSite, or, for a SameSite=None cookie, the browser's
# third-party-cookie blocking (which covers other sites' frames, images and fetches only).
KEPT_HOME_BY = {"samesite": _("SameSite"), "third_party": _("third-party-cookie blocking")}

MESSAGES = {
    "worked": _("The attack WORKED: the session cookie arrived and Django accepted the request."),
    "cookie_kept_home": _("Stopped by %(by)s: the browser did not attach the session cookie, so the API "
                          "saw an anonymous request."),
    "csrf": _("Stopped by Django's CSRF check: %(reason)s"),
    "stopped_twice": _("Stopped twice: %(by)s kept the session cookie home, and Django's CSRF check "
                       "answered 403 anyway: %(reason)s"),
    "cors": _("The request went through with the cookie, but CORS kept the answer from the attacker's page."),
    "cors_no_cookie": _("No session cookie arrived (%(by)s), and CORS would have hidden the answer anyway."),
    "embedded": _("The cookie arrived, but a page cannot read a frame or image of another origin: the "
                  "attacker saw a load event only."),
    "navigation": _("Nothing stopped it: the cookie rode a top-level navigation, and the answer went to "
                    "you, not to the attacker."),
    "other": _("HTTP %(status)s."),
}

# Which defence did NOT hold: from the same site, SameSite lets every cookie through.
NOT_HELD = {"samesite": _("SameSite did not help: this page is the same site as the API, so the session "
                          "cookie rode along.")}


def attacker_of(request: dict, sibling_origin: str) -> str:
    """The sibling (same site, another origin) or a cross-site attacker. A no-cors GET (frame,
    image, link) carries no Origin; the app's own requests always do (fetch in cors mode)."""
    if request["sec_fetch_site"] == "same-site" and request["origin"] in (sibling_origin, None):
        return "sibling"
    return "cross-site"


def not_held(request: dict, session_cookie: str, attacker: str) -> str | None:
    return "samesite" if attacker == "sibling" and session_cookie in request["cookies"] else None


@dataclass(frozen=True)
class Defence:
    code: str
    kept_home_by: str | None = None   # a key of KEPT_HOME_BY, when the cookie stayed home
    reason: str = ""                   # Django's own CSRF reason (English), when CSRF answered

    def message(self, status: int) -> str:
        by = KEPT_HOME_BY[self.kept_home_by] if self.kept_home_by else ""
        # Django's reason, told in the language of the page that asks (the attack's own request
        # may have been in another).
        return str(MESSAGES[self.code]) % {"by": by, "reason": explain(self.reason)[1], "status": status}


def defence(request: dict, response: dict, session_cookie: str, reads_data: bool) -> Defence:
    """`request` and `response` as the ledger records them; `reads_data`: the target only reads
    (GET /api/me/), rather than changes something (POST /api/display-name/)."""
    arrived = session_cookie in request["cookies"]
    # The SameSite in force when the request arrived, as the ledger recorded it.
    kept_home_by = "third_party" if response.get("session_cookie_samesite") == "None" else "samesite"
    status = response["status"]
    if reads_data:
        if request["sec_fetch_mode"] == "cors":
            return Defence("cors") if arrived else Defence("cors_no_cookie", kept_home_by)
        if not arrived:
            return Defence("cookie_kept_home", kept_home_by)
        return Defence("navigation" if request["sec_fetch_dest"] == "document" else "embedded")
    if status == 403:
        reason = django_reason_of(response)
        return Defence("csrf", reason=reason) if arrived else Defence("stopped_twice", kept_home_by, reason)
    if status == 401:
        return Defence("cookie_kept_home", kept_home_by)
    return Defence("worked") if status == 200 else Defence("other")
