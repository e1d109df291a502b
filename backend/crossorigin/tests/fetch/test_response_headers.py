"""How the Fetch model reads response headers: trimming, repeated lines, header lists, and
Access-Control-Max-Age in both engines. Expected answers from the Fetch standard and WPT. No Django."""

from unittest import TestCase

from crossorigin.fetch import PageRequest, RecordedResponse, header, judge, preflight_cache_seconds

APP = "https://app.lab.localhost"


def request(method="GET", headers=None) -> PageRequest:
    return PageRequest(origin=APP, method=method, headers=headers or {}, credentials="omit")


def answer(status=200, **headers) -> RecordedResponse:
    return RecordedResponse(status=status, headers=headers)


def preflight(**headers) -> RecordedResponse:
    return RecordedResponse(status=200, headers={"Access-Control-Allow-Origin": APP, **headers})


ALLOWED = answer(**{"Access-Control-Allow-Origin": APP})


class HeaderValueTests(TestCase):
    """https://fetch.spec.whatwg.org/#concept-header-list-get: values joined with ', ' in order."""

    def test_repeated_lines_join_with_comma_space(self):
        self.assertEqual(header({"A": ["x", "y"]}, "a"), "x, y")

    def test_names_are_case_insensitive_even_across_keys(self):
        self.assertEqual(header({"A": "x", "a": "y"}, "A"), "x, y")

    def test_values_are_trimmed_of_http_whitespace(self):
        # https://fetch.spec.whatwg.org/#concept-header-value-normalize
        self.assertEqual(header({"A": " \tx \r\n"}, "a"), "x")

    def test_absent_is_none_and_empty_is_empty(self):
        self.assertIsNone(header({}, "a"))
        self.assertEqual(header({"A": ""}, "a"), "")

    def test_trailing_space_in_allow_origin_is_trimmed(self):
        # Seen in Chromium 156: "Access-Control-Allow-Origin: <origin> " is readable.
        self.assertTrue(judge(request(), None, answer(**{"Access-Control-Allow-Origin": APP + " "})).readable)


class AllowOriginLinesTests(TestCase):
    """fetch/api/cors/cors-multiple-origins.any.js: two Access-Control-Allow-Origin lines read as
    'a, b', which is never an origin."""

    def test_two_lines_fail_as_a_list_or_as_given_combined(self):
        for headers in ({"Access-Control-Allow-Origin": [APP, APP]},
                        {"Access-Control-Allow-Origin": f"{APP}, {APP}"},
                        {"Access-Control-Allow-Origin": ["*", "*"]}):
            with self.subTest(headers):
                self.assertEqual(judge(request(), None, answer(**headers)).reason, "MultipleAllowOriginValues")

    def test_null_is_a_mismatch_for_an_untainted_request(self):
        # https://fetch.spec.whatwg.org/#concept-cors-check: 'null' matches only Origin: null.
        self.assertEqual(judge(request(), None, answer(**{"Access-Control-Allow-Origin": "null"})).reason,
                         "AllowOriginMismatch")


class AllowListParsingTests(TestCase):
    """Access-Control-Allow-Methods = #method, -Headers = #field-name
    (https://fetch.spec.whatwg.org/#http-new-header-syntax; #extract-header-list-values).
    fetch/api/cors/cors-preflight-response-validation.any.js for the failures."""

    def test_empty_elements_are_allowed(self):
        # Seen in Chromium 156: "GET, , PUT" allows PUT.
        verdict = judge(request("PUT"), preflight(**{"Access-Control-Allow-Methods": "GET, , PUT,"}), ALLOWED)
        self.assertTrue(verdict.readable)

    def test_a_method_with_a_space_fails_the_whole_header(self):
        verdict = judge(request("PUT"), preflight(**{"Access-Control-Allow-Methods": "Bad method"}), None)
        self.assertEqual(verdict.reason, "InvalidAllowMethodsPreflightResponse")

    def test_a_header_name_with_a_space_fails_the_whole_header(self):
        verdict = judge(request(headers={"X-Force-Preflight": ""}),
                        preflight(**{"Access-Control-Allow-Headers": "x-force-preflight,header name with space"}), None)
        self.assertEqual(verdict.reason, "InvalidAllowHeadersPreflightResponse")

    def test_methods_are_parsed_before_headers(self):
        # preflight_result.cc Parse(): methods first, then headers.
        verdict = judge(request("PUT", {"X-A": "1"}), preflight(**{"Access-Control-Allow-Methods": "P;UT",
                                                                  "Access-Control-Allow-Headers": "x a"}), None)
        self.assertEqual(verdict.reason, "InvalidAllowMethodsPreflightResponse")

    def test_allow_headers_on_two_lines_are_one_list(self):
        page = request(headers={"X-A": "1", "X-B": "1"})
        self.assertTrue(judge(page, preflight(**{"Access-Control-Allow-Headers": ["x-a", "X-B"]}), ALLOWED).readable)

    def test_unparsable_even_when_not_needed(self):
        # The whole preflight fails: both lists are extracted before anything is checked.
        verdict = judge(request("PUT"), preflight(**{"Access-Control-Allow-Methods": "PUT",
                                                     "Access-Control-Allow-Headers": "a b"}), None)
        self.assertEqual(verdict.reason, "InvalidAllowHeadersPreflightResponse")


class PreflightStatusTests(TestCase):
    """fetch/api/cors/cors-preflight-status.any.js: only an ok status (2xx) passes."""

    def test_statuses(self):
        for status, reason in ((200, None), (204, None), (299, None), (300, "PreflightInvalidStatus"),
                               (400, "PreflightInvalidStatus"), (502, "PreflightInvalidStatus")):
            with self.subTest(status):
                verdict = judge(request("PUT"), RecordedResponse(status, preflight(**{
                    "Access-Control-Allow-Methods": "PUT"}).headers), ALLOWED)
                self.assertEqual(verdict.reason, reason)

    def test_a_redirect_needs_a_location(self):
        # fetch/api/cors/cors-preflight-redirect.any.js; a 3xx without Location is just a bad status.
        with_location = RecordedResponse(302, {"Location": "/elsewhere", "Access-Control-Allow-Origin": APP})
        without = RecordedResponse(302, {"Access-Control-Allow-Origin": APP})
        self.assertEqual(judge(request("PUT"), with_location, None).reason, "PreflightDisallowedRedirect")
        self.assertEqual(judge(request("PUT"), without, None).reason, "PreflightInvalidStatus")


class MaxAgeTests(TestCase):
    """Access-Control-Max-Age = delta-seconds. The standard: extract header list values, failure or
    null -> 5 (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step 7.9). Chromium
    (services/network/cors/preflight_result.cc ParseAccessControlMaxAge): absent or not an int64 ->
    5; negative -> 0; capped at 7200."""

    def seconds(self, value, engine):
        headers = {} if value is None else {"Access-Control-Max-Age": value}
        return preflight_cache_seconds(preflight(**headers), engine)

    def test_both_engines(self):
        for value, chromium, standard in (
                (None, 5, 5), ("0", 0, 0), ("600", 600, 600), ("86400", 7200, 86400), ("abc", 5, 5),
                ("1.5", 5, 5), ("", 5, 5), ("-1", 0, 5), ("-600", 0, 5), (["0", "0"], 5, 5), (" 10 ", 10, 10)):
            with self.subTest(value=value):
                self.assertEqual(self.seconds(value, "chromium"), chromium)
                self.assertEqual(self.seconds(value, "standard"), standard)

    def test_default_engine_is_chromium(self):
        self.assertEqual(preflight_cache_seconds(preflight(**{"Access-Control-Max-Age": "-1"})), 0)


class BasicResponseTests(TestCase):
    """A request that never leaves the page's origin gets a basic response, whatever its mode:
    the page reads every header but Set-Cookie (https://fetch.spec.whatwg.org/#concept-filtered-response-basic)."""

    def test_same_origin_reads_every_header_but_set_cookie(self):
        response = RecordedResponse(200, {"X-Custom": "1", "Content-Type": "text/plain", "Set-Cookie": "a=b"}, url=APP + "/x")
        for mode in ("cors", "no-cors", "same-origin"):
            with self.subTest(mode=mode):
                verdict = judge(PageRequest(APP, "GET", {}, "omit", mode=mode, url=APP + "/x"), None, response, engine="standard")
                self.assertEqual((verdict.readable, verdict.response_type), (True, "basic"))
                self.assertEqual(verdict.readable_headers, ("content-type", "x-custom"))

    def test_another_origin_filters_as_cors(self):
        response = RecordedResponse(200, {"X-Custom": "1", "Content-Type": "text/plain", "Access-Control-Allow-Origin": APP})
        verdict = judge(request(), None, response, engine="standard")
        self.assertEqual((verdict.response_type, verdict.readable_headers), ("cors", ("content-type",)))
