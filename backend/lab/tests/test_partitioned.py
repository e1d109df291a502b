"""LAB_PARTITIONED_COOKIES adds Partitioned (CHIPS) to the session and CSRF cookies, and to no
other cookie; off, the cookies are Django's own."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from testing import ApiClient


class PartitionedCookieTests(TestCase):
    def setUp(self):
        get_user_model().objects.create_user("alice", password="pw")

    def log_in(self) -> dict:
        """The Set-Cookie lines of the CSRF and login answers, by cookie name."""
        client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        csrf = client.get("/api/csrf/")
        login = client.post_json("/api/login/", {"username": "alice", "password": "pw"},
                                 headers={"X-CSRFToken": csrf.json()["csrfToken"]})
        self.assertEqual(login.status_code, 200, login.content)
        return {name: morsel.OutputString() for response in (csrf, login) for name, morsel in response.cookies.items()}

    @override_settings(LAB_PARTITIONED_COOKIES=True, SESSION_COOKIE_SAMESITE="None", CSRF_COOKIE_SAMESITE="None")
    def test_session_and_csrf_cookies_are_partitioned(self):
        lines = self.log_in()
        self.assertEqual(set(lines), {"csrftoken", "sessionid"})
        for name, line in lines.items():
            with self.subTest(name):
                self.assertIn("; Secure", line)
                self.assertIn("Partitioned", line.split("; "))
                self.assertIn("SameSite=None", line)

    def test_off_no_cookie_is_partitioned(self):
        self.assertFalse([line for line in self.log_in().values() if "Partitioned" in line])

    @override_settings(LAB_PARTITIONED_COOKIES=True)
    def test_other_cookies_are_left_alone(self):
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).get("/api/cookies/set/?run=test-partition")
        self.assertTrue(response.cookies)
        self.assertFalse([m for m in response.cookies.values() if "Partitioned" in m.OutputString()])
