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

That holds for a request Django starts at once. One that waited before Django saw it (in the
socket's queue while a restarted gunicorn booted, or in a paused container) may reach its first
write after nginx gave up on it and answered the client 504. So nginx says when it handed the
request on (X-Request-Start, nginx/django-proxy.conf), the middleware below turns that into a
deadline, and no write starts after it: the request fails like a busy one, and nothing is saved
for a client that was told nothing was.
"""

import fcntl
import logging
import os
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import OperationalError

# When nginx stops waiting for the request this thread serves (time.time()), less the time a
# write needs; None when nginx did not say (the unit tests' client, `make dev`'s runserver).
proxy_deadline: ContextVar[float | None] = ContextVar("proxy_deadline", default=None)
logger = logging.getLogger(__name__)
# A write that starts this close to nginx's deadline could commit after it.
MARGIN_SECONDS = 0.5

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


def deadline_of(header: str | None) -> float | None:
    """X-Request-Start's "t=<Unix time in seconds, with milliseconds>" (nginx's $msec) -> the
    moment a write must have started by; None for a missing or malformed header."""
    seconds = (header or "").removeprefix("t=")
    try:
        started = float(seconds) if len(seconds) <= 20 else None
    except ValueError:
        return None
    if started is None or started != started or started in (float("inf"), float("-inf")):
        return None
    return started + settings.LAB_PROXY_READ_TIMEOUT - MARGIN_SECONDS


def proxy_deadline_middleware(get_response):
    """Outermost (settings.MIDDLEWARE), so that the ledger's own record meets the deadline too."""
    def middleware(request):
        deadline = deadline_of(request.headers.get("X-Request-Start"))
        token = proxy_deadline.set(deadline)
        try:
            return get_response(request)
        finally:
            proxy_deadline.reset(token)
            if deadline is not None and time.time() > deadline:
                # In the log, since the client will never read the answer (tests/faults read it).
                logger.warning("%s %s: answered after nginx gave up on it; no write of it started since",
                               request.method, request.get_full_path())
    return middleware


def seconds_left() -> float | None:
    """How long this thread's request may still wait for a write; None without a deadline."""
    deadline = proxy_deadline.get()
    return None if deadline is None else deadline - time.time()


def one_writer_at_a_time(execute, sql, params, many, context):
    connection = context["connection"]
    if not sql.lstrip()[:7].upper().startswith(WRITES):
        return execute(sql, params, many, context)
    left = seconds_left()
    if left is not None and left <= 0:
        # nginx has answered this request's client 504 already, or is about to.
        raise OperationalError("database is locked")
    if connection.in_atomic_block:
        return execute(sql, params, many, context)
    wait = connection.settings_dict["OPTIONS"]["timeout"]
    if left is not None:
        wait = min(wait, left)
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
