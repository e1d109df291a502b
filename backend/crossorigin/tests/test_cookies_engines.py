"""cookies.expected() per engine: the cells where Firefox and WebKit were seen to differ from
Chromium (e2e/test_engines.py, docs/engines.md)."""

from unittest import TestCase

from crossorigin.cookies import CONTEXTS_BY_NAME, ENGINE_POLICIES, PROBES_BY_NAME, expected

BLOCKED = "third-party-cookies-blocked"


def cell(probe, context, engine, age=0):
    return expected(PROBES_BY_NAME[probe], CONTEXTS_BY_NAME[context], ENGINE_POLICIES[engine], age, engine=engine)


class NoSameSiteTests(TestCase):
    def test_chromium_lax_by_default_closes_after_two_minutes(self):
        self.assertEqual(cell("probe_unspecified", "cross-site-form-post", "chromium", 10)[0], True)
        self.assertEqual(cell("probe_unspecified", "cross-site-form-post", "chromium", 130)[0], False)

    def test_firefox_sends_it_on_a_cross_site_post_at_any_age(self):
        self.assertEqual(cell("probe_unspecified", "cross-site-form-post", "firefox", 600), (True, "default_none"))

    def test_firefox_keeps_it_out_of_cross_site_frames_by_partitioning(self):
        self.assertEqual(cell("probe_unspecified", "cross-site-iframe", "firefox"), (False, "none_third_party_partitioned"))
        self.assertEqual(cell("probe_none", "cross-site-fetch", "firefox"), (False, "none_third_party_partitioned"))


class WebKitTests(TestCase):
    def test_host_only_cookies_set_by_a_sibling_fetch_are_never_stored(self):
        for context in ("same-origin", "same-site-fetch", "cross-site-navigation"):
            with self.subTest(context):
                self.assertEqual(cell("probe_lax", context, "webkit"), (False, "not_stored_sibling"))

    def test_domain_cookie_follows_lax(self):
        self.assertEqual(cell("probe_domain", "same-site-fetch", "webkit"), (True, "same_site"))
        self.assertEqual(cell("probe_domain", "cross-site-navigation", "webkit"), (True, "lax_top_level_get"))
        self.assertEqual(cell("probe_domain", "cross-site-form-post", "webkit")[0], False)
