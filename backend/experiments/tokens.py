"""All of the lab's JWT code. HS256: one shared secret both signs and verifies.

Verification pins the algorithm (a token cannot choose "none" or another algorithm), requires the
claims we rely on, and checks who issued the token (iss) and whom it is for (aud).
https://pyjwt.readthedocs.io/en/stable/usage.html
"""

from datetime import datetime, timedelta, timezone

import jwt
from django.conf import settings

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


class TokenRejected(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


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
        raise TokenRejected(reason, str(error)) from None
