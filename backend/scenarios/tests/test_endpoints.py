"""The scenario endpoints send exactly the headers their declaration describes."""

from django.conf import settings
from django.test import TestCase

from lab.testing import ApiClient
from scenarios.catalogue import CATALOGUE, SCENARIOS


class ScenarioEndpointTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def test_catalogue_lists_every_scenario_with_its_path(self):
        body = self.app.get("/api/scenarios/").json()
        self.assertEqual([s["slug"] for s in body["scenarios"]], [s.slug for s in SCENARIOS])
        self.assertEqual(body["scenarios"][0]["path"], "/scenarios/allowed-simple/")

    def test_every_scenario_has_a_lesson_and_one_kind_of_server(self):
        for scenario in SCENARIOS:
            with self.subTest(scenario.slug):
                self.assertTrue(scenario.lesson)
                self.assertNotEqual(scenario.cors is None, scenario.broken is None)

    def test_allowed_simple_echoes_the_app_origin_through_django_cors_headers(self):
        response = self.app.get("/scenarios/allowed-simple/")
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)
        self.assertNotIn("Access-Control-Allow-Credentials", response)

    def test_scenarios_do_not_inherit_the_apis_cors_settings(self):
        response = self.app.get("/scenarios/no-allow-origin/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Access-Control-Allow-Origin", response)
        self.assertNotIn("Access-Control-Expose-Headers", response)

    def test_scenario_settings_do_not_leak_into_the_api(self):
        self.app.get("/scenarios/wildcard-headers-cover-authorization/")
        response = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN).get("/api/hello/")
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_wildcard_with_credentials_is_hand_written(self):
        response = self.app.get("/scenarios/wildcard-with-credentials/")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertEqual(response["Access-Control-Allow-Credentials"], "true")

    def test_preflight_not_handled_answers_405_with_allow_origin(self):
        response = self.app.preflight("/scenarios/preflight-not-ok/", method="PUT")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)

    def test_preflight_without_trailing_slash_is_redirected_by_append_slash(self):
        response = self.app.preflight("/scenarios/preflight-redirect", method="PUT")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/scenarios/preflight-redirect/")

    def test_crashing_view_gives_a_json_500_without_cors_headers(self):
        self.app.raise_request_exception = False
        response = self.app.get("/scenarios/error-page-without-cors/")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response.json()["error"], "server_error")
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_max_age_600_and_max_age_zero(self):
        cached = self.app.preflight("/scenarios/preflight-cached/", method="PUT")
        not_cached = self.app.preflight("/scenarios/preflight-not-cached/", method="PUT")
        self.assertEqual(cached["Access-Control-Max-Age"], "600")
        self.assertEqual(not_cached["Access-Control-Max-Age"], "0")

    def test_exposed_header_is_listed(self):
        response = self.app.get("/scenarios/exposed-header/")
        self.assertEqual(response["Access-Control-Expose-Headers"], "X-Lab-Request-Id")
        self.assertTrue(response["X-Lab-Request-Id"])

    def test_unknown_scenario_is_404(self):
        self.assertEqual(self.app.get("/scenarios/nope/").status_code, 404)


class VerdictEndpointTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def run_scenario(self, slug: str, run: str) -> dict:
        scenario = CATALOGUE[slug]
        self.app.get(f"{scenario.path()}?run={run}")
        return self.app.get(f"/api/scenarios/{slug}/verdict/?run={run}").json()

    def test_verdict_of_a_blocked_simple_request(self):
        verdict = self.run_scenario("no-allow-origin", "unit-run-0001")
        self.assertFalse(verdict["chromium"]["readable"])
        self.assertEqual(verdict["chromium"]["reason"], "MissingAllowOriginHeader")
        self.assertEqual(verdict["preflights_expected"], 0)
        self.assertEqual(verdict["requests_seen"], 1)

    def test_verdict_of_an_allowed_simple_request(self):
        verdict = self.run_scenario("allowed-simple", "unit-run-0002")
        self.assertTrue(verdict["chromium"]["readable"])
        self.assertIsNone(verdict["deviation"])

    def test_verdict_without_the_needed_record_is_404(self):
        self.app.get("/scenarios/allowed-simple/?run=unit-run-0003")
        response = self.app.get("/api/scenarios/allowed-preflighted/verdict/?run=unit-run-0003")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"], "no_record")

    def test_verdict_of_unknown_scenario_is_404(self):
        response = self.app.get("/api/scenarios/nope/verdict/?run=unit-run-0004")
        self.assertEqual(response.json()["error"], "unknown_scenario")
