"""The Fetch model's sentences: every reason has a why and a fix, and no verdict leaves a
{placeholder} unfilled. No Django needed."""

from unittest import TestCase

from crossorigin.fetch import CHROMIUM_DEVIATIONS, MESSAGES, Verdict, judge, message_for
from crossorigin.tests.fetch.builders import ALLOWED, APP, answer, ok_preflight, request


# Every reason judge() can return: the CorsError names it uses, with the Preflight* variants of the
# access check, and the model's own request-stage reasons.
ACCESS_REASONS = ("MissingAllowOriginHeader", "AllowOriginMismatch", "MultipleAllowOriginValues",
                  "InvalidAllowOriginValue", "WildcardOriginNotAllowed", "InvalidAllowCredentials")
REASONS = ACCESS_REASONS + tuple("Preflight" + r for r in ACCESS_REASONS) + (
    "PreflightDisallowedRedirect", "PreflightInvalidStatus", "InvalidAllowMethodsPreflightResponse",
    "InvalidAllowHeadersPreflightResponse", "MethodDisallowedByPreflightResponse",
    "HeaderDisallowedByPreflightResponse", "RedirectContainsCredentials", "CorsDisabledScheme",
    "TooManyRedirects", "DisallowedByMode", "ForbiddenMethod", "InvalidMethod", "NoCorsMethodNotSafelisted",
    "Opaque", "ReadableSimple", "ReadablePreflighted")
# Every placeholder a message may use, with a representative value.
VALUES = dict(origin=APP, origin_sent="null", method="PUT", status=200, location="https://x.localhost/",
              allow_origin="x", allow_credentials="x", allow_methods="x", allow_headers="x", header="x-h",
              reason="MissingAllowOriginHeader", failed_at="response", standard="readable", chromium="readable",
              standard_preflight=1, chromium_preflight=2)


class MessagesTests(TestCase):
    def test_every_reason_has_a_why_and_a_fix(self):
        for reason in REASONS:
            with self.subTest(reason):
                why, fix = message_for(reason)
                self.assertTrue(why)
                if not reason.startswith("Readable"):
                    self.assertTrue(fix)

    def test_every_message_formats_with_the_known_placeholders(self):
        for key, (why, fix) in MESSAGES.items():
            with self.subTest(key):
                why.format(**VALUES)
                fix.format(**VALUES)

    def test_every_engine_rule_has_a_sentence(self):
        for rule in CHROMIUM_DEVIATIONS:
            with self.subTest(rule):
                self.assertIn("Deviation." + rule, MESSAGES)

    def test_verdicts_fill_every_placeholder(self):
        """A representative verdict per path through judge(): none may leave a {placeholder}."""
        cases = [
            (request(), None, answer()),
            (request("PUT"), answer(status=301, Location="/x/"), None),
            (request("PUT"), ok_preflight(status=500), None),
            (request("DELETE"), ok_preflight(**{"Access-Control-Allow-Methods": "GET"}), None),
            (request(headers={"X-A": "1"}), ok_preflight(**{"Access-Control-Allow-Headers": "x-b"}), None),
            (request("TRACE"), None, None),
            (request(credentials="include"), None, answer(**ALLOWED)),
        ]
        for page_request, preflight, response in cases:
            with self.subTest(page_request.method):
                verdict = judge(page_request, preflight, response)
                self.assertIsInstance(verdict, Verdict)
                self.assertNotIn("{", verdict.why + verdict.fix)
