"""The checks on the answers in the Fetch model: the CORS check, the preflight's checks, and the
headers the page may read. (Chromium checks it in e2e/test_scenarios.py.) No Django needed."""

from unittest import TestCase

from crossorigin.fetch import describe_deviation, deviation, judge
from crossorigin.tests.fetch.builders import ALLOWED, APP, answer, ok_preflight, request


class ResponseCheckTests(TestCase):
    def test_allowed_origin_is_readable(self):
        verdict = judge(request(), None, answer(**ALLOWED))
        self.assertTrue(verdict.readable)
        self.assertIsNone(verdict.reason)

    def test_missing_allow_origin(self):
        self.assertEqual(judge(request(), None, answer()).reason, "MissingAllowOriginHeader")

    def test_other_origin_is_a_mismatch(self):
        verdict = judge(request(), None, answer(**{"Access-Control-Allow-Origin": "https://other.lab.localhost"}))
        self.assertEqual(verdict.reason, "AllowOriginMismatch")
        self.assertIn("https://other.lab.localhost", verdict.why)

    def test_two_origins_are_multiple_values(self):
        verdict = judge(request(), None, answer(**{"Access-Control-Allow-Origin": f"{APP}, https://x.localhost"}))
        self.assertEqual(verdict.reason, "MultipleAllowOriginValues")

    def test_garbage_origin_is_invalid(self):
        verdict = judge(request(), None, answer(**{"Access-Control-Allow-Origin": "app.lab.localhost"}))
        self.assertEqual(verdict.reason, "InvalidAllowOriginValue")

    def test_wildcard_without_credentials_is_readable(self):
        self.assertTrue(judge(request(), None, answer(**{"Access-Control-Allow-Origin": "*"})).readable)

    def test_wildcard_with_credentials_is_blocked(self):
        verdict = judge(request(credentials="include"), None, answer(**{"Access-Control-Allow-Origin": "*"}))
        self.assertEqual(verdict.reason, "WildcardOriginNotAllowed")

    def test_credentials_need_allow_credentials_exactly_true(self):
        for value in (None, "True", "1"):
            headers = {**ALLOWED, **({"Access-Control-Allow-Credentials": value} if value else {})}
            with self.subTest(value):
                verdict = judge(request(credentials="include"), None, answer(**headers))
                self.assertEqual(verdict.reason, "InvalidAllowCredentials")

    def test_same_origin_credentials_mode_sends_none_cross_origin(self):
        self.assertTrue(judge(request(credentials="same-origin"), None, answer(**ALLOWED)).readable)

    def test_header_names_are_case_insensitive(self):
        self.assertTrue(judge(request(), None, answer(**{"access-control-allow-origin": APP})).readable)


class PreflightCheckTests(TestCase):
    put = request("PUT", {"Content-Type": "application/json"})

    def test_allowed_preflight_then_allowed_answer_is_readable(self):
        preflight = ok_preflight(**{"Access-Control-Allow-Methods": "GET, PUT",
                                    "Access-Control-Allow-Headers": "content-type"})
        verdict = judge(self.put, preflight, answer(**ALLOWED))
        self.assertTrue(verdict.readable)
        self.assertTrue(verdict.preflight_needed)

    def test_missing_preflight_record_is_an_error(self):
        with self.assertRaises(ValueError):
            judge(self.put, None, answer(**ALLOWED))

    def test_redirect_is_refused_before_the_origin_check(self):
        verdict = judge(self.put, answer(status=301, Location="/x/"), None)
        self.assertEqual(verdict.reason, "PreflightDisallowedRedirect")
        self.assertEqual(verdict.failed_at, "preflight")

    def test_403_with_allow_origin_is_an_invalid_status(self):
        self.assertEqual(judge(self.put, ok_preflight(status=403), None).reason, "PreflightInvalidStatus")

    def test_403_without_allow_origin_reports_the_missing_origin_first(self):
        verdict = judge(self.put, answer(status=403), None)
        self.assertEqual(verdict.reason, "PreflightMissingAllowOriginHeader")
        self.assertTrue(verdict.why.startswith("The preflight failed this check"))

    def test_method_not_listed(self):
        verdict = judge(request("DELETE"), ok_preflight(**{"Access-Control-Allow-Methods": "GET, POST"}), None)
        self.assertEqual(verdict.reason, "MethodDisallowedByPreflightResponse")
        self.assertIn("DELETE", verdict.fix)

    def test_methods_compare_case_sensitively(self):
        """fetch/api/cors/cors-preflight-star.any.js: "put" does not allow PUT. fetch() upper-cases
        DELETE, so Access-Control-Allow-Methods: delete does not allow it either."""
        preflight = ok_preflight(**{"Access-Control-Allow-Methods": "delete"})
        verdict = judge(request("DELETE"), preflight, answer(**ALLOWED))
        self.assertEqual(verdict.reason, "MethodDisallowedByPreflightResponse")

    def test_lower_case_delete_is_normalized(self):
        """https://fetch.spec.whatwg.org/#concept-method-normalize: fetch() sends 'delete' as DELETE."""
        preflight = ok_preflight(**{"Access-Control-Allow-Methods": "DELETE"})
        self.assertTrue(judge(request("delete"), preflight, answer(**ALLOWED)).readable)

    def test_unparsable_methods(self):
        verdict = judge(request("DELETE"), ok_preflight(**{"Access-Control-Allow-Methods": "GET;DELETE"}), None)
        self.assertEqual(verdict.reason, "InvalidAllowMethodsPreflightResponse")

    def test_header_not_listed(self):
        verdict = judge(request(headers={"X-Lab-Trace": "1"}), ok_preflight(), None)
        self.assertEqual(verdict.reason, "HeaderDisallowedByPreflightResponse")
        self.assertIn("x-lab-trace", verdict.fix)

    def test_allow_headers_wildcard_is_literal_with_credentials(self):
        preflight = ok_preflight(**{"Access-Control-Allow-Headers": "*", "Access-Control-Allow-Credentials": "true"})
        verdict = judge(request(headers={"X-Lab-Trace": "1"}, credentials="include"), preflight, None)
        self.assertEqual(verdict.reason, "HeaderDisallowedByPreflightResponse")
        self.assertIn("literally", verdict.why)

    def test_wildcard_covers_authorization_in_chromium_not_in_the_standard(self):
        authorized = request(headers={"Authorization": "Bearer x"})
        preflight = answer(**{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"})
        response = answer(**{"Access-Control-Allow-Origin": "*"})
        self.assertTrue(judge(authorized, preflight, response, engine="chromium").readable)
        self.assertEqual(judge(authorized, preflight, response, engine="standard").reason,
                         "HeaderDisallowedByPreflightResponse")
        described = deviation(authorized, preflight, response)
        self.assertIn("Authorization", described)
        self.assertIn("HeaderDisallowedByPreflightResponse", described)

    def test_deviation_compares_the_verdicts_it_is_given(self):
        authorized = request(headers={"Authorization": "Bearer x"})
        preflight = answer(**{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"})
        response = answer(**{"Access-Control-Allow-Origin": "*"})
        chromium = judge(authorized, preflight, response, engine="chromium")
        standard = judge(authorized, preflight, response, engine="standard")
        self.assertEqual(deviation(authorized, preflight, response, chromium=chromium, standard=standard),
                         describe_deviation(chromium, standard))
        self.assertIsNone(describe_deviation(chromium, chromium))

    def test_no_deviation_when_both_agree(self):
        self.assertIsNone(deviation(request(), None, answer(**ALLOWED)))


class ReadableHeadersTests(TestCase):
    def test_unexposed_header_is_not_readable(self):
        verdict = judge(request(), None, answer(**ALLOWED, **{"Content-Type": "application/json", "X-Lab-Request-Id": "1"}))
        self.assertEqual(verdict.readable_headers, ("content-type",))

    def test_exposed_header_is_readable(self):
        verdict = judge(request(), None, answer(**ALLOWED, **{"X-Lab-Request-Id": "1",
                                                             "Access-Control-Expose-Headers": "X-Lab-Request-Id"}))
        self.assertIn("x-lab-request-id", verdict.readable_headers)

    def test_expose_wildcard_is_literal_with_credentials(self):
        headers = {**ALLOWED, "Access-Control-Allow-Credentials": "true", "X-Lab-Request-Id": "1",
                   "Access-Control-Expose-Headers": "*"}
        self.assertNotIn("x-lab-request-id", judge(request(credentials="include"), None, answer(**headers)).readable_headers)
        self.assertIn("x-lab-request-id", judge(request(), None, answer(**headers)).readable_headers)
