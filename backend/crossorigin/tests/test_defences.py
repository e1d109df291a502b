"""What stopped an attacker's request, from the server's record alone (crossorigin/defences.py):
the cookies page's attacks and the leak tables, one set of codes."""

from unittest import TestCase

from crossorigin.defences import Attempt, attacker_of, what_stopped

SESSION = "sessionid"
SIBLING = "https://evil.lab.localhost"
ATTACKER = "https://attacker.localhost"


def attempt(cookies=(), method="GET", mode="cors", dest="empty", site="cross-site", origin=ATTACKER, status=200,
            acao=None, acac=None, samesite="Lax", csrf_reason=None) -> Attempt:
    """As the ledger records one request and its answer."""
    headers = {name: value for name, value in (("access-control-allow-origin", acao),
                                                ("access-control-allow-credentials", acac)) if value}
    request = {"method": method, "origin": origin, "cookies": list(cookies), "sec_fetch_site": site,
               "sec_fetch_mode": mode, "sec_fetch_dest": dest}
    response = {"status": status, "headers": headers, "session_cookie_samesite": samesite}
    return Attempt.from_ledger(request, response, SESSION, csrf_reason)


def code(**fields) -> str:
    return what_stopped(attempt(**fields), SIBLING).code


class FormPostTests(TestCase):
    def test_cookie_kept_home_and_csrf_403_is_stopped_twice(self):
        stopped = what_stopped(attempt(method="POST", mode="navigate", dest="document", status=403,
                                       csrf_reason="origin_untrusted"), SIBLING)
        self.assertEqual((stopped.code, stopped.kept_home_by), ("stopped_twice", "samesite"))
        message = stopped.message(403, "The request's Origin is not trusted.")
        self.assertIn("SameSite kept the session cookie home", message)
        self.assertIn("The request's Origin is not trusted.", message)

    def test_cookie_arrived_and_a_csrf_403_names_the_check_that_held(self):
        self.assertEqual(code(cookies=[SESSION], method="POST", status=403, samesite="None",
                              csrf_reason="origin_untrusted"), "csrf_origin")
        self.assertEqual(code(cookies=[SESSION], method="POST", status=403, csrf_reason="token_incorrect"), "csrf_token")
        self.assertEqual(code(cookies=[SESSION], method="POST", status=403, csrf_reason="unknown"), "csrf_token")

    def test_cookie_arrived_and_200_means_the_attack_worked(self):
        stopped = what_stopped(attempt(cookies=[SESSION], method="POST", samesite="None"), SIBLING)
        self.assertEqual(stopped.code, "written")
        self.assertIn("The attack WORKED", stopped.message(200))

    def test_samesite_none_cookie_missing_from_a_frame_was_third_party_blocking(self):
        stopped = what_stopped(attempt(method="POST", mode="navigate", dest="iframe", status=401, samesite="None"),
                               SIBLING)
        self.assertEqual((stopped.code, stopped.kept_home_by), ("cookie_kept_home", "third_party"))
        self.assertIn("third-party-cookie blocking", stopped.message(401))

    def test_the_setting_recorded_with_the_request_decides_the_wording_not_todays(self):
        lax = what_stopped(attempt(method="POST", status=401, samesite="Lax"), SIBLING)
        none = what_stopped(attempt(method="POST", status=401, samesite="None"), SIBLING)
        self.assertNotEqual(lax.kept_home_by, none.kept_home_by)

    def test_another_status_is_said_as_it_is(self):
        stopped = what_stopped(attempt(cookies=[SESSION], method="POST", status=400), SIBLING)
        self.assertEqual((stopped.code, stopped.message(400)), ("other", "HTTP 400."))


class ReadingTests(TestCase):
    def test_credentialed_fetch_with_cookie_is_stopped_by_cors(self):
        self.assertEqual(code(cookies=[SESSION]), "cors")

    def test_credentialed_fetch_without_cookie(self):
        stopped = what_stopped(attempt(status=401), SIBLING)
        self.assertEqual((stopped.code, stopped.kept_home_by), ("cors_no_cookie", "samesite"))

    def test_cookie_and_matching_credentialed_cors_is_a_leak(self):
        self.assertEqual(code(cookies=[SESSION], acao=ATTACKER, acac="true"), "leaked")

    def test_star_or_another_origin_or_no_credentials_flag_is_not_shared(self):
        for acao, acac in (("*", "true"), ("https://app.lab.localhost", "true"), (ATTACKER, None), (ATTACKER, "True")):
            with self.subTest(acao=acao, acac=acac):
                self.assertEqual(code(cookies=[SESSION], acao=acao, acac=acac), "cors")

    def test_shared_but_no_cookie_reads_only_a_401(self):
        self.assertEqual(code(status=401, acao=ATTACKER, acac="true"), "cookie_kept_home")

    def test_null_origin_echoed_is_a_leak(self):
        self.assertEqual(code(cookies=[SESSION], origin="null", acao="null", acac="true"), "leaked")

    def test_frame_or_image_with_cookie_is_unreadable_to_the_attacker(self):
        for dest in ("iframe", "image"):
            with self.subTest(dest):
                self.assertEqual(code(cookies=[SESSION], mode="no-cors", dest=dest, origin=None), "embedded")

    def test_top_level_link_with_cookie_is_a_navigation(self):
        self.assertEqual(code(cookies=[SESSION], mode="navigate", dest="document", origin=None), "navigation")

    def test_frame_without_cookie_kept_home(self):
        self.assertEqual(code(mode="navigate", dest="iframe", origin=None, status=401), "cookie_kept_home")


class SiblingTests(TestCase):
    def test_same_site_with_the_sibling_origin_or_none_is_the_sibling(self):
        for origin in (SIBLING, None):
            self.assertEqual(attacker_of("same-site", origin, SIBLING), "sibling")
        self.assertEqual(attacker_of("same-site", "https://app.lab.localhost", SIBLING), "cross-site")
        self.assertEqual(attacker_of("cross-site", None, SIBLING), "cross-site")
        # A sandboxed frame of the sibling: Origin null, and cross-site as the browser says.
        self.assertEqual(attacker_of("cross-site", "null", SIBLING), "cross-site")

    def test_samesite_did_not_hold_when_the_sibling_got_the_cookie_through(self):
        def not_held(**fields):
            return what_stopped(attempt(**fields), SIBLING).not_held

        self.assertEqual(not_held(cookies=[SESSION], site="same-site", origin=SIBLING), "samesite")
        self.assertIsNone(not_held(site="same-site", origin=SIBLING))
        self.assertIsNone(not_held(cookies=[SESSION]))
        stopped = what_stopped(attempt(cookies=[SESSION], site="same-site", origin=SIBLING), SIBLING)
        self.assertIn("SameSite did not help", stopped.not_held_message())

    def test_sibling_form_post_with_the_cookie_is_stopped_by_the_origin_check(self):
        stopped = what_stopped(attempt(cookies=[SESSION], method="POST", site="same-site", origin=SIBLING, status=403,
                                       csrf_reason="origin_untrusted"), SIBLING)
        self.assertEqual((stopped.code, stopped.attacker), ("csrf_origin", "sibling"))
