"""The request in the Fetch model: methods, request modes, credentials, and what needs a preflight.
Expected answers come from the Fetch standard and web-platform-tests (WPT), cited per test. No
Django needed."""

from unittest import TestCase

from crossorigin.fetch import PageRequest, RecordedResponse, judge, needs_preflight, normalize_method

APP = "https://app.lab.localhost"
API = "https://api.lab.localhost/scenarios/x/"


def request(method="GET", headers=None, credentials="omit", mode="cors") -> PageRequest:
    return PageRequest(origin=APP, method=method, headers=headers or {}, credentials=credentials, mode=mode)


def answer(status=200, **headers) -> RecordedResponse:
    return RecordedResponse(status=status, headers=headers)


ALLOWED = answer(**{"Access-Control-Allow-Origin": APP})


def preflight(methods=None, headers=None, origin=APP, **extra) -> RecordedResponse:
    fields = {"Access-Control-Allow-Origin": origin, **extra}
    if methods is not None:
        fields["Access-Control-Allow-Methods"] = methods
    if headers is not None:
        fields["Access-Control-Allow-Headers"] = headers
    return RecordedResponse(status=200, headers=fields)


class NormalizationTests(TestCase):
    """https://fetch.spec.whatwg.org/#concept-method-normalize"""

    def test_only_six_methods_are_upper_cased(self):
        for method in ("delete", "get", "head", "options", "post", "put", "Put"):
            with self.subTest(method):
                self.assertEqual(normalize_method(method), method.upper())
        for method in ("patch", "Patch", "chicken", "eGg"):
            with self.subTest(method):
                self.assertEqual(normalize_method(method), method)

    def test_lower_case_get_and_post_are_still_simple(self):
        # https://fetch.spec.whatwg.org/#cors-safelisted-method after normalization.
        self.assertFalse(needs_preflight(request("get")))
        self.assertFalse(needs_preflight(request("post")))

    def test_lower_case_patch_needs_a_preflight(self):
        self.assertTrue(needs_preflight(request("patch")))


class ByteExactMatchTests(TestCase):
    """Access-Control-Allow-Methods is compared byte for byte with the method as sent
    (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step 7.5)."""

    def test_patch_is_not_allowed_by_PATCH(self):
        # https://fetch.spec.whatwg.org/#example-normalization; seen in Chromium 156.
        verdict = judge(request("patch"), preflight("PATCH"), ALLOWED)
        self.assertEqual(verdict.reason, "MethodDisallowedByPreflightResponse")
        self.assertIn("patch", verdict.fix)

    def test_PATCH_is_not_allowed_by_patch(self):
        self.assertEqual(judge(request("PATCH"), preflight("patch"), ALLOWED).reason,
                         "MethodDisallowedByPreflightResponse")

    def test_patch_is_allowed_by_patch(self):
        self.assertTrue(judge(request("patch"), preflight("patch"), ALLOWED).readable)

    def test_put_is_not_allowed_by_lower_case_put(self):
        # fetch/api/cors/cors-preflight-star.any.js: preflightTest(false, true, "put", "*", "PUT", [])
        verdict = judge(request("PUT", credentials="include"),
                        preflight("put", "*", **{"Access-Control-Allow-Credentials": "true"}), ALLOWED)
        self.assertEqual(verdict.reason, "MethodDisallowedByPreflightResponse")

    def test_safelisted_method_needs_no_listing(self):
        # cors-preflight-star.any.js: preflightTest(true, false, "get", "x-test", "GET", ["X-Test", "1"])
        verdict = judge(request("GET", {"X-Test": "1"}), preflight("get", "x-test"), ALLOWED)
        self.assertTrue(verdict.readable)


class WildcardMethodTests(TestCase):
    """'*' in Access-Control-Allow-Methods is a wildcard only without credentials
    (https://fetch.spec.whatwg.org/#http-new-header-syntax); fetch/api/cors/cors-preflight-star.any.js."""

    def test_star_allows_any_method_without_credentials(self):
        # preflightTest(true, false, "*", "x-test", "SUPER", ["X-Test", "1"])
        self.assertTrue(judge(request("SUPER", {"X-Test": "1"}), preflight("*", "x-test"), ALLOWED).readable)

    def test_star_is_literal_with_credentials(self):
        # preflightTest(false, true, "*", "", "PUT", [])
        credentialed = {"Access-Control-Allow-Credentials": "true"}
        verdict = judge(request("PUT", credentials="include"), preflight("*", "", **credentialed), None)
        self.assertEqual(verdict.reason, "MethodDisallowedByPreflightResponse")

    def test_a_method_named_star_matches_literally(self):
        # preflightTest(true, true, "*", "*", "*", ["*", "1"])
        credentialed = {"Access-Control-Allow-Credentials": "true"}
        ok = answer(**{"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Credentials": "true"})
        verdict = judge(request("*", {"*": "1"}, credentials="include"), preflight("*", "*", **credentialed), ok)
        self.assertTrue(verdict.readable)

    def test_listed_method_with_credentials(self):
        # preflightTest(true, true, "PUT", "*", "PUT", [])
        credentialed = {"Access-Control-Allow-Credentials": "true"}
        ok = answer(**{"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Credentials": "true"})
        self.assertTrue(judge(request("PUT", credentials="include"), preflight("PUT", "*", **credentialed), ok).readable)


class TypeErrorBeforeSendingTests(TestCase):
    """new Request() throws for these (https://fetch.spec.whatwg.org/#dom-request, steps on method
    and mode; fetch/api/request/request-error.any.js): failed_at 'request', no preflight."""

    def assert_thrown(self, verdict, reason):
        self.assertEqual((verdict.reason, verdict.failed_at, verdict.preflight_needed, verdict.preflights),
                         (reason, "request", False, 0))
        self.assertEqual(verdict.response_type, "error")

    def test_forbidden_methods_in_any_case(self):
        # https://fetch.spec.whatwg.org/#forbidden-method
        for method in ("CONNECT", "trace", "Track"):
            with self.subTest(method):
                self.assert_thrown(judge(request(method), None, None), "ForbiddenMethod")

    def test_invalid_method_tokens(self):
        # https://fetch.spec.whatwg.org/#concept-method: a method is a token.
        for method in ("BAD METHOD", "GET\n", "", "a,b", "p(x)"):
            with self.subTest(method):
                self.assert_thrown(judge(request(method), None, None), "InvalidMethod")

    def test_no_cors_allows_only_safelisted_methods(self):
        # request-error.any.js: "Bad mode init parameter value" / no-cors with PUT throws.
        for method in ("PUT", "DELETE", "patch"):
            with self.subTest(method):
                self.assert_thrown(judge(request(method, mode="no-cors"), None, None), "NoCorsMethodNotSafelisted")

    def test_same_origin_mode_never_leaves_for_another_origin(self):
        # https://fetch.spec.whatwg.org/#main-fetch: mode "same-origin" -> network error.
        self.assert_thrown(judge(request(mode="same-origin"), None, None), "DisallowedByMode")


class NoCorsTests(TestCase):
    """Mode no-cors: no preflight, no CORS check, an opaque response
    (https://fetch.spec.whatwg.org/#concept-filtered-response-opaque)."""

    def test_opaque_even_without_allow_origin(self):
        verdict = judge(request("POST", {"Content-Type": "application/json"}, mode="no-cors"), None, answer())
        self.assertEqual((verdict.readable, verdict.reason, verdict.response_type), (False, "Opaque", "opaque"))
        self.assertEqual((verdict.preflight_needed, verdict.failed_at, verdict.readable_headers), (False, None, ()))

    def test_only_no_cors_safelisted_headers_are_kept(self):
        # fetch/api/headers/headers-no-cors.any.js: other headers are dropped, and Range too.
        verdict = judge(request("POST", {"X-A": "1", "Content-Type": "application/json", "Accept": "a/b",
                                         "Range": "bytes=0-"}, mode="no-cors"), None, answer())
        self.assertEqual(verdict.request_headers, ("accept",))


class CredentialsTests(TestCase):
    """https://fetch.spec.whatwg.org/#concept-cors-check and cors/credentials-flag.htm."""

    def test_same_origin_sends_none_to_another_origin(self):
        self.assertTrue(judge(request(credentials="same-origin"), None, ALLOWED).readable)

    def test_allow_credentials_must_be_exactly_true(self):
        for value in ("True", "TRUE", "1", "true, true"):
            with self.subTest(value):
                response = answer(**{"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Credentials": value})
                self.assertEqual(judge(request(credentials="include"), None, response).reason, "InvalidAllowCredentials")

    def test_allow_credentials_true_is_trimmed(self):
        response = answer(**{"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Credentials": " true "})
        self.assertTrue(judge(request(credentials="include"), None, response).readable)

    def test_preflight_credentials_checked_with_the_actual_credentials_mode(self):
        # https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step 7 note.
        verdict = judge(request("PUT", credentials="include"), preflight("PUT"), None)
        self.assertEqual(verdict.reason, "PreflightInvalidAllowCredentials")


class NeedsPreflightTests(TestCase):
    def test_plain_get_needs_none(self):
        self.assertFalse(needs_preflight(request()))

    def test_json_post_needs_one(self):
        self.assertTrue(needs_preflight(request("POST", {"Content-Type": "application/json"})))

    def test_text_plain_with_charset_is_still_simple(self):
        self.assertFalse(needs_preflight(request("POST", {"Content-Type": "text/plain;charset=UTF-8"})))

    def test_credentials_alone_do_not_trigger_a_preflight(self):
        self.assertFalse(needs_preflight(request(credentials="include")))

    def test_put_and_delete_need_one(self):
        self.assertTrue(needs_preflight(request("PUT")))
        self.assertTrue(needs_preflight(request("delete")))

    def test_authorization_and_custom_headers_need_one(self):
        self.assertTrue(needs_preflight(request(headers={"Authorization": "Bearer x"})))
        self.assertTrue(needs_preflight(request(headers={"X-Lab-Trace": "1"})))
