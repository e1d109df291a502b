"""lab/sqlite_writes.py: a write outside a transaction waits for its turn, and goes the moment the
writer before it is done; a read never waits. Between the threads of one process (its lock), and
between two processes on one database file (the flock beside it), as gunicorn's workers are.

Each test waits for events (a writer holds the turn, another is seen waiting for it: by the lock,
or by the file lock refusing the second process), never for a while: a test that only gave the
second writer time to start could pass with no lock at all, whenever that writer was slow to start.
"""

import contextlib
import fcntl
import multiprocessing
import os
import sqlite3
import tempfile
import threading
import time
from unittest import mock

from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import SimpleTestCase, TransactionTestCase

from lab import sqlite_writes

# Generous: each wait ends at its event, and only a failing test pays it.
WAIT_SECONDS = 60


class ObservedLock:
    """A threading.Lock that tells when a thread finds it taken and waits for it."""

    def __init__(self):
        self._lock = threading.Lock()
        self.someone_waits = threading.Event()

    def acquire(self, blocking=True, timeout=-1):
        if self._lock.acquire(blocking=False):
            return True
        self.someone_waits.set()
        return self._lock.acquire(blocking, timeout)

    def release(self):
        self._lock.release()


def hold_the_turn(has_turn, release):
    """An execute wrapper inside one_writer_at_a_time (added after it): runs while this writer
    holds the turn, and keeps it until `release` is set."""
    def wrapper(execute, sql, params, many, context):
        has_turn.set()
        if not release.wait(WAIT_SECONDS):
            raise TimeoutError("the test never released the turn")
        return execute(sql, params, many, context)
    return wrapper


def note_when_run(ran):
    def wrapper(execute, sql, params, many, context):
        ran.set()
        return execute(sql, params, many, context)
    return wrapper


def wait_until(condition, seconds: float = WAIT_SECONDS) -> bool:
    """Polls condition() until it holds (True) or the time is up (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def in_a_thread(sql: str, *wrappers) -> threading.Thread:
    """Runs sql on this thread's own connection, through the extra execute wrappers (inside the
    lab's: connecting installs it first)."""
    def run():
        try:
            connection.ensure_connection()
            for wrapper in wrappers:
                connection.execute_wrappers.append(wrapper)
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


WRITE = "UPDATE django_migrations SET app = app WHERE id = -1"


class OneWriterAtATimeTests(TransactionTestCase):
    def test_every_sqlite_connection_gets_the_wrapper(self):
        connection.ensure_connection()
        self.assertIn(sqlite_writes.one_writer_at_a_time, connection.execute_wrappers)

    def test_a_write_outside_a_transaction_waits_until_the_writer_before_it_is_done(self):
        first_has_turn, release, second_ran = threading.Event(), threading.Event(), threading.Event()
        with mock.patch.object(sqlite_writes, "_threads", ObservedLock()) as lock:
            first = in_a_thread(WRITE, hold_the_turn(first_has_turn, release))
            try:
                self.assertTrue(first_has_turn.wait(WAIT_SECONDS), "the first writer never got the turn")
                second = in_a_thread(WRITE, note_when_run(second_ran))
                wait_until(lambda: lock.someone_waits.is_set() or second_ran.is_set())
                self.assertFalse(second_ran.is_set(), "the second write went ahead while the first had the turn")
                self.assertTrue(lock.someone_waits.is_set(), "the second writer never waited for the turn")
            finally:
                release.set()
                first.join(WAIT_SECONDS)
            self.assertTrue(second_ran.wait(WAIT_SECONDS), "the second write did not go once the turn was free")
            second.join(WAIT_SECONDS)
        self.assertFalse(first.is_alive() or second.is_alive())

    def test_a_read_does_not_wait_for_the_writers(self):
        has_turn, release = threading.Event(), threading.Event()
        writer = in_a_thread(WRITE, hold_the_turn(has_turn, release))
        try:
            self.assertTrue(has_turn.wait(WAIT_SECONDS), "the writer never got the turn")
            reader = in_a_thread("SELECT COUNT(*) FROM django_migrations")
            reader.join(WAIT_SECONDS)
            self.assertFalse(reader.is_alive(), "a read waited for the writers' turn")
        finally:
            release.set()
            writer.join(WAIT_SECONDS)


def flock_that_tells(refused):
    """fcntl.flock, which also sets `refused` when the lock is taken by another process."""
    real = fcntl.flock

    def flock(fd, operation):
        try:
            return real(fd, operation)
        except BlockingIOError:
            refused.set()
            raise
    return flock


def write_in_a_process(database: str, name: str, has_turn=None, release=None, refused=None):
    """A forked process's own connection to the database file, as a gunicorn worker has (connecting
    installs the wrapper), inserting one row; holding the turn until `release` if asked, and
    telling through `refused` when it found the writers' file lock taken."""
    db = DatabaseWrapper({**connection.settings_dict, "NAME": database}, alias=f"writer-{name}")
    flock = flock_that_tells(refused) if refused is not None else fcntl.flock
    try:
        with mock.patch.object(sqlite_writes.fcntl, "flock", flock), db.cursor() as cursor:
            if has_turn is not None:
                db.execute_wrappers.append(hold_the_turn(has_turn, release))
            cursor.execute("INSERT INTO turns (name) VALUES (%s)", [name])
    finally:
        db.close()


class OneWriterAcrossProcessesTests(SimpleTestCase):
    """Two processes writing one database file: the second waits on the flock that the first holds."""

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.database = os.path.join(folder.name, "db.sqlite3")
        with contextlib.closing(sqlite3.connect(self.database)) as db:
            db.execute("CREATE TABLE turns (id INTEGER PRIMARY KEY, name TEXT)")

    def rows(self) -> list[str]:
        with contextlib.closing(sqlite3.connect(self.database)) as db:  # a read: it never waits for the turn
            return [name for (name,) in db.execute("SELECT name FROM turns ORDER BY id")]

    def test_a_writer_in_another_process_waits_on_the_file_lock_until_the_first_is_done(self):
        fork = multiprocessing.get_context("fork")  # as gunicorn starts its workers
        has_turn, release, refused = fork.Event(), fork.Event(), fork.Event()
        first = fork.Process(target=write_in_a_process, args=(self.database, "first", has_turn, release))
        first.start()
        second = None
        try:
            self.assertTrue(has_turn.wait(WAIT_SECONDS), "the first process never got the turn")
            second = fork.Process(target=write_in_a_process, args=(self.database, "second", None, None, refused))
            second.start()
            wait_until(lambda: refused.is_set() or not second.is_alive())
            self.assertEqual(self.rows(), [], "a write went ahead while the first process had the turn")
            self.assertTrue(refused.is_set(), "the second process never found the writers' file lock taken")
        finally:
            release.set()
            for process in (first, second):
                if process is not None:
                    process.join(WAIT_SECONDS)
        self.assertEqual((first.exitcode, second.exitcode), (0, 0))
        self.assertEqual(self.rows(), ["first", "second"])
