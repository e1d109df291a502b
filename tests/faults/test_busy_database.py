"""A database busy for longer than nginx waits: every write is answered, 201 or a JSON 503
database_busy, never nginx's 504, and the rows are exactly the acknowledged writes.

A process inside the backend container holds SQLite's write lock on the lab's real database file
(BEGIN IMMEDIATE, as a backup or a learner's sqlite3 shell would) for HOLD seconds, longer than
nginx's proxy_read_timeout (10 s). Writes sent at the start must give up within the busy timeout
(config/settings.py) and roll back; writes sent shortly before the lock is freed must wait for it
and be stored. Run by scripts/test-faults.sh (make test-faults)."""

import json
import secrets
import subprocess
import threading
import time
import unittest

import labhost

HOLD = 12
HOLDER = ("import os, sqlite3, time\n"
          "database = sqlite3.connect(os.environ['LAB_DATABASE_PATH'], isolation_level=None, timeout=60)\n"
          "database.execute('BEGIN IMMEDIATE')\n"
          "print('locked', flush=True)\n"
          f"time.sleep({HOLD})\n"
          "database.execute('ROLLBACK')\n")
WRITES_PER_BATCH = 8


class BusyDatabaseTests(unittest.TestCase):
    def setUp(self):
        labhost.wait_for(labhost.backend_healthy, 60, "the backend is healthy before the test")
        self.holder = subprocess.Popen(["docker", "compose", "exec", "-T", "backend", "python3", "-c", HOLDER],
                                       cwd=labhost.ROOT, env=labhost.COMPOSE_ENV, stdout=subprocess.PIPE, text=True)
        self.addCleanup(self.holder.kill)
        self.assertEqual(self.holder.stdout.readline().strip(), "locked")
        self.locked_at = time.monotonic()

    def batch(self, prefix: str, answers: list) -> list[threading.Thread]:
        def write(name: str):
            conn = labhost.connection(timeout=30)
            try:
                status, text, _headers = labhost.request(conn, "POST", "/api/users/",
                                                         {"username": name, "email": f"{name}@example.com"})
            finally:
                conn.close()
            answers.append((name, status, text))

        writers = [threading.Thread(target=write, args=(f"{prefix}-{n}",)) for n in range(WRITES_PER_BATCH)]
        for writer in writers:
            writer.start()
        return writers

    def test_writes_behind_a_held_write_lock_get_201_or_503_and_the_201s_are_the_rows(self):
        prefix, answers = "busy-" + secrets.token_hex(4), []
        # While the lock has HOLD seconds to go: these wait longer than they may.
        writers = self.batch(prefix + "-early", answers)
        # 2 s before the lock is freed: these wait for it, within the busy timeout.
        time.sleep(max(0.0, self.locked_at + HOLD - 2 - time.monotonic()))
        writers += self.batch(prefix + "-late", answers)
        for writer in writers:
            writer.join(60)
        self.assertEqual(self.holder.wait(60), 0)

        rows = labhost.usernames_starting(prefix)
        statuses = [status for _name, status, _text in answers]
        acknowledged = {name for name, status, _text in answers if status == 201}
        refused = {name for name, status, _text in answers if status == 503}
        print(f"\nbusy database: {len(answers)} writes, {len(acknowledged)} acknowledged (201), {len(refused)} refused "
              f"(503), {len(rows)} rows, other answers: {[s for s in statuses if s not in (201, 503)]}")
        self.assertEqual(len(answers), 2 * WRITES_PER_BATCH, "every write got an answer")
        self.assertLessEqual(set(statuses), {201, 503}, "no 504, no 500: every write was answered by Django")
        for _name, status, text in answers:
            if status == 503:
                self.assertEqual(json.loads(text)["error"], "database_busy")
        self.assertEqual(rows, acknowledged, "N acknowledged writes are N rows")
        self.assertFalse(rows & refused, "a refused write left no row")
        self.assertTrue(refused, "the held lock made the early writes give up")
        self.assertTrue(acknowledged, "the writes that came shortly before the lock was freed were stored")


if __name__ == "__main__":
    unittest.main()
