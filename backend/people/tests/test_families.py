"""Token families (people/families.py): rotation on every use, reuse and logout revoke the family,
and the two kinds of token are never taken for each other."""

from datetime import datetime, timedelta, timezone
from unittest.mock import patch

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from lab.api import ApiError
from people import families, tokens
from people.models import TokenFamily


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


class FamilyTests(TestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_user("alice", password="pw")

    def assert_refused(self, code: str, call, *args):
        with self.assertRaises(ApiError) as refused:
            call(*args)
        self.assertEqual((refused.exception.status, refused.exception.code), (401, code), refused.exception.message)
        return refused.exception

    def test_a_login_starts_a_family_whose_tokens_name_it(self):
        family, access, refresh = families.start(self.user)

        self.assertEqual(claims_of(access)["fam"], family.family_id)
        self.assertEqual(claims_of(refresh)["fam"], family.family_id)
        self.assertEqual(claims_of(refresh)["jti"], family.live_token_id)
        self.assertEqual(claims_of(access)["exp"] - claims_of(access)["iat"], tokens.LIFETIME.total_seconds())
        self.assertEqual(claims_of(refresh)["exp"] - claims_of(refresh)["iat"], tokens.REFRESH_LIFETIME.total_seconds())

    def test_every_refresh_rotates_the_refresh_token(self):
        family, _access, first = families.start(self.user)

        _family, _access, second = families.rotate(first)
        _family, _access, third = families.rotate(second)

        self.assertEqual(len({claims_of(t)["jti"] for t in (first, second, third)}), 3)
        family.refresh_from_db()
        self.assertEqual((family.refreshes, family.live_token_id), (2, claims_of(third)["jti"]))

    def test_a_retired_refresh_token_that_comes_back_revokes_the_whole_family(self):
        family, _access, first = families.start(self.user)
        _family, access, second = families.rotate(first)

        reused = self.assert_refused("refresh_reused", families.rotate, first)

        self.assertEqual(reused.fields["family"], {"id": family.family_id, "refreshes": 1, "revoked": True,
                                                   "revoked_because": "reuse"})
        # The newest token went with it: whoever held it (the user, or the thief) must log in again.
        self.assert_refused("family_revoked", families.rotate, second)
        self.assert_refused("family_revoked", families.check_access, access)

    def test_logout_revokes_the_family_and_its_access_tokens_at_the_check_that_asks(self):
        _family, access, refresh = families.start(self.user)

        family, revoked_now = families.log_out(refresh)

        self.assertTrue(revoked_now)
        self.assertEqual(family.revoked_because, TokenFamily.REVOKED_AT_LOGOUT)
        self.assert_refused("family_revoked", families.rotate, refresh)
        refused = self.assert_refused("family_revoked", families.check_access, access)
        self.assertIn("at logout", refused.message)
        # A stateless check never asks: the access token stays good until it expires.
        self.assertEqual(tokens.verify(access)["name"], "alice")

    def test_a_second_logout_changes_nothing_and_keeps_the_first_reason(self):
        family, _access, first = families.start(self.user)
        families.rotate(first)
        self.assert_refused("refresh_reused", families.rotate, first)

        family, revoked_now = families.log_out(first)

        self.assertFalse(revoked_now)
        self.assertEqual(family.revoked_because, TokenFamily.REVOKED_ON_REUSE)

    def test_families_do_not_touch_each_other(self):
        _one, _access, first = families.start(self.user)
        _other, access, other = families.start(self.user)

        families.log_out(first)

        families.check_access(access)
        families.rotate(other)

    def test_an_access_token_is_no_refresh_token_and_a_refresh_token_no_access_token(self):
        _family, access, refresh = families.start(self.user)

        self.assert_refused("wrong_audience", families.rotate, access)
        self.assert_refused("wrong_audience", families.check_access, refresh)
        with self.assertRaises(tokens.TokenRejected) as rejected:
            tokens.verify(refresh)  # GET /api/protected/
        self.assertEqual(rejected.exception.reason, "wrong_audience")

    def test_a_token_of_the_articles_experiment_names_no_family(self):
        refused = self.assert_refused("missing_claim", families.check_access, tokens.issue(self.user))
        self.assertEqual(refused.fields["detail"], 'Token is missing the "jti" claim')

    def test_a_refresh_token_signed_elsewhere_or_expired_is_refused_with_its_reason(self):
        family, _access, refresh = families.start(self.user)
        claims = claims_of(refresh)
        self.assert_refused("bad_signature", families.rotate, jwt.encode(claims, "x" * 32, algorithm="HS256"))
        past = datetime.now(timezone.utc) - timedelta(days=2)
        expired = tokens.issue_refresh(self.user, family.family_id, family.live_token_id, past)
        self.assert_refused("expired", families.rotate, expired)
        self.assert_refused("malformed", families.rotate, "not.a.jwt")

    def test_a_family_the_api_no_longer_knows_is_refused(self):
        family, access, refresh = families.start(self.user)
        family.delete()

        self.assert_refused("unknown_family", families.rotate, refresh)
        self.assert_refused("unknown_family", families.check_access, access)
        self.assert_refused("unknown_family", families.log_out, refresh)

    def test_a_login_forgets_the_families_whose_last_refresh_token_expired(self):
        old, _access, _refresh = families.start(self.user)
        TokenFamily.objects.filter(pk=old.pk).update(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
        live, _access, _refresh = families.start(self.user)

        self.assertEqual(list(TokenFamily.objects.values_list("pk", flat=True)), [live.pk])

    def test_the_signing_key_is_the_labs(self):
        _family, access, refresh = families.start(self.user)
        for token in (access, refresh):
            self.assertEqual(jwt.get_unverified_header(token)["alg"], "HS256")
            jwt.decode(token, settings.LAB_JWT_SIGNING_KEY, algorithms=["HS256"], options={"verify_aud": False})


    def test_a_refresh_that_loses_a_race_with_the_same_token_is_a_reuse(self):
        """Two refreshes with one token at once (two tabs, or the user and a thief): the one that
        read the family first but writes second must not win too. Played in that order: the other
        refresh runs between this one's read and its write."""
        _family, _access, refresh = families.start(self.user)
        read_family = families.family_of
        other_refresh_done = []

        def read_then_lose_the_race(claims):
            family = read_family(claims)
            if not other_refresh_done:
                other_refresh_done.append(True)
                families.rotate(refresh)  # reads the family too, and writes first
            return family

        with patch.object(families, "family_of", read_then_lose_the_race):
            self.assert_refused("refresh_reused", families.rotate, refresh)
        self.assertEqual(TokenFamily.objects.get().revoked_because, TokenFamily.REVOKED_ON_REUSE)
