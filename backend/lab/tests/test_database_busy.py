"""A write that cannot get SQLite's write lock in time is rolled back and answered with a JSON 503
database_busy, well before nginx's 10 s read timeout (tests/faults/test_busy_database.py holds the
lock of the running lab's real database file from outside and counts the rows)."""

import threading
import time
from unittest import mock

from django.conf import settings
from django.db import OperationalError, connection, connections
from django.test import TestCase, TransactionTestCase

from experiments.models import UserRecord
from lab import sqlite_writes
from testing import ApiClient


class DatabaseBusyAnswerTests(TestCase):
    def post_user(self):
        client = ApiClient(origin=settings.LAB_APP_ORIGIN, raise_request_exception=False)
        return client.post_json("/api/users/", {"username": "busy", "email": "busy@example.com"})

    def test_database_is_locked_is_a_json_503_with_retry_after(self):
        with mock.patch.object(UserRecord.objects, "create", side_effect=OperationalError("database is locked")):
            response = self.post_user()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["error"], "database_busy")
        self.assertEqual(response["Retry-After"], "1")

    def test_any_other_database_failure_stays_a_500(self):
        with mock.patch.object(UserRecord.objects, "create", side_effect=OperationalError("disk I/O error")):
            response = self.post_user()
        self.assertEqual((response.status_code, response.json()["error"]), (500, "server_error"))


class TurnTimeoutTests(TransactionTestCase):
    def test_a_write_waits_for_its_turn_no_longer_than_the_busy_timeout(self):
        failures = []

        def write():
            try:
                with connection.cursor() as cursor:  # this thread's own connection
                    cursor.execute("UPDATE django_migrations SET app = app WHERE id = -1")
            except OperationalError as error:
                failures.append(str(error))
            finally:
                connections.close_all()

        # Another writer keeps the turn; the busy timeout is made short so that the test is quick.
        with mock.patch.dict(connection.settings_dict["OPTIONS"], {"timeout": 0.2}), sqlite_writes._threads:
            writer = threading.Thread(target=write)
            writer.start()
            writer.join(30)
            self.assertFalse(writer.is_alive(), "the write still waits for its turn")
        self.assertEqual(failures, ["database is locked"])


class ProxyDeadlineTests(TransactionTestCase):
    """nginx says when it handed the request on (X-Request-Start: t=<Unix time>); once its read
    timeout has passed, the client has had the 504, and the request saves nothing."""

    def post_user(self, name: str, started: float | str):
        client = ApiClient(origin=settings.LAB_APP_ORIGIN, raise_request_exception=False,
                           HTTP_X_REQUEST_START=f"t={started}")
        return client.post_json("/api/users/", {"username": name, "email": f"{name}@example.com"})

    def test_a_request_nginx_gave_up_on_writes_nothing(self):
        late = time.time() - settings.LAB_PROXY_READ_TIMEOUT - 1
        response = self.post_user("late", f"{late:.3f}")
        self.assertEqual((response.status_code, response.json()["error"]), (503, "database_busy"))
        self.assertFalse(UserRecord.objects.filter(username="late").exists())

    def test_a_request_within_nginx_s_timeout_writes(self):
        response = self.post_user("in-time", f"{time.time():.3f}")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(UserRecord.objects.filter(username="in-time").exists())

    def test_a_missing_or_malformed_start_sets_no_deadline(self):
        for header in (None, "", "t=", "t=soon", "t=nan", "t=inf", "t=" + "9" * 30, "1e999"):
            with self.subTest(header=header):
                self.assertIsNone(sqlite_writes.deadline_of(header))
        self.assertEqual(sqlite_writes.deadline_of("t=100.5"),
                         100.5 + settings.LAB_PROXY_READ_TIMEOUT - sqlite_writes.MARGIN_SECONDS)

    def test_the_deadline_belongs_to_its_request_only(self):
        self.post_user("late", 0)
        self.assertIsNone(sqlite_writes.proxy_deadline.get())
