"""lab/sqlite_writes.py: a write outside a transaction waits for its turn; a read never does."""

import threading

from django.db import connection, connections
from django.test import TransactionTestCase

from lab import sqlite_writes


def in_a_thread(sql: str) -> threading.Thread:
    def run():
        try:
            with connection.cursor() as cursor:  # this thread's own connection
                cursor.execute(sql)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


class OneWriterAtATimeTests(TransactionTestCase):
    def test_every_sqlite_connection_gets_the_wrapper(self):
        connection.ensure_connection()
        self.assertIn(sqlite_writes.one_writer_at_a_time, connection.execute_wrappers)

    def test_a_write_outside_a_transaction_waits_until_the_writer_before_it_is_done(self):
        with sqlite_writes._threads:
            writer = in_a_thread("UPDATE django_migrations SET app = app WHERE id = -1")
            writer.join(0.3)
            self.assertTrue(writer.is_alive(), "the write went ahead while another writer had the turn")
        writer.join(10)
        self.assertFalse(writer.is_alive(), "the write did not go once the turn was free")

    def test_a_read_does_not_wait_for_the_writers(self):
        with sqlite_writes._threads:
            reader = in_a_thread("SELECT COUNT(*) FROM django_migrations")
            reader.join(10)
            self.assertFalse(reader.is_alive(), "a read waited for the writers' turn")
