"""All of the lab's JWT code. HS256: one shared secret both signs and verifies.

Verification pins the algorithm (a token cannot choose "none" or another algorithm), requires the
claims we rely on, and checks who issued the token (iss) and whom it is for (aud).
https://pyjwt.readthedocs.io/en/stable/usage.html
"""

from datetime import datetime, timedelta, timezone

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ALGORITHMS = ["HS256"]
# Every claim the API reads (views.protected reads sub and name): a token without one is refused.
REQUIRED_CLAIMS = ["sub", "name", "iat", "exp", "iss", "aud"]
LIFETIME = timedelta(minutes=5)

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

    def __init__(self, reason: str, detail: str, claim: str = ""):
        super().__init__(detail)
        self.reason, self.detail = reason, detail
        self.message = str(MESSAGES[reason]) % {"audience": audience(), "issuer": issuer(), "claim": claim}


def issuer() -> str:
    return settings.LAB_API_ORIGIN


def audience() -> str:
    return settings.LAB_API_ORIGIN + "/api/"


def issue(user, now: datetime | None = None, lifetime: timedelta = LIFETIME) -> str:
    now = now or datetime.now(timezone.utc)
    claims = {
        "sub": str(user.pk),
        "name": user.username,
        "iat": now,
        "exp": now + lifetime,
        "iss": issuer(),
        "aud": audience(),
    }
    return jwt.encode(claims, settings.LAB_JWT_SIGNING_KEY, algorithm=ALGORITHMS[0])


def verify(token: str) -> dict:
    """The token's claims, or TokenRejected with a short reason code."""
    try:
        return jwt.decode(
            token,
            settings.LAB_JWT_SIGNING_KEY,
            algorithms=ALGORITHMS,
            audience=audience(),
            issuer=issuer(),
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError as error:
        reason = next(code for kind, code in FAILURE_REASONS if isinstance(error, kind))
        claim = error.claim if isinstance(error, jwt.MissingRequiredClaimError) else ""
        raise TokenRejected(reason, str(error), claim) from None
