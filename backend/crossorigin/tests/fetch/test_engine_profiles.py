"""The Firefox and WebKit profiles of the Fetch model: each row was seen in that engine by
e2e/test_engines.py (docs/engines.md). No Django needed."""

from unittest import TestCase

from crossorigin.fetch import (
    DEVIATIONS, FIREFOX_REASONS, PageRequest, RecordedResponse, differs, judge, reported_as,
)

APP = "https://app.lab.localhost"
WILDCARD_PREFLIGHT = RecordedResponse(200, {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"})
WILDCARD_ANSWER = RecordedResponse(200, {"Access-Control-Allow-Origin": "*"})


class ProfileTests(TestCase):
    def test_every_engine_has_a_row_set_and_the_standard_has_none(self):
        self.assertEqual(set(DEVIATIONS), {"chromium", "firefox", "webkit", "standard"})
        self.assertEqual(DEVIATIONS["standard"], frozenset())

    def test_firefox_and_webkit_claim_only_what_was_seen(self):
        self.assertEqual(DEVIATIONS["firefox"], {"wildcard_covers_authorization"})
        self.assertEqual(DEVIATIONS["webkit"], {"wildcard_covers_authorization"})
        self.assertFalse(differs("firefox", "one_cache_entry_per_url"))


class AuthorizationWildcardInEveryEngineTests(TestCase):
    page = PageRequest(APP, "GET", {"Authorization": "Bearer demo"})

    def test_all_three_engines_let_the_wildcard_cover_authorization(self):
        for engine in ("chromium", "firefox", "webkit"):
            with self.subTest(engine):
                self.assertTrue(judge(self.page, WILDCARD_PREFLIGHT, WILDCARD_ANSWER, engine=engine).readable)

    def test_the_standard_still_blocks_it(self):
        verdict = judge(self.page, WILDCARD_PREFLIGHT, WILDCARD_ANSWER, engine="standard")
        self.assertEqual(verdict.reason, "HeaderDisallowedByPreflightResponse")


class ReportedAsTests(TestCase):
    def test_chromium_reports_the_model_name(self):
        self.assertEqual(reported_as("chromium", "MissingAllowOriginHeader"), ["MissingAllowOriginHeader"])

    def test_firefox_reports_mdn_names(self):
        self.assertEqual(reported_as("firefox", "MissingAllowOriginHeader"), ["CORSMissingAllowOrigin"])
        self.assertIn("CORSDidNotSucceed", reported_as("firefox", "PreflightInvalidStatus"))

    def test_firefox_reason_not_yet_seen_is_marked_unknown(self):
        self.assertNotIn("RedirectContainsCredentials", FIREFOX_REASONS)
        self.assertEqual(reported_as("firefox", "RedirectContainsCredentials"), ["?RedirectContainsCredentials"])

    def test_webkit_reports_nothing_and_nothing_is_reported_for_readable_or_pre_network(self):
        self.assertEqual(reported_as("webkit", "MissingAllowOriginHeader"), [])
        self.assertEqual(reported_as("chromium", None), [])
        self.assertEqual(reported_as("chromium", "ForbiddenMethod"), [])
