"""Every scenario is a valid case, and each lesson is real when its case runs at the playground's
endpoint: django-cors-headers' own headers, Django's own APPEND_SLASH redirect, a real crash
outside the CORS code, the real answer's X-Lab-Request-Id."""

import json
from urllib.parse import quote

from django.conf import settings
from django.test import TestCase

from scenarios.catalogue import CATALOGUE, SCENARIOS
from testing import ApiClient, endpoint

APP = settings.LAB_APP_ORIGIN


def path_of(slug: str, run: str = "run-scenario-1") -> str:
    case = CATALOGUE[slug].case()
    return endpoint(case["server"], run, trailing_slash=case["trailing_slash"])


class CatalogueTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=APP)

    def test_the_api_lists_every_scenario_with_its_case(self):
        body = self.app.get("/api/scenarios/").json()
        self.assertEqual([s["slug"] for s in body["scenarios"]], [s.slug for s in SCENARIOS])
        self.assertEqual(body["scenarios"][0]["case"]["server"], {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}})

    def test_every_scenario_is_a_case_the_playground_takes_unchanged(self):
        for scenario in SCENARIOS:
            with self.subTest(scenario.slug):
                self.assertTrue(scenario.lesson)
                case = scenario.case()
                response = self.app.get("/api/playground/check/?case=" + quote(json.dumps(case)))
                self.assertEqual(response.status_code, 200, response.content)
                # The checker fills in only a default: the view of a cors server answers.
                expected = case if "raw" in case["server"] else {**case, "server": {"view": "ok", **case["server"]}}
                self.assertEqual(response.json()["case"], expected)


class LessonsAreRealTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=APP)

    def test_allowed_simple_echoes_the_app_origin_through_django_cors_headers(self):
        response = self.app.get(path_of("allowed-simple"))
        self.assertEqual(response["Access-Control-Allow-Origin"], APP)
        self.assertNotIn("Access-Control-Allow-Credentials", response)

    def test_scenarios_do_not_inherit_the_apis_cors_settings(self):
        response = self.app.get(path_of("no-allow-origin"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Access-Control-Allow-Origin", response)
        self.assertNotIn("Access-Control-Expose-Headers", response)

    def test_wildcard_with_credentials_is_hand_written(self):
        response = self.app.get(path_of("wildcard-with-credentials"))
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertEqual(response["Access-Control-Allow-Credentials"], "true")

    def test_preflight_not_handled_answers_405_with_allow_origin(self):
        response = self.app.preflight(path_of("preflight-not-ok"), method="PUT")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Access-Control-Allow-Origin"], APP)

    def test_preflight_without_trailing_slash_is_redirected_by_djangos_append_slash(self):
        path = path_of("preflight-redirect")
        self.assertTrue(path.startswith("/playground/0/0?"))
        response = self.app.preflight(path, method="PUT")
        self.assertEqual(response.status_code, 301)
        # CommonMiddleware's own redirect: the same URL with its slash, and no CORS header at all.
        self.assertEqual(response["Location"], path.replace("/0/0?", "/0/0/?"))
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_crashing_view_gives_djangos_json_500_without_cors_headers(self):
        self.app.raise_request_exception = False
        response = self.app.get(path_of("error-page-without-cors"))
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response.json()["error"], "server_error")
        self.assertNotIn("Access-Control-Allow-Origin", response)
        # Only the view crashes: the preflight is still django-cors-headers' own answer.
        self.assertEqual(self.app.preflight(path_of("error-page-without-cors"), "PUT")["Access-Control-Allow-Origin"], APP)

    def test_the_crash_is_a_real_exception(self):
        with self.assertRaises(RuntimeError):
            self.app.get(path_of("error-page-without-cors"))

    def test_max_age_600_and_max_age_zero(self):
        cached = self.app.preflight(path_of("preflight-cached"), method="PUT")
        not_cached = self.app.preflight(path_of("preflight-not-cached"), method="PUT")
        self.assertEqual(cached["Access-Control-Max-Age"], "600")
        self.assertEqual(not_cached["Access-Control-Max-Age"], "0")

    def test_exposed_header_is_listed_and_sent_by_the_real_answer(self):
        response = self.app.get(path_of("exposed-header"))
        self.assertEqual(response["Access-Control-Expose-Headers"], "X-Lab-Request-Id")
        self.assertTrue(response["X-Lab-Request-Id"])
        self.assertTrue(self.app.get(path_of("unexposed-header"))["X-Lab-Request-Id"])


class VerdictTests(TestCase):
    """A scenario is judged by the playground's verdict, like any case."""

    def setUp(self):
        self.app = ApiClient(origin=APP)

    def verdict(self, slug: str, run: str):
        case = quote(json.dumps(CATALOGUE[slug].case()))
        return self.app.get(f"/api/playground/verdict/?run={run}&case={case}")

    def test_verdict_of_a_blocked_simple_request(self):
        self.app.get(path_of("no-allow-origin", "unit-run-0001"))
        verdict = self.verdict("no-allow-origin", "unit-run-0001").json()
        self.assertFalse(verdict["chromium"]["readable"])
        self.assertEqual(verdict["chromium"]["reason"], "MissingAllowOriginHeader")
        self.assertEqual(verdict["preflights_expected"], 0)
        self.assertEqual(verdict["requests_seen"], 1)
        self.assertEqual(verdict["engines"]["firefox"]["reported_as"], ["CORSMissingAllowOrigin"])

    def test_verdict_of_an_allowed_simple_request(self):
        self.app.get(path_of("allowed-simple", "unit-run-0002"))
        verdict = self.verdict("allowed-simple", "unit-run-0002").json()
        self.assertTrue(verdict["chromium"]["readable"])
        self.assertIsNone(verdict["deviation"])

    def test_the_redirected_preflight_is_judged_from_djangos_301(self):
        self.app.preflight(path_of("preflight-redirect", "unit-run-0003"), method="PUT")
        verdict = self.verdict("preflight-redirect", "unit-run-0003").json()
        self.assertEqual((verdict["chromium"]["failed_at"], verdict["preflights_seen"]), ("preflight", 1))
        self.assertFalse(verdict["chromium"]["readable"])

    def test_verdict_without_the_needed_record_is_404(self):
        self.app.get(path_of("allowed-simple", "unit-run-0004"))
        response = self.verdict("allowed-preflighted", "unit-run-0004")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"], "no_record")
