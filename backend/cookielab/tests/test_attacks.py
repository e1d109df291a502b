"""Which defence held, from the server's record alone (cookielab/attacks.py)."""

from unittest import TestCase

from cookielab.attacks import defence

SESSION = "sessionid"


def seen(cookies=(), mode="navigate", dest="document"):
    return {"cookies": list(cookies), "sec_fetch_mode": mode, "sec_fetch_dest": dest}


ORIGIN_REFUSED = "Origin checking failed - https://attacker.localhost does not match any trusted origins."


def answered(status, samesite="Lax", reason=None):
    # As the ledger records a CSRF 403: the message in the attack's language, Django's reason as is.
    return {"status": status, "session_cookie_samesite": samesite,
            "error": {"code": "csrf_failed", "message": "...", "reason": reason} if reason else None}


class FormPostTests(TestCase):
    def test_cookie_kept_home_and_csrf_403_is_stopped_twice(self):
        held = defence(seen(), answered(403, reason=ORIGIN_REFUSED), SESSION, reads_data=False)
        self.assertEqual((held.code, held.kept_home_by), ("stopped_twice", "samesite"))
        self.assertIn("The request's Origin, https://attacker.localhost, is not trusted", held.message(403))
        self.assertIn("SameSite kept the session cookie home", held.message(403))

    def test_cookie_arrived_and_csrf_403_is_csrf_alone(self):
        held = defence(seen([SESSION]), answered(403, "None", ORIGIN_REFUSED), SESSION, reads_data=False)
        self.assertEqual(held.code, "csrf")

    def test_cookie_arrived_and_200_means_the_attack_worked(self):
        self.assertEqual(defence(seen([SESSION]), answered(200, "None"), SESSION, reads_data=False).code, "worked")

    def test_samesite_none_cookie_missing_from_a_frame_was_third_party_blocking(self):
        held = defence(seen(mode="navigate", dest="iframe"), answered(401, "None"), SESSION, reads_data=False)
        self.assertEqual((held.code, held.kept_home_by), ("cookie_kept_home", "third_party"))
        self.assertIn("third-party-cookie blocking", held.message(401))

    def test_the_setting_recorded_with_the_request_decides_the_wording_not_todays(self):
        lax = defence(seen(), answered(401, "Lax"), SESSION, reads_data=False)
        none = defence(seen(), answered(401, "None"), SESSION, reads_data=False)
        self.assertNotEqual(lax.kept_home_by, none.kept_home_by)


class ReadingTests(TestCase):
    def test_credentialed_fetch_with_cookie_is_stopped_by_cors(self):
        self.assertEqual(defence(seen([SESSION], mode="cors", dest="empty"), answered(200), SESSION, reads_data=True).code,
                         "cors")

    def test_credentialed_fetch_without_cookie(self):
        held = defence(seen(mode="cors", dest="empty"), answered(401), SESSION, reads_data=True)
        self.assertEqual((held.code, held.kept_home_by), ("cors_no_cookie", "samesite"))

    def test_frame_or_image_with_cookie_is_unreadable_to_the_attacker(self):
        for dest in ("iframe", "image"):
            with self.subTest(dest):
                self.assertEqual(defence(seen([SESSION], dest=dest, mode="no-cors"), answered(200), SESSION,
                                         reads_data=True).code, "embedded")

    def test_top_level_link_with_cookie_is_a_navigation(self):
        self.assertEqual(defence(seen([SESSION]), answered(200), SESSION, reads_data=True).code, "navigation")


class SiblingTests(TestCase):
    SIBLING = "https://evil.lab.localhost"

    def test_same_site_with_the_sibling_origin_or_none_is_the_sibling(self):
        from cookielab.attacks import attacker_of

        for origin in (self.SIBLING, None):
            self.assertEqual(attacker_of({"sec_fetch_site": "same-site", "origin": origin}, self.SIBLING), "sibling")
        self.assertEqual(attacker_of({"sec_fetch_site": "same-site", "origin": "https://app.lab.localhost"},
                                     self.SIBLING), "cross-site")
        self.assertEqual(attacker_of({"sec_fetch_site": "cross-site", "origin": None}, self.SIBLING), "cross-site")

    def test_samesite_did_not_hold_when_the_sibling_got_the_cookie_through(self):
        from cookielab.attacks import not_held

        self.assertEqual(not_held(seen([SESSION]), SESSION, "sibling"), "samesite")
        self.assertIsNone(not_held(seen(), SESSION, "sibling"))
        self.assertIsNone(not_held(seen([SESSION]), SESSION, "cross-site"))

    def test_sibling_form_post_with_the_cookie_is_stopped_by_the_origin_check(self):
        held = defence(seen([SESSION]), answered(403, "Lax", ORIGIN_REFUSED),
                       SESSION, reads_data=False)
        self.assertEqual(held.code, "csrf")
