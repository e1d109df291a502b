"""Failed logins are throttled per client: the (LIMIT+1)th attempt in a window gets a JSON 429
with Retry-After, without a password check, on both login endpoints, and other clients are not
affected. The limit and the window are the ones docs/hardening.md states, read from there, and
they hold for attempts sent at the same time to a real server."""

import collections
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from people import throttle
from people.models import LoginFailures
from testing import ApiClient

ATTACKER_ADDRESS = "203.0.113.7"
BACKEND = Path(__file__).resolve().parents[2]
# docs/ of the repository; `make test-backend` mounts the file at /app/docs/hardening.md.
HARDENING = next((path for path in (BACKEND / "docs" / "hardening.md", BACKEND.parent / "docs" / "hardening.md")
                  if path.exists()), BACKEND.parent / "docs" / "hardening.md")
DOCUMENTED = re.compile(r"after (\d+) failed logins from one address within (\d+) minutes?\b")


def documented_throttle() -> tuple[int, timedelta]:
    """The limit and the window as docs/hardening.md states them to the learner."""
    match = DOCUMENTED.search(" ".join(HARDENING.read_text(encoding="utf-8").split()))
    if match is None:
        raise AssertionError(f"{HARDENING} no longer says 'after N failed logins from one address within M minute'")
    return int(match[1]), timedelta(minutes=int(match[2]))


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
        with mock.patch("people.users.authenticate") as authenticate:
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


class DocumentedThrottleTests(TestCase):
    """What docs/hardening.md promises, with its own figures (not throttle.LIMIT and WINDOW)."""

    def setUp(self):
        get_user_model().objects.create_user("alice", password="pw")
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN, HTTP_X_FORWARDED_FOR=ATTACKER_ADDRESS)
        self.limit, self.window = documented_throttle()

    def token(self, password: str):
        return self.client.post_json("/api/token/", {"username": "alice", "password": password})

    def test_the_documented_number_of_failures_get_400_and_the_next_attempt_429(self):
        self.assertEqual([self.token("wrong").status_code for _ in range(self.limit)], [400] * self.limit)
        self.assertEqual(self.token("wrong").status_code, 429)
        self.assertEqual(self.token("pw").status_code, 429)

    def test_the_documented_window_is_how_long_the_failures_count(self):
        for _ in range(self.limit):
            self.token("wrong")
        LoginFailures.objects.update(window_start=timezone.now() - self.window + timedelta(seconds=2))
        self.assertEqual(self.token("pw").status_code, 429)
        LoginFailures.objects.update(window_start=timezone.now() - self.window - timedelta(seconds=1))
        self.assertEqual(self.token("pw").status_code, 200)


class UnixSocketHTTP(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class ConcurrentAttemptsTests(SimpleTestCase):
    """Real threads against a real server: gunicorn as the lab runs it (2 workers of 8 threads, the
    lab's worker class) on a SQLite file, with Django's production password hasher, whose slow
    check is the window in which a throttle that checks first and counts after lets guesses in."""

    ATTEMPTS, AT_A_TIME = 40, 16

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = tempfile.TemporaryDirectory()
        folder = Path(cls.folder.name)
        (folder / "throttle_server_settings.py").write_text(
            "from django.conf import global_settings\n"
            "from config.settings_test import *  # noqa: F403\n"
            f"DATABASES['default']['NAME'] = {str(folder / 'lab.sqlite3')!r}  # noqa: F405\n"
            "PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS\n")
        env = {**os.environ, "PYTHONPATH": f"{folder}:{BACKEND}", "DJANGO_SETTINGS_MODULE": "throttle_server_settings"}
        for command in (["migrate", "--noinput"], ["ensure_demo_user"]):
            subprocess.run(["python3", "manage.py", *command], cwd=BACKEND, env=env, check=True,
                           capture_output=True, timeout=300)
        cls.socket_path = str(folder / "gunicorn.sock")
        cls.log = open(folder / "gunicorn.log", "w+")
        cls.server = subprocess.Popen(
            ["gunicorn", "config.wsgi", "--bind", f"unix:{cls.socket_path}", "--workers", "2", "--threads", "8",
             "--worker-class", "config.gunicorn_worker.JsonErrorThreadWorker", "--timeout", "120"],
            cwd=BACKEND, env=env, stdout=cls.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not cls.answers():
            if time.monotonic() > deadline or cls.server.poll() is not None:
                cls.tearDownClass()
                raise AssertionError("gunicorn did not answer within 120 s")
            time.sleep(0.2)

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        try:
            cls.server.wait(30)
        except subprocess.TimeoutExpired:
            cls.server.kill()
        cls.log.close()
        cls.folder.cleanup()
        super().tearDownClass()

    @classmethod
    def answers(cls) -> bool:
        try:
            return cls.post_token("wrong-user-probe", address="192.0.2.254")[0] in (400, 429)
        except OSError:
            return False

    @classmethod
    def post_token(cls, username: str, address: str = ATTACKER_ADDRESS) -> tuple[int, dict]:
        connection = UnixSocketHTTP(cls.socket_path, timeout=120)
        try:
            connection.request("POST", "/api/token/", json.dumps({"username": username, "password": "wrong"}),
                               {"Host": settings.LAB_API_HOST, "X-Forwarded-Proto": "https",
                                "X-Forwarded-For": address, "Content-Type": "application/json"})
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    def test_failures_sent_at_once_get_exactly_the_documented_number_of_400s(self):
        limit, _window = documented_throttle()
        with ThreadPoolExecutor(self.AT_A_TIME) as pool:
            answers = list(pool.map(lambda _n: self.post_token(settings.LAB_DEMO_USERNAME), range(self.ATTEMPTS)))
        statuses = collections.Counter(status for status, _body in answers)
        self.assertEqual(statuses, {400: limit, 429: self.ATTEMPTS - limit})
        self.assertEqual({body["error"] for _status, body in answers}, {"invalid_credentials", "too_many_attempts"})

