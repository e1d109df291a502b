"""The two engines and deviation(): every difference between Chromium and the Fetch standard is a
row of CHROMIUM_DEVIATIONS, and deviation() describes what actually differs. No Django needed."""

from unittest import TestCase

from crossorigin.fetch import (
    CHROMIUM_DEVIATIONS, MESSAGES, PageRequest, RecordedResponse, describe_deviation, deviation, differs, judge,
)

APP = "https://app.lab.localhost"
WILDCARD_PREFLIGHT = RecordedResponse(200, {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"})
WILDCARD_ANSWER = RecordedResponse(200, {"Access-Control-Allow-Origin": "*"})


class TableTests(TestCase):
    def test_only_chromium_differs(self):
        for rule in CHROMIUM_DEVIATIONS:
            with self.subTest(rule):
                self.assertTrue(differs("chromium", rule))
                self.assertFalse(differs("standard", rule))

    def test_unknown_engine(self):
        with self.assertRaises(ValueError):
            judge(PageRequest(APP, "GET", {}), None, WILDCARD_ANSWER, engine="opera")


class AuthorizationWildcardTests(TestCase):
    """https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name: '*' never covers
    Authorization; Chromium 156 lets it (feature CorsNonWildcardRequestHeadersSupport is off by
    default). fetch/api/cors/cors-preflight-star.any.js has no Authorization case."""

    page = PageRequest(APP, "GET", {"Authorization": "Bearer x"}, "omit")

    def test_verdicts(self):
        chromium = judge(self.page, WILDCARD_PREFLIGHT, WILDCARD_ANSWER, engine="chromium")
        standard = judge(self.page, WILDCARD_PREFLIGHT, WILDCARD_ANSWER, engine="standard")
        self.assertTrue(chromium.readable)
        self.assertEqual((standard.reason, standard.failed_at), ("HeaderDisallowedByPreflightResponse", "preflight"))
        self.assertIn("Authorization", standard.why)
        self.assertEqual(chromium.engine_rules, ("wildcard_covers_authorization",))

    def test_deviation_names_both_outcomes_and_the_rule(self):
        text = deviation(self.page, WILDCARD_PREFLIGHT, WILDCARD_ANSWER)
        self.assertIn("readable", text)
        self.assertIn("HeaderDisallowedByPreflightResponse", text)
        self.assertIn(MESSAGES["Deviation.wildcard_covers_authorization"][0], text)

    def test_listed_authorization_agrees(self):
        listed = RecordedResponse(200, {"Access-Control-Allow-Origin": "*",
                                        "Access-Control-Allow-Headers": "*, Authorization"})
        self.assertIsNone(deviation(self.page, listed, WILDCARD_ANSWER))

    def test_with_credentials_star_is_literal_in_both(self):
        page = PageRequest(APP, "GET", {"Authorization": "Bearer x"}, "include")
        preflight = RecordedResponse(200, {"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Headers": "*",
                                           "Access-Control-Allow-Credentials": "true"})
        self.assertIsNone(deviation(page, preflight, None))


class DuplicateRequestHeadersTests(TestCase):
    def test_deviation_from_a_preflight_only_chromium_sends(self):
        page = PageRequest(APP, "GET", {"Accept": ["a" * 100, "b" * 100]}, "omit")
        answer = RecordedResponse(200, {"Access-Control-Allow-Origin": APP})
        chromium = judge(page, RecordedResponse(200, {"Access-Control-Allow-Origin": APP}), answer, engine="chromium")
        standard = judge(page, None, answer, engine="standard")
        self.assertEqual((chromium.reason, chromium.failed_at), ("HeaderDisallowedByPreflightResponse", "preflight"))
        self.assertTrue(standard.readable)
        text = describe_deviation(chromium, standard)
        self.assertIn(MESSAGES["Deviation.combines_duplicate_request_headers"][0], text)
        self.assertIn("1", text)  # the preflight count differs too


class NoDeviationTests(TestCase):
    def test_agreeing_verdicts(self):
        page = PageRequest(APP, "PUT", {"Content-Type": "application/json"}, "omit")
        preflight = RecordedResponse(200, {"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Methods": "PUT",
                                           "Access-Control-Allow-Headers": "content-type"})
        self.assertIsNone(deviation(page, preflight, RecordedResponse(200, {"Access-Control-Allow-Origin": APP})))


class ClientHintTests(TestCase):
    """Chromium (cors.cc IsCorsSafelistedHeader; seen in Chromium 156) sends DPR, Save-Data,
    Device-Memory, Width, Viewport-Width and Intervention without a preflight; the standard's
    safelist (https://fetch.spec.whatwg.org/#cors-safelisted-request-header) has none of them."""

    def test_each_hint(self):
        from crossorigin.fetch import needs_preflight
        for name, value in (("DPR", "2"), ("Device-Memory", "0.5"), ("Width", "100"), ("Viewport-Width", "100"),
                            ("Save-Data", "on"), ("Intervention", "x")):
            with self.subTest(name):
                page = PageRequest(APP, "GET", {name: value}, "omit")
                self.assertFalse(needs_preflight(page, "chromium"))
                self.assertTrue(needs_preflight(page, "standard"))

    def test_values_must_fit(self):
        from crossorigin.fetch import needs_preflight
        for name, value in (("DPR", "2x"), ("Width", "1.5"), ("Save-Data", "off")):
            with self.subTest(name):
                self.assertTrue(needs_preflight(PageRequest(APP, "GET", {name: value}, "omit"), "chromium"))

    def test_deviation_mentions_the_rule(self):
        page = PageRequest(APP, "GET", {"DPR": "2"}, "omit")
        answer = RecordedResponse(200, {"Access-Control-Allow-Origin": APP})
        chromium = judge(page, None, answer, engine="chromium")
        standard = judge(page, RecordedResponse(200, {"Access-Control-Allow-Origin": APP}), answer, engine="standard")
        self.assertTrue(chromium.readable)
        self.assertEqual(standard.reason, "HeaderDisallowedByPreflightResponse")
        self.assertIn(MESSAGES["Deviation.client_hint_headers_safelisted"][0], describe_deviation(chromium, standard))
