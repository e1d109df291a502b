"""Cases (the playground's and the scenarios') never change how /api/ answers, nor each other, when a
threaded server answers them at the same time (as gunicorn's gthread workers do)."""

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.test import LiveServerTestCase

from scenarios.catalogue import CATALOGUE
from testing import endpoint, get_over_http

REQUESTS = 240


def playground(server: dict) -> str:
    return endpoint(server, "run-concurrency-1")


def scenario(slug: str) -> str:
    return playground(CATALOGUE[slug].server)


class InterleavedPlaygroundTests(LiveServerTestCase):
    def get(self, path: str, origin: str) -> dict:
        return get_over_http(self.server_thread, path, origin)

    def test_no_leak_between_playground_cases_and_the_api(self):
        attacker, app = settings.LAB_ATTACKER_ORIGIN, settings.LAB_APP_ORIGIN
        everyone = playground({"cors": {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_CREDENTIALS": True}})
        raw_star = playground({"raw": {"response": {"headers": [["Access-Control-Allow-Origin", "*"]]}}})
        nobody = playground({"cors": {"CORS_ALLOWED_ORIGINS": []}})
        # Each case: (path, origin, the Access-Control-Allow-Origin it must get, credentials flag).
        cases = [
            (everyone, attacker, attacker, "true"),      # echoes anyone, with credentials
            ("/api/hello/", attacker, None, None),       # the API never allows the attacker
            (raw_star, attacker, "*", None),
            ("/api/hello/", app, app, "true"),           # the API allows the app, with credentials
            (nobody, app, None, None),
            (scenario("no-allow-origin"), app, None, None),                        # allows none
            (scenario("wildcard-headers-cover-authorization"), attacker, "*", None),  # allows every origin
            (scenario("missing-allow-credentials"), app, app, None),                # no credentials flag
        ]
        jobs = [cases[n % len(cases)] for n in range(REQUESTS)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda job: self.get(job[0], job[1]), jobs))

        for (path, origin, allowed, credentials), answer in zip(jobs, answers):
            with self.subTest(path=path[:40], origin=origin):
                self.assertEqual(answer["status"], 200)
                self.assertEqual(answer.get("access-control-allow-origin"), allowed)
                self.assertEqual(answer.get("access-control-allow-credentials"), credentials)
