"""All of the lab's JWT code. HS256: one shared secret both signs and verifies.

Verification pins the algorithm (a token cannot choose "none" or another algorithm), requires the
claims we rely on, and checks who issued the token (iss) and whom it is for (aud).
https://pyjwt.readthedocs.io/en/stable/usage.html

Two kinds of token, told apart by their audience (RFC 8725, 3.9 and 3.11): an access token is for
the API (aud .../api/) and lives minutes; a refresh token is for the refresh endpoint alone (aud
.../api/token/refresh/) and lives a day. So neither is taken where the other is expected: the
wrong one gets wrong_audience. The token lifecycle experiment's tokens also carry an id (jti) and
the id of their family (fam): every token that descends from one login (people/families.py).
"""

import secrets
from datetime import datetime, timedelta, timezone

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ALGORITHMS = ["HS256"]
# Every claim the API reads (views.protected reads sub and name): a token without one is refused.
REQUIRED_CLAIMS = ["sub", "name", "iat", "exp", "iss", "aud"]
LIFETIME = timedelta(minutes=5)
# The lifecycle experiment's tokens, access and refresh alike, also carry their own id and their
# family's: what the API needs to ask whether the family was revoked. The two kinds have the same
# claims and differ in their audience, so each offered where the other is expected is refused as
# wrong_audience.
LIFECYCLE_CLAIMS = REQUIRED_CLAIMS + ["jti", "fam"]
REFRESH_LIFETIME = timedelta(days=1)

# Most specific first: ExpiredSignatureError and the others are subclasses of InvalidTokenError.
FAILURE_REASONS = [
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidSignatureError, "bad_signature"),
    (jwt.InvalidAudienceError, "wrong_audience"),
    (jwt.InvalidIssuerError, "wrong_issuer"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.InvalidAlgorithmError, "algorithm_not_allowed"),
    (jwt.DecodeError, "malformed"),
    (jwt.InvalidTokenError, "invalid"),
]


# The sentence of each reason, in the request's language. PyJWT's own English (str(error): "Signature
# has expired", "Not enough segments"...) is kept beside it as the technical `detail`.
MESSAGES = {
    "expired": _("The token has expired (its exp is in the past): get a new one."),
    "bad_signature": _("The token's signature does not verify: it was signed with another key, or changed "
                       "after signing."),
    "wrong_audience": _("The token is meant for another audience: its aud is not %(audience)s."),
    "wrong_issuer": _("The token was issued by someone else: its iss is not %(issuer)s."),
    "missing_claim": _("The token lacks the %(claim)s claim."),
    "not_yet_valid": _("The token is not valid yet: its iat or nbf is in the future."),
    "algorithm_not_allowed": _("The token's algorithm (alg) is not allowed: this API accepts HS256 only."),
    "malformed": _("The token is not a well-formed JWT (three base64url parts joined by dots)."),
    "invalid": _("The token was refused."),
}


class TokenRejected(Exception):
    """`reason`: a code of FAILURE_REASONS; `message`: its sentence; `detail`: PyJWT's own words."""

    def __init__(self, reason: str, detail: str, claim: str = "", expected_audience: str = ""):
        super().__init__(detail)
        self.reason, self.detail = reason, detail
        self.message = str(MESSAGES[reason]) % {"audience": expected_audience or audience(), "issuer": issuer(),
                                                "claim": claim}


def issuer() -> str:
    return settings.LAB_API_ORIGIN


def audience() -> str:
    return settings.LAB_API_ORIGIN + "/api/"


def refresh_audience() -> str:
    return settings.LAB_API_ORIGIN + "/api/token/refresh/"


def new_token_id() -> str:
    return secrets.token_urlsafe(16)


def sign(claims: dict) -> str:
    return jwt.encode(claims, settings.LAB_JWT_SIGNING_KEY, algorithm=ALGORITHMS[0])


def issue(user, now: datetime | None = None, lifetime: timedelta = LIFETIME, family: str | None = None) -> str:
    """An access token; with `family`, one of the lifecycle's, which names its family."""
    now = now or datetime.now(timezone.utc)
    claims = {
        "sub": str(user.pk),
        "name": user.username,
        "iat": now,
        "exp": now + lifetime,
        "iss": issuer(),
        "aud": audience(),
    }
    if family:
        claims |= {"jti": new_token_id(), "fam": family}
    return sign(claims)


def issue_refresh(user, family: str, token_id: str, now: datetime) -> str:
    return sign({"sub": str(user.pk), "name": user.username, "iat": now, "exp": now + REFRESH_LIFETIME,
                 "iss": issuer(), "aud": refresh_audience(), "jti": token_id, "fam": family})


def verify(token: str, expected_audience: str = "", required: list[str] = REQUIRED_CLAIMS) -> dict:
    """The token's claims, or TokenRejected with a short reason code. By default an access token
    (GET /api/protected/); verify_refresh and verify_family_access ask for the others."""
    try:
        return jwt.decode(
            token,
            settings.LAB_JWT_SIGNING_KEY,
            algorithms=ALGORITHMS,
            audience=expected_audience or audience(),
            issuer=issuer(),
            options={"require": required},
        )
    except jwt.InvalidTokenError as error:
        reason = next(code for kind, code in FAILURE_REASONS if isinstance(error, kind))
        claim = error.claim if isinstance(error, jwt.MissingRequiredClaimError) else ""
        raise TokenRejected(reason, str(error), claim, expected_audience) from None


def verify_refresh(token: str) -> dict:
    return verify(token, refresh_audience(), LIFECYCLE_CLAIMS)


def verify_family_access(token: str) -> dict:
    """An access token of the lifecycle experiment: one that names its family."""
    return verify(token, audience(), LIFECYCLE_CLAIMS)
