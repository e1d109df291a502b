"""Failed logins are throttled per client: the (LIMIT+1)th attempt in a window gets a JSON 429
with Retry-After, without a password check, on both login endpoints, and other clients are not
affected."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from experiments import throttle
from experiments.models import LoginFailures
from lab.testing import ApiClient

ATTACKER_ADDRESS = "203.0.113.7"


class LoginThrottleTests(TestCase):
    def setUp(self):
        get_user_model().objects.create_user("alice", password="pw")
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN, HTTP_X_FORWARDED_FOR=ATTACKER_ADDRESS)

    def token(self, password: str, client=None):
        return (client or self.client).post_json("/api/token/", {"username": "alice", "password": password})

    def fail(self, times: int):
        for _ in range(times):
            self.assertEqual(self.token("wrong").json()["error"], "invalid_credentials")

    def test_failures_up_to_the_limit_are_plain_400s_then_429_with_retry_after(self):
        self.fail(throttle.LIMIT)
        response = self.token("wrong")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["error"], "too_many_attempts")
        self.assertTrue(1 <= int(response["Retry-After"]) <= throttle.WINDOW.total_seconds())

    def test_while_throttled_even_the_right_password_is_refused_without_a_check(self):
        self.fail(throttle.LIMIT)
        with mock.patch("experiments.views.authenticate") as authenticate:
            self.assertEqual(self.token("pw").status_code, 429)
        authenticate.assert_not_called()

    def test_session_login_shares_the_count(self):
        self.fail(throttle.LIMIT)
        csrf = self.client.get("/api/csrf/").json()["csrfToken"]
        response = self.client.post_json("/api/login/", {"username": "alice", "password": "pw"},
                                         headers={"X-CSRFToken": csrf})
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)

    def test_another_client_is_not_throttled(self):
        self.fail(throttle.LIMIT)
        other = ApiClient(origin=settings.LAB_APP_ORIGIN, HTTP_X_FORWARDED_FOR="198.51.100.1")
        self.assertEqual(self.token("pw", other).status_code, 200)

    def test_the_window_ends_and_logins_work_again(self):
        self.fail(throttle.LIMIT)
        LoginFailures.objects.update(window_start=timezone.now() - throttle.WINDOW - timedelta(seconds=1))
        self.assertEqual(self.token("pw").status_code, 200)

    def test_successful_logins_do_not_count(self):
        for _ in range(throttle.LIMIT + 1):
            self.assertEqual(self.token("pw").status_code, 200)

    def test_the_client_is_the_address_nginx_forwarded_not_a_header_list(self):
        request = mock.Mock(headers={"X-Forwarded-For": " 192.0.2.1 "}, META={"REMOTE_ADDR": ""})
        self.assertEqual(throttle.client_of(request), "192.0.2.1")
        request = mock.Mock(headers={}, META={"REMOTE_ADDR": "127.0.0.1"})
        self.assertEqual(throttle.client_of(request), "127.0.0.1")
