"""The playground endpoint answers as the case says, and only within its allow-list; the verdict
judges a run from the ledger's entries, hop by hop."""

import json
from urllib.parse import quote

from django.conf import settings
from django.test import TestCase

from testing import ApiClient, endpoint
from ledger.models import Run

APP, ATTACKER = settings.LAB_APP_ORIGIN, settings.LAB_ATTACKER_ORIGIN
ALLOW = [["Access-Control-Allow-Origin", "{origin}"]]


def verdict_url(case: dict, run="run-playground-1") -> str:
    return f"/api/playground/verdict/?run={run}&case={quote(json.dumps(case))}"


class EndpointTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=APP)

    def test_cors_form_answers_through_the_runner(self):
        server = {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"], "CORS_EXPOSE_HEADERS": ["X-Lab-Request-Id"]}}
        response = self.app.get(endpoint(server))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], APP)
        self.assertEqual(response["Access-Control-Expose-Headers"], "X-Lab-Request-Id")
        self.assertIn("X-Lab-Request-Id", response)
        preflight = self.app.preflight(endpoint(server), "PUT", "x-a")
        self.assertEqual(preflight.status_code, 200)
        self.assertEqual(preflight["Access-Control-Max-Age"], "86400")

    def test_raw_form_answers_preflight_and_request_apart(self):
        server = {"raw": {"preflight": {"status": 204, "headers": ALLOW + [["Access-Control-Max-Age", "-1"]]},
                          "response": {"status": 404, "headers": [["Access-Control-Allow-Origin", "*"]]}}}
        preflight = self.app.preflight(endpoint(server), "PUT")
        self.assertEqual((preflight.status_code, preflight["Access-Control-Allow-Origin"]), (204, APP))
        self.assertEqual(preflight["Access-Control-Max-Age"], "-1")
        response = self.app.put(endpoint(server))
        self.assertEqual((response.status_code, response["Access-Control-Allow-Origin"]), (404, "*"))

    def test_echo_of_a_missing_origin_sends_nothing(self):
        server = {"raw": {"response": {"status": 200, "headers": ALLOW}}}
        self.assertNotIn("Access-Control-Allow-Origin", ApiClient().get(endpoint(server)))

    def test_the_redirect_goes_to_hop_1_on_the_named_lab_host_with_the_same_run(self):
        server = {"raw": {"response": {"status": 200, "headers": ALLOW},
                          "redirect": {"status": 307, "to": "attacker", "headers": [["Access-Control-Allow-Origin", "*"]]}}}
        response = self.app.get(endpoint(server))
        self.assertEqual(response.status_code, 307)
        self.assertTrue(response["Location"].startswith(ATTACKER + "/playground/0/1/?"))
        self.assertIn("run=run-playground-1", response["Location"])
        self.assertEqual(self.app.get(endpoint(server, hop=1)).status_code, 200)
        self.assertEqual(self.app.get(endpoint(server, hop=2)).json()["field"], "hop")

    def test_a_bad_case_is_a_json_400_naming_the_field(self):
        for query, field in (("", "server"), ("&s=%7B", "server"),
                             ("&s=" + quote(json.dumps({"raw": {"response": {"headers": [["Set-Cookie", "a=b"]]}}})),
                              "server.raw.response.headers[0]"),
                             ("&s=" + quote(json.dumps({"cors": {"CORS_ALLOWED_ORIGIN_REGEXES": ["(a)\\1"]}})),
                              "server.cors.CORS_ALLOWED_ORIGIN_REGEXES[0]")):
            with self.subTest(field):
                response = self.app.get("/playground/0/0/?run=run-playground-1" + query)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"], "invalid_case")
                self.assertEqual(response.json()["field"], field)

    def test_a_pattern_that_would_hold_the_worker_for_seconds_is_stopped_with_a_json_400(self):
        # re.match takes about 6 s here, holding the GIL; the answer comes within the time limit.
        server = {"cors": {"CORS_ALLOWED_ORIGIN_REGEXES": ["https://(.|.)*!"]}}
        for response in (ApiClient(origin="https://" + "a" * 26).get(endpoint(server)),
                         ApiClient(origin="https://" + "a" * 26).preflight(endpoint(server), "PUT")):
            self.assertEqual(response.status_code, 400)
            self.assertEqual(response.json()["error"], "regex_too_slow")
            self.assertNotIn("Access-Control-Allow-Origin", response)
        entries = Run.objects.get(run_id="run-playground-1").entries.all()
        self.assertEqual([entry.response["error"]["code"] for entry in entries], ["regex_too_slow"] * 2)
        # The same pattern decides quickly where it matches, as re.match would.
        matching = ApiClient(origin="https://a!").get(endpoint(server))
        self.assertEqual(matching["Access-Control-Allow-Origin"], "https://a!")

    def test_an_origin_no_browser_sends_is_refused_before_the_regexes(self):
        server = {"cors": {"CORS_ALLOWED_ORIGIN_REGEXES": [".*"]}}
        response = ApiClient(origin="https://caf\xe9.example").get(endpoint(server))
        self.assertEqual((response.status_code, response.json()["error"]), (400, "invalid_origin"))

    def test_a_very_long_origin_never_reaches_the_regexes(self):
        server = {"cors": {"CORS_ALLOWED_ORIGIN_REGEXES": [".*"]}}
        response = ApiClient(origin="https://" + "a" * 400).get(endpoint(server))
        self.assertEqual((response.status_code, response.json()["field"]), (400, "Origin"))

    def test_csrf_stays_out_of_the_way_and_the_ledger_records(self):
        server = {"cors": {"CORS_ALLOWED_ORIGINS": ["{attacker}"]}}
        response = ApiClient(origin=ATTACKER).post(endpoint(server), "x", content_type="text/plain")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Run.objects.get(run_id="run-playground-1").entries.count(), 1)

    def test_never_under_api_and_the_api_keeps_its_own_cors(self):
        server = {"cors": {"CORS_ALLOW_ALL_ORIGINS": True}}
        self.assertEqual(ApiClient(origin=ATTACKER).get(endpoint(server))["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Origin", ApiClient(origin=ATTACKER).get("/api/hello/"))


class VerdictTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=APP)

    def run_case(self, case: dict, run="run-playground-1") -> dict:
        """Plays the browser's part for a request with no preflight, then asks for the verdict."""
        ApiClient(origin=APP).generic(case["method"], endpoint(case["server"], run))
        return self.app.get(verdict_url(case, run))

    def test_simple_allowed(self):
        body = self.run_case({"method": "GET", "credentials": "omit", "server": {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}}}).json()
        self.assertTrue(body["chromium"]["readable"])
        self.assertEqual(body["preflights_expected"], 0)
        self.assertIn("x-lab-request-id", body["final_response_headers"])

    def test_a_lowercase_method_the_preflight_spells_otherwise_is_blocked(self):
        # fetch() upper-cases only the standard methods: 'patch' stays 'patch', so Chromium sends the
        # preflight and stops there, as the allowed PATCH is compared case-sensitively.
        server = {"raw": {"preflight": {"status": 200, "headers": ALLOW + [["Access-Control-Allow-Methods", "PATCH"]]},
                          "response": {"status": 200, "headers": ALLOW}}}
        ApiClient(origin=APP).preflight(endpoint(server), "patch", "")
        body = self.app.get(verdict_url({"method": "patch", "credentials": "omit", "server": server})).json()
        self.assertEqual(body["chromium"]["reason"], "MethodDisallowedByPreflightResponse")
        self.assertEqual(body["preflights_expected"], 1)

    def test_a_request_only_the_standard_would_preflight_is_explained_in_the_readers_language(self):
        # Chromium safelists DPR; the standard would have preflighted it, and this run has no preflight.
        case = {"method": "GET", "credentials": "omit", "headers": [["DPR", "2"]],
                "server": {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}}}
        ApiClient(origin=APP).get(endpoint(case["server"]))
        body = self.app.get(verdict_url(case), HTTP_ACCEPT_LANGUAGE="ja").json()
        self.assertTrue(body["chromium"]["readable"])
        self.assertIsNone(body["standard"])
        self.assertIn("Fetch 標準なら、ここで Chromium が送らなかったリクエストを送っていたはず", body["deviation"])
        self.assertIn("Chromium は DPR、Device-Memory", body["deviation"])

    def test_mode_comes_from_the_case(self):
        body = self.run_case({"method": "GET", "mode": "same-origin", "server": {"cors": {}}}).json()
        self.assertEqual(body["chromium"]["reason"], "DisallowedByMode")
        body = self.run_case({"method": "GET", "mode": "no-cors", "server": {"cors": {}}}, run="run-playground-2").json()
        self.assertEqual(body["chromium"]["reason"], "Opaque")

    def test_a_redirect_is_judged_hop_by_hop_from_the_ledger(self):
        # 307 to the attacker host: the second request carries Origin: null, which '*' allows.
        server = {"raw": {"response": {"status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]},
                          "redirect": {"status": 307, "to": "attacker", "headers": [["Access-Control-Allow-Origin", "*"]]}}}
        client = ApiClient(origin=APP)
        client.get(endpoint(server, hop=0))
        ApiClient(HTTP_ORIGIN="null").get(endpoint(server, hop=1))
        body = self.app.get(verdict_url({"method": "GET", "credentials": "omit", "server": server})).json()
        self.assertTrue(body["chromium"]["readable"])
        self.assertEqual(body["chromium"]["origin_sent"], "null")
        self.assertEqual(body["requests_seen"], 2)

    def test_a_redirect_whose_next_hop_never_arrived_fails_on_the_redirect(self):
        server = {"raw": {"response": {"status": 200, "headers": ALLOW},
                          "redirect": {"status": 302, "to": "api", "headers": []}}}
        ApiClient(origin=APP).get(endpoint(server, hop=0))
        body = self.app.get(verdict_url({"method": "GET", "credentials": "omit", "server": server})).json()
        self.assertEqual((body["chromium"]["reason"], body["chromium"]["failed_at"]), ("MissingAllowOriginHeader", "redirect"))

    def test_the_null_page(self):
        server = {"cors": {"CORS_ALLOWED_ORIGINS": ["null"]}}
        ApiClient(HTTP_ORIGIN="null").get(endpoint(server))
        body = self.app.get(verdict_url({"page": "null", "method": "GET", "credentials": "omit", "server": server})).json()
        self.assertTrue(body["chromium"]["readable"])

    def test_repeats_use_the_models_preflight_cache(self):
        server = {"raw": {"preflight": {"status": 200, "headers": ALLOW + [["Access-Control-Allow-Methods", "PUT"],
                                                                            ["Access-Control-Max-Age", "600"]]},
                          "response": {"status": 200, "headers": ALLOW}}}
        client = ApiClient(origin=APP)
        client.preflight(endpoint(server), "PUT", "")
        for _ in range(3):
            client.put(endpoint(server))
        body = self.app.get(verdict_url({"method": "PUT", "repeat": 3, "credentials": "omit", "server": server})).json()
        self.assertEqual((body["preflights_expected"], body["preflights_seen"]), (1, 1))

    def test_a_request_fetch_refuses_has_no_run_and_still_gets_its_verdict(self):
        body = self.app.get(verdict_url({"method": "TRACE", "server": {"cors": {}}}, "run-never-sent")).json()
        self.assertEqual((body["chromium"]["reason"], body["requests_seen"]), ("ForbiddenMethod", 0))

    def test_cases_of_one_run_are_told_apart_by_their_slot(self):
        allowed = {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}}
        refused = {"cors": {"CORS_ALLOWED_ORIGINS": []}}
        self.app.get(f"/playground/0/0/?run=run-shared-1&s={quote(json.dumps(allowed))}")
        self.app.get(f"/playground/1/0/?run=run-shared-1&s={quote(json.dumps(refused))}")
        for slot, server, readable in ((0, allowed, True), (1, refused, False)):
            body = self.app.get(verdict_url({"method": "GET", "server": server}, "run-shared-1") + f"&slot={slot}").json()
            self.assertEqual((body["chromium"]["readable"], body["requests_seen"]), (readable, 1))
        self.assertEqual(self.app.get(verdict_url({"server": allowed}) + "&slot=100").json()["field"], "slot")
        self.assertEqual(self.app.get("/playground/100/0/?s=" + quote(json.dumps(allowed))).json()["field"], "slot")

    def test_no_record_is_a_404_and_a_bad_case_a_400(self):
        self.app.get("/playground/0/0/?run=run-playground-9&s=" + quote(json.dumps({"cors": {}})))
        self.assertEqual(self.app.get(verdict_url({"method": "PUT", "server": {"cors": {}}}, "run-playground-9")).status_code, 404)
        response = self.app.get(verdict_url({"method": "GET", "page": "evil", "server": {"cors": {}}}))
        self.assertEqual((response.status_code, response.json()["field"]), (400, "page"))
        check = self.app.get("/api/playground/check/?case=" + quote(json.dumps({"mode": "x", "server": {"cors": {}}})))
        self.assertEqual((check.status_code, check.json()["field"]), (400, "mode"))
