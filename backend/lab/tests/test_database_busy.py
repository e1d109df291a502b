"""A write that cannot get SQLite's write lock in time is rolled back and answered with a JSON 503
database_busy, well before nginx's 10 s read timeout (tests/faults/test_busy_database.py holds the
lock of the running lab's real database file from outside and counts the rows)."""

import threading
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
