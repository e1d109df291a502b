"""Scenario configurations never leak into the API, nor the API's into a scenario, when a
threaded server answers them at the same time (as gunicorn's gthread workers do)."""

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.test import LiveServerTestCase

from lab.testing import get_over_http

REQUESTS = 240


class InterleavedRequestsTests(LiveServerTestCase):
    def get(self, path: str, origin: str) -> dict:
        return get_over_http(self.server_thread, path, origin)

    def test_no_leak_in_either_direction(self):
        attacker, app = settings.LAB_ATTACKER_ORIGIN, settings.LAB_APP_ORIGIN
        # Each case: (path, origin, the Access-Control-Allow-Origin it must get, or None).
        cases = [
            ("/scenarios/wildcard-headers-cover-authorization/", attacker, "*"),   # allows every origin
            ("/api/hello/", attacker, None),                                      # the API never does
            ("/scenarios/no-allow-origin/", app, None),                           # allows none
            ("/api/hello/", app, app),                                            # the API allows the app
            ("/scenarios/missing-allow-credentials/", app, app),                  # no credentials flag
        ]
        jobs = [cases[n % len(cases)] for n in range(REQUESTS)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda job: self.get(job[0], job[1]), jobs))

        for (path, origin, allowed), answer in zip(jobs, answers):
            with self.subTest(path=path, origin=origin):
                self.assertEqual(answer["status"], 200)
                self.assertEqual(answer.get("access-control-allow-origin"), allowed)
                if path.startswith("/scenarios/"):
                    self.assertNotIn("access-control-allow-credentials", answer)
