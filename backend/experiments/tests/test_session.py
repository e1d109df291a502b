"""The article's cookie login: masked CSRF token, login, /me with the session, logout."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from people.models import Profile
from testing import ApiClient


class SessionTests(TestCase):
    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        self.user = get_user_model().objects.create_user("alice", password="pw")

    def csrf_token(self) -> str:
        return self.client.get("/api/csrf/").json()["csrfToken"]

    def log_in(self):
        token = self.csrf_token()
        response = self.client.post_json("/api/login/", {"username": "alice", "password": "pw"},
                                         headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["csrfToken"]

    def accepted(self, token: str) -> bool:
        """Does Django's CSRF check take this token with the current cookie? (A 400 from the view
        means CSRF let the request through to it.)"""
        response = self.client.post_json("/api/login/", {"username": "alice", "password": "wrong"},
                                         headers={"X-CSRFToken": token})
        return response.status_code != 403

    def test_csrf_body_token_is_masked_and_differs_from_cookie_yet_each_one_is_accepted(self):
        first, second = self.csrf_token(), self.csrf_token()
        cookie = self.client.cookies[settings.CSRF_COOKIE_NAME].value
        self.assertNotEqual(first, cookie)
        self.assertNotEqual(first, second)
        self.assertTrue(self.accepted(first))
        self.assertTrue(self.accepted(second))
        self.assertFalse(self.accepted(first[:-4] + ("aaaa" if not first.endswith("aaaa") else "bbbb")))

    def test_csrf_cookie_is_secure_samesite_lax_and_readable_by_api_scripts(self):
        self.client.get("/api/csrf/")
        cookie = self.client.cookies[settings.CSRF_COOKIE_NAME]
        self.assertTrue(cookie["secure"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertFalse(cookie["httponly"])

    def test_login_without_csrf_token_is_403(self):
        self.client.get("/api/csrf/")
        response = self.client.post_json("/api/login/", {"username": "alice", "password": "pw"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"], "csrf_failed")
        self.assertEqual(response.json()["reason"], "CSRF token missing.")

    def test_login_without_csrf_cookie_is_403(self):
        response = self.client.post_json("/api/login/", {"username": "alice", "password": "pw"},
                                         headers={"X-CSRFToken": "x" * 64})
        self.assertEqual(response.status_code, 403)
        self.assertEqual((response.json()["reason"], response.json()["reason_code"]), ("CSRF cookie not set.", "cookie_missing"))

    def test_login_from_attacker_origin_fails_the_origin_check(self):
        token = self.csrf_token()
        attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN)
        attacker.cookies = self.client.cookies
        response = attacker.post_json("/api/login/", {"username": "alice", "password": "pw"},
                                      headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["reason"],
                         f"Origin checking failed - {settings.LAB_ATTACKER_ORIGIN} does not match any trusted origins.")

    def test_login_sets_a_secure_httponly_session_cookie(self):
        self.log_in()
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie.value)
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_login_rotates_the_csrf_secret(self):
        before = self.client.cookies[settings.CSRF_COOKIE_NAME].value if self.csrf_token() else None
        new_token = self.log_in()
        after = self.client.cookies[settings.CSRF_COOKIE_NAME].value
        self.assertNotEqual(before, after)
        self.assertTrue(self.accepted(new_token))

    def test_me_without_session_is_401(self):
        response = self.client.get("/api/me/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"], "not_logged_in")

    def test_me_with_session_returns_the_user(self):
        self.log_in()
        response = self.client.get("/api/me/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["user"]["username"], "alice")

    def test_logout_clears_the_session_cookie_and_me_becomes_401(self):
        token = self.log_in()
        response = self.client.post("/api/logout/", headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 200)
        cleared = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(cleared.value, "")
        self.assertEqual(cleared["max-age"], 0)
        self.assertEqual(self.client.get("/api/me/").status_code, 401)

    def test_display_name_changes_with_session_and_csrf_token(self):
        token = self.log_in()
        response = self.client.post("/api/display-name/", {"display_name": "Alice A."},
                                    headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Profile.display_name_of(self.user), "Alice A.")

    def test_display_name_without_session_is_401(self):
        token = self.csrf_token()
        response = self.client.post("/api/display-name/", {"display_name": "x"}, headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 401)

    def test_display_name_form_from_attacker_is_refused_by_csrf_and_nothing_changes(self):
        self.log_in()
        attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN)
        attacker.cookies = self.client.cookies  # as if SameSite=None let every cookie through
        response = attacker.post("/api/display-name/", {"display_name": "pwned"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Profile.display_name_of(self.user), "alice")

    def test_oversized_form_is_413_and_nothing_changes(self):
        token = self.log_in()
        response = self.client.post("/api/display-name/", {"display_name": "x" * 20000},
                                    headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"], "body_too_large")
        self.assertEqual(Profile.display_name_of(self.user), "alice")

    def test_too_long_display_name_is_400(self):
        token = self.log_in()
        response = self.client.post("/api/display-name/", {"display_name": "x" * 41}, headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 400)


@override_settings(SESSION_COOKIE_SAMESITE="None", CSRF_COOKIE_SAMESITE="None")
class SameSiteFromSettingsTests(TestCase):
    def test_cookies_carry_the_configured_samesite(self):
        client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        client.get("/api/csrf/")
        self.assertEqual(client.cookies[settings.CSRF_COOKIE_NAME]["samesite"], "None")
