from unittest import TestCase

from leaks.outcomes import outcome, row_of

SESSION = "sessionid"
ORIGIN_REFUSED = "Origin checking failed - https://evil.lab.localhost does not match any trusted origins."


def request(origin="https://evil.lab.localhost", cookies=(SESSION,), method="GET", site="same-site"):
    return {"origin": origin, "cookies": list(cookies), "method": method, "sec_fetch_site": site}


def response(status=200, acao=None, acac=None, reason=None):
    headers = {}
    if acao:
        headers["access-control-allow-origin"] = acao
    if acac:
        headers["access-control-allow-credentials"] = acac
    return {"status": status, "headers": headers, "error": {"message": "...", "reason": reason} if reason else None}


class ReadOutcomeTests(TestCase):
    def test_cookie_and_matching_credentialed_cors_is_a_leak(self):
        self.assertEqual(outcome(request(), response(200, "https://evil.lab.localhost", "true"), SESSION), "leaked")

    def test_no_allow_origin_is_cors_refused_even_with_the_cookie(self):
        self.assertEqual(outcome(request(), response(200), SESSION), "cors_refused")

    def test_star_or_another_origin_or_no_credentials_flag_is_refused(self):
        for acao, acac in (("*", "true"), ("https://app.lab.localhost", "true"), ("https://evil.lab.localhost", None),
                           ("https://evil.lab.localhost", "True")):
            with self.subTest(acao=acao, acac=acac):
                self.assertEqual(outcome(request(), response(200, acao, acac), SESSION), "cors_refused")

    def test_shared_but_no_cookie_reads_only_a_401(self):
        self.assertEqual(outcome(request(cookies=()), response(401, "https://evil.lab.localhost", "true"), SESSION),
                         "no_cookie")

    def test_null_origin_echoed_is_a_leak(self):
        self.assertEqual(outcome(request(origin="null", site="cross-site"), response(200, "null", "true"), SESSION),
                         "leaked")


class FormOutcomeTests(TestCase):
    def test_post_outcomes(self):
        self.assertEqual(outcome(request(method="POST"), response(200), SESSION), "written")
        self.assertEqual(outcome(request(method="POST"), response(403, reason=ORIGIN_REFUSED), SESSION), "csrf_origin")
        self.assertEqual(outcome(request(method="POST"), response(403, reason="CSRF token from POST incorrect."), SESSION),
                         "csrf_token")
        self.assertEqual(outcome(request(method="POST", cookies=()), response(401), SESSION), "no_cookie")

    def test_an_entry_recorded_before_the_reason_field_is_read_from_its_message(self):
        old = {"status": 403, "headers": {}, "error": {"code": "csrf_failed", "message": ORIGIN_REFUSED}}
        self.assertEqual(outcome(request(method="POST"), old, SESSION), "csrf_origin")


class RowTests(TestCase):
    def test_rows_follow_sec_fetch_site(self):
        self.assertEqual(row_of(request(site="same-site")), "sibling")
        self.assertEqual(row_of(request(site="cross-site")), "cross-site")
