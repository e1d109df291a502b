"""The SameSite rules on their own. (e2e/test_cookies.py checks every cell against Chromium.)"""

from unittest import TestCase

from crossorigin.cookies import CONTEXTS_BY_NAME, PROBES_BY_NAME, WHY, Hosts, Probe, expected

BLOCKED, ALLOWED = "third-party-cookies-blocked", "third-party-cookies-allowed"
# Chromium's rules, which these names do not change (test_cookies_engines.py: the names that do).
LAB = Hosts(app="app.lab.localhost", api="api.lab.localhost")


def sent(probe, context, policy=BLOCKED, age=0):
    return expected(PROBES_BY_NAME[probe], CONTEXTS_BY_NAME[context], policy, hosts=LAB, cookie_age_seconds=age)[0]


class SameSiteRulesTests(TestCase):
    def test_every_probe_is_sent_on_same_site_requests(self):
        for probe in PROBES_BY_NAME:
            for context in ("same-origin", "same-site-fetch"):
                with self.subTest(probe=probe, context=context):
                    self.assertTrue(sent(probe, context))

    def test_strict_is_never_sent_cross_site(self):
        for context in CONTEXTS_BY_NAME.values():
            if context.cross_site:
                self.assertFalse(sent("probe_strict", context.name, ALLOWED))

    def test_lax_is_sent_on_a_cross_site_top_level_get_only(self):
        self.assertTrue(sent("probe_lax", "cross-site-navigation"))
        for context in ("cross-site-form-post", "cross-site-fetch", "cross-site-iframe", "cross-site-image"):
            self.assertFalse(sent("probe_lax", context, ALLOWED))

    def test_none_in_frames_images_and_fetches_follows_the_third_party_policy(self):
        for context in ("cross-site-fetch", "cross-site-iframe", "cross-site-image"):
            self.assertFalse(sent("probe_none", context, BLOCKED))
            self.assertTrue(sent("probe_none", context, ALLOWED))

    def test_none_on_top_level_navigations_is_first_party_in_both_policies(self):
        for policy in (BLOCKED, ALLOWED):
            self.assertTrue(sent("probe_none", "cross-site-navigation", policy))
            self.assertTrue(sent("probe_none", "cross-site-form-post", policy))

    def test_unspecified_samesite_is_lax_except_for_a_recent_cookie_on_a_top_level_post(self):
        self.assertTrue(sent("probe_unspecified", "cross-site-form-post", age=30))
        self.assertFalse(sent("probe_unspecified", "cross-site-form-post", age=121))
        self.assertFalse(sent("probe_unspecified", "cross-site-iframe", ALLOWED))

    def test_an_old_unspecified_cookie_left_out_of_a_post_says_it_was_too_old(self):
        post = CONTEXTS_BY_NAME["cross-site-form-post"]
        self.assertEqual(expected(PROBES_BY_NAME["probe_unspecified"], post, BLOCKED, hosts=LAB, cookie_age_seconds=121)[1],
                         "default_lax_old_post")

    def test_only_the_domain_cookie_is_visible_to_the_app_script(self):
        visible = [p for p in PROBES_BY_NAME if sent(p, "app-document-cookie")]
        self.assertEqual(visible, ["probe_domain"])

    def test_every_reason_has_a_sentence(self):
        for probe in PROBES_BY_NAME.values():
            for context in CONTEXTS_BY_NAME.values():
                for policy in (BLOCKED, ALLOWED):
                    self.assertIn(expected(probe, context, policy, hosts=LAB)[1], WHY)


class AttributeReadingTests(TestCase):
    """RFC 6265bis, "The SameSite Attribute": the value is matched case-insensitively, and an
    unknown value means default enforcement, as if there were no attribute."""

    def test_values_are_case_insensitive(self):
        navigation, frame = CONTEXTS_BY_NAME["cross-site-navigation"], CONTEXTS_BY_NAME["cross-site-iframe"]
        self.assertFalse(expected(Probe("p", "strict"), navigation, BLOCKED, hosts=LAB)[0])
        self.assertEqual(expected(Probe("p", "none"), frame, ALLOWED, hosts=LAB), (True, "none_third_party_allowed"))
        self.assertEqual(expected(Probe("p", "LAX"), navigation, BLOCKED, hosts=LAB), (True, "lax_top_level_get"))

    def test_an_unknown_value_is_no_attribute(self):
        post = CONTEXTS_BY_NAME["cross-site-form-post"]
        self.assertEqual(expected(Probe("p", "Bogus"), post, BLOCKED, hosts=LAB, cookie_age_seconds=10),
                         (True, "default_lax_recent_post"))


class TwoMinuteWindowTests(TestCase):
    def test_the_window_includes_its_last_second(self):
        # "a cookie age of 2 minutes or less" (RFC 6265bis); Chromium's IsRecentlyCreated is <=.
        self.assertTrue(sent("probe_unspecified", "cross-site-form-post", age=120))
        self.assertFalse(sent("probe_unspecified", "cross-site-form-post", age=120.5))
