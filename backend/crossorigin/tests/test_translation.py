"""The models' one translation hook: what install() hands in translates every sentence they say,
and a missing sentence (no fix) stays empty. No Django needed."""

from unittest import TestCase

from crossorigin import translation
from crossorigin.fetch import PageRequest, RecordedResponse, judge

NO_ALLOW_ORIGIN = (PageRequest("https://app.example", "GET", {}, "omit"), None, RecordedResponse(200, {}))
ALLOWED = (PageRequest("https://app.example", "GET", {}, "omit"), None,
           RecordedResponse(200, {"Access-Control-Allow-Origin": "https://app.example"}))


def bracketed(message: str) -> str:
    return f"[{message}]"


class TranslationHookTests(TestCase):
    def setUp(self):
        self.addCleanup(translation.install, translation.install(bracketed))

    def test_a_verdict_speaks_through_the_installed_gettext(self):
        verdict = judge(*NO_ALLOW_ORIGIN)
        self.assertRegex(verdict.why, r"^\[The server answered \(HTTP 200\) but without Access-Control-Allow-Origin.*\]$")
        self.assertRegex(verdict.fix, r"^\[Add the page's origin to CORS_ALLOWED_ORIGINS.*\]$")

    def test_no_fix_is_never_handed_to_gettext(self):
        """gettext("") answers with the catalogue's header, which is not a fix."""
        verdict = judge(*ALLOWED)
        self.assertTrue(verdict.readable)
        self.assertEqual(verdict.fix, "")
        self.assertEqual(translation.translate(""), "")

    def test_gettext_noop_only_marks(self):
        self.assertEqual(translation.gettext_noop("Same-site request"), "Same-site request")
