"""Faults against the running lab, from the host: a crash under load, concurrent writes, and the
database across down/up/clean. Each test is bounded in requests and time, and talks only to
127.0.0.1. Run by scripts/test-faults.sh (make test-faults)."""

import json
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
import unittest

import labhost


def post_users(prefix: str, acknowledged: list, answers: list, stop: threading.Event, timed_out: list):
    """One load client: POSTs new users until told to stop, reconnecting when the backend drops.
    It only records what it got: a failed assert here would end this thread, not the test."""
    conn, n = None, 0
    while not stop.is_set():
        name = f"{prefix}-{threading.get_ident() % 100000}-{n}"
        n += 1
        try:
            conn = conn or labhost.connection(timeout=15)
            status, text, headers = labhost.request(conn, "POST", "/api/users/",
                                                    {"username": name, "email": f"{name}@example.com"})
        except (OSError, labhost.http.client.HTTPException) as error:
            answers.append(("no answer", type(error).__name__, ""))
            conn = None
            time.sleep(0.05)
            continue
        answers.append((status, headers.get("content-type", ""), text))
        if status == 201:
            acknowledged.append(name)
        elif status == 504:
            timed_out.append(name)
    if conn:
        conn.close()


def load(prefix: str, threads: int) -> tuple[list, list, list, threading.Event, list]:
    acknowledged, answers, stop, timed_out = [], [], threading.Event(), []
    workers = [threading.Thread(target=post_users, args=(prefix, acknowledged, answers, stop, timed_out))
               for _ in range(threads)]
    for worker in workers:
        worker.start()
    return workers, acknowledged, answers, stop, timed_out


# nginx answers for the backend while it is down: 502 while nothing listens on gunicorn's socket;
# 504 when the restarted master listens already but its workers, still starting on a busy machine,
# answered no request within nginx's 10 s.
NGINX_ANSWERS = {502: "backend_down", 504: "backend_timeout"}


def json_error(text: str) -> str | None:
    try:
        return json.loads(text).get("error")
    except (ValueError, AttributeError):
        return None


class BackendCrashTests(unittest.TestCase):
    def test_backend_killed_under_load_restarts_by_itself_and_loses_no_acknowledged_write(self):
        labhost.wait_for(labhost.backend_healthy, 60, "the backend is healthy before the test")
        before = labhost.container_state()
        prefix = "crash-" + secrets.token_hex(4)
        workers, acknowledged, answers, stop, timed_out = load(prefix, threads=6)
        try:
            labhost.wait_for(lambda: len(acknowledged) >= 20, 60, "the load client's first writes")
            # SIGKILL to gunicorn's master from outside, as the kernel's OOM killer would: Docker sees
            # the container's main process die with 137, a crash, not a `docker stop` or `docker kill`.
            os.kill(before["pid"], signal.SIGKILL)
            acknowledged_before_kill = len(acknowledged)
            labhost.wait_for(lambda: labhost.container_state()["restarts"] > before["restarts"], 60,
                             "Docker restarts the crashed backend (restart: on-failure)")
            labhost.wait_for(labhost.backend_healthy, 90, "the restarted backend is healthy")
            # The load runs until the restarted backend has taken writes of its own, however long
            # the restart took on a busy machine.
            acknowledged_when_healthy = len(acknowledged)
            labhost.wait_for(lambda: len(acknowledged) >= acknowledged_when_healthy + 20, 60,
                             "writes acknowledged by the restarted backend")
        finally:
            stop.set()
            for worker in workers:
                worker.join(60)
        self.assertEqual([worker for worker in workers if worker.is_alive()], [], "every load client ended")
        after = labhost.container_state()

        rows = labhost.usernames_starting(prefix)
        statuses = [status for status, _type, _text in answers]
        print(f"\ncrash: {len(acknowledged)} writes acknowledged ({acknowledged_before_kill} before the kill), "
              f"{len(rows)} rows present, {statuses.count(502)} JSON 502s, {statuses.count(504)} JSON 504s, "
              f"{statuses.count('no answer')} connections dropped, restarts {before['restarts']} -> {after['restarts']}")
        self.assertEqual(after["restarts"], before["restarts"] + 1)
        self.assertNotEqual(after["pid"], before["pid"])
        self.assertEqual(set(acknowledged) - rows, set(), "every acknowledged write is in the database")
        self.assertEqual(set(timed_out) & rows, set(), "no write nginx answered 504 for is in the database")
        self.assertIn(502, statuses, "nginx answered for the dead backend")
        for status, content_type, text in answers:
            if status != "no answer":
                self.assertIn(status, (201, *NGINX_ANSWERS))
                self.assertTrue(content_type.startswith("application/json"), (status, content_type))
        # Each of nginx's answers is its own JSON for that status, never a page or another error.
        wrong = [(status, text) for status, _type, text in answers
                 if status in NGINX_ANSWERS and json_error(text) != NGINX_ANSWERS[status]]
        self.assertEqual(wrong, [])


class ConcurrentWriteTests(unittest.TestCase):
    def test_every_worker_writing_at_once_gets_201s_and_n_writes_make_n_rows(self):
        labhost.wait_for(labhost.backend_healthy, 60, "the backend is healthy")
        prefix, threads, per_thread = "concurrent-" + secrets.token_hex(4), 16, 20
        start, results = threading.Barrier(threads), []

        def writer(index):
            conn = labhost.connection(timeout=30)
            start.wait()
            for n in range(per_thread):
                name = f"{prefix}-{index}-{n}"
                results.append(labhost.request(conn, "POST", "/api/users/",
                                               {"username": name, "email": f"{name}@example.com"})[:2])
            conn.close()

        workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        self.assertEqual([worker for worker in workers if worker.is_alive()], [], "every writer ended")
        statuses = [status for status, _text in results]
        rows = labhost.usernames_starting(prefix)
        print(f"\nconcurrent: {statuses.count(201)} of {threads * per_thread} writes acknowledged, {len(rows)} rows")
        self.assertFalse([text for status, text in results if "locked" in text])
        self.assertEqual(statuses, [201] * threads * per_thread)
        self.assertEqual(len(rows), threads * per_thread)


def run_e2e_while_backend(state: str) -> subprocess.CompletedProcess:
    """The browser's side of a backend that is down: e2e/test_backend_down.py, in Chromium."""
    return subprocess.run(["scripts/compose-run.sh", "--no-deps", "-e", f"LAB_E2E_BACKEND_DOWN={state}", "e2e",
                           "pytest", "-q", "-p", "no:cacheprovider", "test_backend_down.py"],
                          cwd=labhost.ROOT, env=labhost.COMPOSE_ENV, capture_output=True, text=True, timeout=300)


class BackendDownTests(unittest.TestCase):
    """nginx's JSON 502 and 504, as curl and as the page see them (e2e/test_backend_down.py)."""

    def tearDown(self):
        labhost.compose("unpause", "backend", check=False)
        labhost.compose("start", "backend", check=False)
        labhost.wait_for(labhost.backend_healthy, 90, "the backend is healthy again")

    def check(self, state: str, stop: tuple, restart: tuple, stopped_state: dict):
        labhost.wait_for(labhost.backend_healthy, 60, "the backend is healthy before the test")
        labhost.compose(*stop)
        try:
            # What Docker says of the backend now, so that a failure below cannot be blamed on it.
            self.assertLessEqual(stopped_state.items(), labhost.container_state().items())
            result = run_e2e_while_backend(state)
        finally:
            labhost.compose(*restart)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-2000:])
        self.assertIn("1 passed", result.stdout)

    def test_stopped_backend_gives_json_502(self):
        self.check("stopped", ("stop", "backend"), ("start", "backend"), {"running": False})

    def test_paused_backend_gives_json_504_after_nginx_waits_10_s(self):
        self.check("paused", ("pause", "backend"), ("unpause", "backend"), {"running": True, "paused": True})


class LateWriteTests(unittest.TestCase):
    """A request that waited past nginx's read timeout before Django saw it (here: in a paused
    backend's socket queue) got nginx's 504; when the backend wakes up, it saves nothing of it
    (lab/sqlite_writes.py)."""

    def tearDown(self):
        labhost.compose("unpause", "backend", check=False)
        labhost.wait_for(labhost.backend_healthy, 90, "the backend is healthy again")

    def test_a_write_answered_504_is_not_saved_when_the_backend_wakes_up(self):
        labhost.wait_for(labhost.backend_healthy, 60, "the backend is healthy before the test")
        name = "late-" + secrets.token_hex(4)
        path = f"/api/users/?run={name}"
        labhost.compose("pause", "backend")
        try:
            status, text, _headers = labhost.request(labhost.connection(timeout=60), "POST", path,
                                                     {"username": name, "email": f"{name}@example.com"})
        finally:
            labhost.compose("unpause", "backend")
        self.assertEqual((status, json_error(text)), (504, "backend_timeout"))
        # The woken backend takes the request from its socket's queue and answers it to nobody:
        # its log says so, or (without the deadline) the row appears.
        served = lambda: f"POST {path}: answered after nginx gave up on it" in labhost.compose(
            "logs", "--since", "5m", "backend")
        labhost.wait_for(lambda: served() or labhost.usernames_starting(name), 60,
                         "the backend served the late request")
        self.assertEqual(labhost.usernames_starting(name), set(), "a write the client was told failed (504) was saved")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PersistenceTests(unittest.TestCase):
    """make down / make up / make clean, on a throwaway compose project with its own volume and
    ports: the lab you run is never touched."""

    def setUp(self):
        project = "lab-faults-" + secrets.token_hex(3)
        self.env = {**labhost.COMPOSE_ENV, "COMPOSE_PROJECT_NAME": project,
                    "LAB_HTTPS_PORT": str(free_port()), "LAB_HTTP_PORT": str(free_port())}
        self.volume = f"{project}_backend-data"
        self.addCleanup(self.make, "clean")

    def make(self, target: str):
        subprocess.run(["make", "--no-print-directory", target], cwd=labhost.ROOT, env=self.env, check=True,
                       capture_output=True, text=True, timeout=300)

    def stored(self) -> dict:
        code = ("from django.contrib.auth import authenticate; from django.conf import settings; "
                "from experiments.models import UserRecord; import json; print(json.dumps({"
                "'rows': sorted(UserRecord.objects.values_list('username', flat=True)), "
                "'demo_user': authenticate(username='alice', password=settings.LAB_DEMO_PASSWORD) is not None}))")
        return json.loads(labhost.django_shell(code, self.env).splitlines()[-1])

    def volumes(self) -> list[str]:
        return subprocess.run(["docker", "volume", "ls", "-q"], capture_output=True, text=True, check=True).stdout.split()

    def test_down_and_up_keep_every_row_and_the_demo_user_and_clean_removes_them(self):
        self.make("up")
        labhost.django_shell("from experiments.models import UserRecord\nfor n in range(25): "
                             "UserRecord.objects.create(username=f'kept-{n}', email=f'kept-{n}@example.com')", self.env)
        written = self.stored()
        self.make("down")
        self.assertIn(self.volume, self.volumes())
        self.make("up")
        after_restart = self.stored()
        self.make("clean")
        self.assertNotIn(self.volume, self.volumes())
        self.make("up")
        after_clean = self.stored()

        self.assertEqual(len(written["rows"]), 25)
        self.assertEqual(after_restart, written)
        self.assertTrue(after_restart["demo_user"])
        self.assertEqual(after_clean["rows"], [])
        self.assertTrue(after_clean["demo_user"], "a fresh lab makes the demo user again")


if __name__ == "__main__":
    unittest.main()
