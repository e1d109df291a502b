"""One SQLite writer at a time, each woken as soon as the one before it is done.

SQLite lets one connection write at a time. A writer that finds the write lock taken waits in
SQLite's busy handler, which sleeps 1, 2, 5 ... up to 100 ms between tries and is not woken when
the lock is freed. With 2 gunicorn workers of 8 threads each, a burst of POSTs then spends far
longer asleep than writing: `make bench` measured a stored POST's p99 above 200 ms, while the
INSERT itself takes about a millisecond (docs/performance.md).

So a statement that writes outside a transaction first takes this process's lock (for its
threads), then an flock on a file beside the database (for the other workers): the lock hands the
turn to the next waiter the moment it is released, the flock within a millisecond (flock cannot
wait with a timeout, so a waiter tries again every millisecond). Transactions (atomic blocks:
sessions, the login) keep SQLite's own lock and timeout. Nothing changes in what is written or
when it is durable: this only decides who goes first.

A write waits for its turn no longer than SQLite's busy timeout (settings), then fails as SQLite
would, "database is locked" (answered 503 database_busy, lab/errors.py): so its whole wait, turn
and lock, stays below nginx's read timeout however long the queue, and no client gets a 504 for
a write that commits after it.
"""

import fcntl
import os
import threading
import time

from django.db import OperationalError

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_threads = threading.Lock()
# flock belongs to an open file, and a forked worker would share its parent's: one per process.
_lock_files: dict[int, int] = {}


def _lock_file_of(database: str) -> int | None:
    if not os.path.isabs(database):  # an in-memory test database: no other process to wait for
        return None
    if os.getpid() not in _lock_files:
        _lock_files[os.getpid()] = os.open(database + ".writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
    return _lock_files[os.getpid()]


def one_writer_at_a_time(execute, sql, params, many, context):
    connection = context["connection"]
    if connection.in_atomic_block or not sql.lstrip()[:7].upper().startswith(WRITES):
        return execute(sql, params, many, context)
    wait = connection.settings_dict["OPTIONS"]["timeout"]
    deadline = time.monotonic() + wait
    if not _threads.acquire(timeout=wait):
        raise OperationalError("database is locked")
    try:
        lock_file = _lock_file_of(str(connection.settings_dict["NAME"]))
        if lock_file is None:
            return execute(sql, params, many, context)
        take_turn(lock_file, deadline)
        try:
            return execute(sql, params, many, context)
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    finally:
        _threads.release()


def take_turn(lock_file: int, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise OperationalError("database is locked") from None
            time.sleep(0.001)


def install(sender, connection, **kwargs):
    """connection_created's receiver (LabConfig.ready): every SQLite connection gets the wrapper."""
    if connection.vendor == "sqlite" and one_writer_at_a_time not in connection.execute_wrappers:
        connection.execute_wrappers.append(one_writer_at_a_time)
