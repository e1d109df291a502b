"""Token families: refresh tokens that rotate on every use, and are revoked together.

djangorestframework-simplejwt's design (ROTATE_REFRESH_TOKENS with BLACKLIST_AFTER_ROTATION): every
refresh answers a new refresh token and retires the one it was given, so a refresh token works
once. The lab goes one step further, as OAuth's security best practice asks (RFC 9700, 4.14.2):
a retired refresh token that comes back means that two parties hold the chain, the user and
whoever copied an earlier token, and the server cannot tell which one is asking. So it revokes
the whole family, the live token too: both must log in again, and the copy is worth nothing.
simplejwt only refuses the retired token ("Token is blacklisted"); the one issued from it lives on.

Logout revokes the family as well. Revocation is state on the server, checked on every use: the
refresh endpoint always checks it, and so does GET /api/token/me/ for access tokens, at the cost
of a database read per request. A stateless check (GET /api/protected/) saves that read, and pays
for it with an access token that outlives its logout until it expires.

This module knows tokens and families; where a token travels (body or cookie) is the views'
business (experiments/lifecycle.py).
"""

from datetime import datetime, timezone

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lab.api import ApiError
from people import tokens
from people.models import TokenFamily

# Why a family was revoked, for the sentence of family_revoked.
REVOKED_BECAUSE = {
    TokenFamily.REVOKED_AT_LOGOUT: gettext_lazy("at logout"),
    TokenFamily.REVOKED_ON_REUSE: gettext_lazy("one of its refresh tokens was used twice"),
}


def token_refused(code: str, message: str, family: TokenFamily | None = None, **fields) -> ApiError:
    """A 401 for a token refused, with the family's state when there is one, and the challenge of
    RFC 6750 for an invalid token."""
    challenge = f'Bearer realm="lab", error="invalid_token", error_description="{code}"'
    if family is not None:
        fields["family"] = family.as_json()
    return ApiError(401, code, message, {"WWW-Authenticate": challenge}, **fields)


def verified(verify, token: str) -> dict:
    """verify(token)'s claims, or the 401 of its reason, with PyJWT's own words as `detail`."""
    try:
        return verify(token)
    except tokens.TokenRejected as rejected:
        raise token_refused(rejected.reason, rejected.message, detail=rejected.detail) from None


def family_of(claims: dict) -> TokenFamily:
    """The token's family, if it was not revoked."""
    family = TokenFamily.objects.filter(family_id=str(claims["fam"])).first()
    if family is None:
        raise token_refused("unknown_family", _("The API knows no such token family: it expired and was forgotten, "
                                          "or the database was reset. Log in again."))
    if family.revoked_at is not None:
        raise token_refused("family_revoked", _("This token's family was revoked (%(because)s): log in again.")
                      % {"because": REVOKED_BECAUSE[family.revoked_because]}, family)
    return family


def start(user) -> tuple[TokenFamily, str, str]:
    """A new family for a login: (the family, its access token, its first refresh token)."""
    now = datetime.now(timezone.utc)
    # Families whose last refresh token has expired can never be used again: forgotten, so that
    # the table stays as small as the logins of the last day.
    TokenFamily.objects.filter(expires_at__lte=now).delete()
    family_id, token_id = tokens.new_token_id(), tokens.new_token_id()
    family = TokenFamily.objects.create(family_id=family_id, user=user, live_token_id=token_id,
                                        expires_at=now + tokens.REFRESH_LIFETIME)
    return family, tokens.issue(user, now, family=family_id), tokens.issue_refresh(user, family_id, token_id, now)


def rotate(refresh_token: str) -> tuple[TokenFamily, str, str]:
    """Trades a live refresh token for (its family, a new access token, the next refresh token).
    A retired one revokes the family."""
    claims = verified(tokens.verify_refresh, refresh_token)
    family = family_of(claims)
    now = datetime.now(timezone.utc)
    next_id = tokens.new_token_id()
    # One conditional UPDATE, so that of two refreshes with the same token at once (two tabs, or
    # the user and a thief), exactly one wins; the other finds the token retired.
    won = TokenFamily.objects.filter(pk=family.pk, live_token_id=claims["jti"], revoked_at=None).update(
        live_token_id=next_id, refreshes=F("refreshes") + 1, expires_at=now + tokens.REFRESH_LIFETIME)
    family.refresh_from_db()
    if not won:
        if family.revoked_at is None:
            revoke(family, TokenFamily.REVOKED_ON_REUSE)
            raise token_refused("refresh_reused", _(
                "This refresh token was used once already and replaced: someone else may hold a copy. The API "
                "cannot tell which of you is asking, so it revoked the whole family, the newest token too. "
                "Log in again."), family)
        family_of(claims)  # revoked meanwhile (a logout): says so
    user = family.user
    return family, tokens.issue(user, now, family=family.family_id), tokens.issue_refresh(
        user, family.family_id, next_id, now)


def revoke(family: TokenFamily, because: str) -> bool:
    """Revokes the family; False if it was revoked already (the first reason stays)."""
    revoked = TokenFamily.objects.filter(pk=family.pk, revoked_at=None).update(
        revoked_at=datetime.now(timezone.utc), revoked_because=because)
    family.refresh_from_db()
    return bool(revoked)


def log_out(refresh_token: str) -> tuple[TokenFamily, bool]:
    """Revokes the family of a refresh token, live or retired: (the family, whether this revoked it)."""
    claims = verified(tokens.verify_refresh, refresh_token)
    family = TokenFamily.objects.filter(family_id=str(claims["fam"])).first()
    if family is None:
        family_of(claims)  # says it is unknown
    return family, revoke(family, TokenFamily.REVOKED_AT_LOGOUT)


def check_access(access_token: str) -> tuple[dict, TokenFamily]:
    """The claims of a lifecycle access token whose family still stands, and the family."""
    claims = verified(tokens.verify_family_access, access_token)
    return claims, family_of(claims)
