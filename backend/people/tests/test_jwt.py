from datetime import datetime, timedelta, timezone

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from people import tokens
from testing import ApiClient


class JwtTests(TestCase):
    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        self.user = get_user_model().objects.create_user("alice", password="pw")

    def get_protected(self, token: str):
        return self.client.get("/api/protected/", headers={"Authorization": f"Bearer {token}"})

    def assert_rejected(self, token: str, reason: str):
        response = self.get_protected(token)
        self.assertEqual(response.status_code, 401, response.content)
        self.assertEqual(response.json()["error"], reason)
        self.assertTrue(response["WWW-Authenticate"].startswith("Bearer"))

    def claims(self, **changes) -> dict:
        now = datetime.now(timezone.utc)
        base = {"sub": str(self.user.pk), "name": "alice", "iat": now, "exp": now + timedelta(minutes=5),
                "iss": tokens.issuer(), "aud": tokens.audience()}
        return {key: value for key, value in {**base, **changes}.items() if value is not None}

    def sign(self, claims, key=None, algorithm="HS256") -> str:
        return jwt.encode(claims, key or settings.LAB_JWT_SIGNING_KEY, algorithm=algorithm)

    def test_token_endpoint_issues_hs256_token_with_required_claims(self):
        response = self.client.post_json("/api/token/", {"username": "alice", "password": "pw"})
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        self.assertEqual(jwt.get_unverified_header(token)["alg"], "HS256")
        payload = jwt.decode(token, options={"verify_signature": False})
        self.assertLessEqual({"sub", "name", "iat", "exp", "iss", "aud"}, set(payload))

    def test_token_endpoint_issues_a_shorter_lived_token_when_asked(self):
        response = self.client.post_json("/api/token/", {"username": "alice", "password": "pw", "lifetime_seconds": 5})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["expires_in"], 5)
        payload = jwt.decode(response.json()["token"], options={"verify_signature": False})
        self.assertEqual(payload["exp"] - payload["iat"], 5)

    def test_token_endpoint_refuses_a_lifetime_longer_than_the_default_or_not_a_number(self):
        for lifetime in (0, -1, 301, 3.5, "5", True, None):
            with self.subTest(lifetime=lifetime):
                response = self.client.post_json(
                    "/api/token/", {"username": "alice", "password": "pw", "lifetime_seconds": lifetime})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"], "invalid_lifetime")

    def test_valid_token_returns_its_user(self):
        response = self.get_protected(tokens.issue(self.user))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["user"]["username"], "alice")

    def test_missing_header_is_401_with_bearer_challenge(self):
        response = self.client.get("/api/protected/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="lab"')

    def test_expired_token_is_401_expired(self):
        past = datetime.now(timezone.utc) - timedelta(hours=1)
        self.assert_rejected(self.sign(self.claims(iat=past, exp=past + timedelta(minutes=5))), "expired")

    def test_pyjwts_own_words_stay_as_the_detail_beside_the_labs_message(self):
        past = datetime.now(timezone.utc) - timedelta(hours=1)
        expired = self.get_protected(self.sign(self.claims(iat=past, exp=past + timedelta(minutes=5)))).json()
        self.assertEqual(expired["detail"], "Signature has expired")
        self.assertEqual(expired["message"], "The token has expired (its exp is in the past): get a new one.")
        nameless = self.get_protected(self.sign(self.claims(name=None))).json()
        self.assertEqual(nameless["detail"], 'Token is missing the "name" claim')
        self.assertEqual(nameless["message"], "The token lacks the name claim.")
        self.assertEqual(self.get_protected("a.b").json()["detail"], "Not enough segments")

    def test_tampered_payload_is_401_bad_signature(self):
        header, payload, signature = tokens.issue(self.user).split(".")
        other_payload = self.sign(self.claims(name="mallory")).split(".")[1]
        self.assert_rejected(f"{header}.{other_payload}.{signature}", "bad_signature")

    def test_token_signed_with_another_key_is_401_bad_signature(self):
        self.assert_rejected(self.sign(self.claims(), key="x" * 32), "bad_signature")

    def test_garbage_is_401_malformed(self):
        self.assert_rejected("not.a.jwt", "malformed")

    def test_wrong_audience_is_401(self):
        self.assert_rejected(self.sign(self.claims(aud="https://elsewhere.localhost")), "wrong_audience")

    def test_wrong_issuer_is_401(self):
        self.assert_rejected(self.sign(self.claims(iss="https://attacker.localhost")), "wrong_issuer")

    def test_missing_exp_is_401_missing_claim(self):
        self.assert_rejected(self.sign(self.claims(exp=None)), "missing_claim")

    def test_validly_signed_token_without_a_claim_the_api_reads_is_401_not_500(self):
        # /api/protected/ reads sub and name: a token signed with the right key but lacking one
        # must be refused like any other bad token, never crash the view.
        for claim in ("sub", "name", "iat", "exp", "iss", "aud"):
            with self.subTest(claim=claim):
                self.assert_rejected(self.sign(self.claims(**{claim: None})), "missing_claim")

    def test_alg_none_is_refused(self):
        self.assert_rejected(jwt.encode(self.claims(), None, algorithm="none"), "algorithm_not_allowed")

    def test_other_algorithm_is_refused(self):
        self.assert_rejected(self.sign(self.claims(), algorithm="HS512"), "algorithm_not_allowed")
