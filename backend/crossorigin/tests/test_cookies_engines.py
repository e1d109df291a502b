"""cookies.expected() per engine: the cells where Firefox and WebKit were seen to differ from
Chromium, on the lab's .localhost names and on real-suffix names (e2e/test_engines.py, in both
name sets; docs/engines.md)."""

from unittest import TestCase

from crossorigin.cookies import (CONTEXTS_BY_NAME, ENGINE_POLICIES, PROBES, PROBES_BY_NAME, Hosts, expected,
                                 host_is_its_own_site)

BLOCKED = "third-party-cookies-blocked"
LOCALHOST = Hosts(app="app.lab.localhost", api="api.lab.localhost")
# The article's layout on reserved names (RFC 2606): the front on the apex, the API on a subdomain.
EXAMPLE = Hosts(app="example.com", api="django6.example.com")


def cell(probe, context, engine, age=0, hosts=LOCALHOST):
    return expected(PROBES_BY_NAME[probe], CONTEXTS_BY_NAME[context], ENGINE_POLICIES[engine],
                    hosts=hosts, cookie_age_seconds=age, engine=engine)


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
    def test_under_localhost_host_only_cookies_set_by_the_app_pages_fetch_are_never_stored(self):
        for context in ("same-origin", "same-site-fetch", "cross-site-navigation"):
            with self.subTest(context):
                self.assertEqual(cell("probe_lax", context, "webkit"), (False, "not_stored_sibling"))

    def test_under_a_listed_suffix_they_are_stored_and_follow_samesite(self):
        self.assertEqual(cell("probe_lax", "same-site-fetch", "webkit", hosts=EXAMPLE), (True, "same_site"))
        self.assertEqual(cell("probe_host_only", "cross-site-navigation", "webkit", hosts=EXAMPLE), (True, "lax_top_level_get"))
        self.assertEqual(cell("probe_strict", "cross-site-navigation", "webkit", hosts=EXAMPLE), (False, "strict_cross_site"))

    def test_the_two_name_sets_differ_only_in_webkits_host_only_cookies(self):
        for engine in ENGINE_POLICIES:
            for probe in PROBES:
                for context in CONTEXTS_BY_NAME:
                    with self.subTest(engine=engine, probe=probe.name, context=context):
                        differ = cell(probe.name, context, engine) != cell(probe.name, context, engine, hosts=EXAMPLE)
                        self.assertEqual(differ, engine == "webkit" and not probe.shared_with_site
                                         and context != "app-document-cookie")

    def test_on_listed_names_it_sends_the_none_cookies_it_holds_into_other_sites_frames_and_fetches(self):
        for probe in ("probe_none", "probe_unspecified"):
            for context in ("cross-site-fetch", "cross-site-iframe", "cross-site-image"):
                with self.subTest(probe=probe, context=context):
                    self.assertEqual(cell(probe, context, "webkit", hosts=EXAMPLE), (True, "none_third_party_sent_held"))
                    self.assertEqual(cell(probe, context, "webkit"), (False, "not_stored_sibling"))

    def test_domain_cookie_follows_lax(self):
        self.assertEqual(cell("probe_domain", "same-site-fetch", "webkit"), (True, "same_site"))
        self.assertEqual(cell("probe_domain", "cross-site-navigation", "webkit"), (True, "lax_top_level_get"))
        self.assertEqual(cell("probe_domain", "cross-site-form-post", "webkit")[0], False)


class HostIsItsOwnSiteTests(TestCase):
    """The rule, by the Public Suffix List's section of the host's suffix (sites.suffix_section)."""

    def test_only_webkit_and_only_off_the_list(self):
        for host, off_the_list in [("api.lab.localhost", True), ("api.lab.test", True), ("django6.example.com", False),
                                   ("api.example.co.jp", False), ("alice-api.github.io", False)]:
            with self.subTest(host):
                self.assertEqual(host_is_its_own_site("webkit", host), off_the_list)
                self.assertFalse(host_is_its_own_site("chromium", host))
                self.assertFalse(host_is_its_own_site("firefox", host))


class OneSiteTests(TestCase):
    def test_the_matrix_is_made_for_an_app_and_an_api_of_one_site(self):
        self.assertTrue(LOCALHOST.one_site)
        self.assertTrue(EXAMPLE.one_site)
        self.assertTrue(Hosts(app="kikuichige.com", api="django6.kikuichige.com").one_site)

    def test_two_names_under_a_private_suffix_are_two_sites_and_are_not_modelled(self):
        pair = Hosts(app="alice.github.io", api="alice-api.github.io")
        self.assertFalse(pair.one_site)
        with self.assertRaisesRegex(ValueError, "two"):
            cell("probe_lax", "same-site-fetch", "chromium", hosts=pair)
