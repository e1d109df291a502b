"""The fate of the API's cookies, per engine: RFC 6265bis's storage rules, then each engine's
third-party policy. The Firefox and WebKit profiles are fitted from what e2e/test_doctor_flows.py
saw those browsers do on the lab's layouts; these tests pin each rule of the profiles."""

from unittest import TestCase

from crossorigin.deployment.jars import ENGINES, PROFILES, SetCookie, sent, stored
from crossorigin.tests.test_sites import SECTIONS

SAME_SITE = ("https://kikuichige.com", "https://django6.kikuichige.com/api/csrf/")
CROSS_SITE = ("https://myapp.vercel.app", "https://myapi.onrender.com/api/csrf/")


def fate(cookie: SetCookie, pair=SAME_SITE, engine="chromium"):
    front, url = pair
    result = stored(cookie, front, url, engine)
    return result.ok, result.reason


class StorageRulesTests(TestCase):
    """RFC 6265bis 5.7, in every engine alike."""

    def test_a_secure_cookie_from_an_http_api_is_refused_except_on_loopback_in_chromium_and_firefox(self):
        cookie = SetCookie("csrftoken", "Lax", secure=True)
        for engine in ENGINES:
            self.assertEqual(fate(cookie, ("http://kikuichige.com", "http://django6.kikuichige.com/"), engine),
                             (False, "secure_over_http"))
        loopback = ("http://localhost:5173", "http://localhost:8000/api/csrf/")
        self.assertTrue(fate(cookie, loopback, "chromium")[0])
        self.assertTrue(fate(cookie, loopback, "firefox")[0])
        self.assertEqual(fate(cookie, loopback, "webkit"), (False, "secure_over_http"))  # libsoup: https only
        # Every name under .localhost counts as loopback too: the lab's dev layout, http://dev.localhost.
        dev_layout = ("http://dev.localhost:5173", "http://dev.localhost:8000/api/csrf/")
        self.assertTrue(fate(cookie, dev_layout, "chromium")[0])
        self.assertEqual(fate(cookie, ("http://dev.test:5173", "http://dev.test:8000/api/csrf/"), "chromium"),
                         (False, "secure_over_http"))

    def test_a_domain_must_cover_the_apis_host_and_not_be_a_public_suffix(self):
        self.assertEqual(fate(SetCookie("s", "Lax", domain="example.com")), (False, "domain_mismatch"))
        self.assertEqual(fate(SetCookie("s", "Lax", domain="kikuichige.com")), (True, "first_party"))
        # github.io is a rule of the list's private section: no cookie may name it.
        self.assertIn("github.io", SECTIONS["private"])
        pair = ("https://alice.github.io", "https://alice-api.github.io/api/csrf/")
        self.assertEqual(fate(SetCookie("s", "None", secure=True, domain="github.io"), pair), (False, "domain_public_suffix"))

    def test_the_prefixes_require_what_they_promise(self):
        self.assertEqual(fate(SetCookie("__Host-csrftoken", "Lax", secure=True, domain="kikuichige.com")), (False, "prefix"))
        self.assertEqual(fate(SetCookie("__Host-csrftoken", "Lax", secure=True, path="/api/")), (False, "prefix"))
        self.assertEqual(fate(SetCookie("__Secure-sessionid", "Lax")), (False, "prefix"))
        self.assertTrue(fate(SetCookie("__Host-csrftoken", "Lax", secure=True))[0])

    def test_samesite_none_needs_secure_in_every_engine(self):
        for engine in ENGINES:
            self.assertEqual(fate(SetCookie("s", "None"), SAME_SITE, engine), (False, "none_without_secure"))


class CrossSiteTests(TestCase):
    """A cookie the API sets in answer to another site's fetch."""

    def fates(self, cookie: SetCookie) -> dict:
        return {engine: fate(cookie, CROSS_SITE, engine) for engine in ENGINES}

    def test_lax_and_strict_are_refused_everywhere(self):
        for samesite in ("Lax", "Strict", "lax"):
            for engine, (ok, reason) in self.fates(SetCookie("s", samesite, secure=True)).items():
                self.assertFalse(ok, engine)
                self.assertIn(reason, ("samesite_cross_site", "third_party_refused"))

    def test_none_and_secure_depend_on_the_engines_third_party_policy(self):
        self.assertEqual(self.fates(SetCookie("s", "None", secure=True)), {
            "chromium": (True, "third_party_allowed"),
            "chromium-3pc-blocked": (False, "third_party_blocked"),
            "firefox": (True, "total_cookie_protection"),
            "webkit": (False, "third_party_refused"),
        })

    def test_partitioned_keeps_it_where_chips_is_supported(self):
        fates = self.fates(SetCookie("s", "None", secure=True, partitioned=True))
        self.assertEqual(fates["chromium-3pc-blocked"], (True, "partitioned"))
        self.assertEqual(fates["chromium"], (True, "partitioned"))
        self.assertEqual(fates["webkit"], (False, "third_party_refused"))
        self.assertEqual(stored(SetCookie("s", "None", True, partitioned=True), *CROSS_SITE, "chromium").partition,
                         "https://myapp.vercel.app")

    def test_no_samesite_is_lax_in_chromium_only(self):
        fates = self.fates(SetCookie("s", None, secure=True))
        self.assertEqual(fates["chromium"], (False, "default_lax_cross_site"))
        self.assertEqual(fates["firefox"], (True, "total_cookie_protection"))

    def test_an_http_front_is_another_site_for_chromium_and_the_same_for_firefox(self):
        """Schemeful same-site: Chromium compares schemes; Firefox ESR ships sameSite.schemeful false."""
        pair = ("http://kikuichige.com", "https://django6.kikuichige.com/api/csrf/")
        cookie = SetCookie("s", "Lax", secure=True)
        self.assertEqual(fate(cookie, pair, "chromium"), (False, "samesite_cross_site"))
        self.assertEqual(fate(cookie, pair, "firefox"), (True, "first_party"))
        self.assertTrue(PROFILES["chromium"].schemeful and not PROFILES["firefox"].schemeful)


class WebKitTests(TestCase):
    """libsoup's no-third-party rule: the base domain of the cookie's domain against the page's."""

    def test_a_listed_tld_makes_subdomains_one_site(self):
        self.assertEqual(fate(SetCookie("s", "Lax"), SAME_SITE, "webkit"), (True, "first_party"))
        pair = ("https://www.example.co.jp", "https://api.example.co.jp/api/csrf/")
        self.assertEqual(fate(SetCookie("s", "Lax"), pair, "webkit"), (True, "first_party"))

    def test_under_an_unlisted_tld_only_a_domain_cookie_of_the_site_is_kept(self):
        for tld in ("localhost", "test"):
            pair = (f"https://app.lab.{tld}", f"https://api.lab.{tld}/api/csrf/")
            with self.subTest(tld):
                self.assertEqual(fate(SetCookie("s", "Lax"), pair, "webkit"), (False, "unlisted_tld"))
                self.assertEqual(fate(SetCookie("s", "Lax", domain=f"lab.{tld}"), pair, "webkit"), (True, "first_party"))
                self.assertEqual(fate(SetCookie("s", "Lax"), pair, "chromium"), (True, "first_party"))

    def test_one_host_under_an_unlisted_tld_is_its_own_first_party(self):
        self.assertTrue(fate(SetCookie("s", "Lax"), ("http://localhost:5173", "http://localhost:8000/"), "webkit")[0])

    def test_another_site_under_an_unlisted_tld_is_refused_even_with_a_domain(self):
        pair = ("https://app.front.localhost", "https://api.lab.localhost/api/csrf/")
        self.assertEqual(fate(SetCookie("s", "None", True, domain="lab.localhost"), pair, "webkit"), (False, "third_party_refused"))


class SendingTests(TestCase):
    def test_a_cookie_goes_only_to_the_paths_it_covers(self):
        cookie = SetCookie("sessionid", "Lax", path="/admin")
        self.assertFalse(sent(cookie, "https://django6.kikuichige.com/api/me/", "chromium").ok)
        self.assertTrue(sent(cookie, "https://django6.kikuichige.com/admin/x", "chromium").ok)
        self.assertFalse(sent(cookie, "https://django6.kikuichige.com/administrator", "chromium").ok)
        self.assertTrue(sent(SetCookie("s", "Lax"), "https://django6.kikuichige.com/api/me/", "chromium").ok)


class ParsingTests(TestCase):
    """RFC 6265bis 5.7: attribute names and SameSite values are case-insensitive; an unknown
    SameSite value is no attribute; a missing or relative Path is the default-path."""

    URL = "https://api.example.com/api/csrf/"

    def test_attributes(self):
        cookie = SetCookie.parse("csrftoken=abc; expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=31449600; Path=/; "
                                 "SAMESITE=none; secure; Domain=.Example.com; Partitioned", self.URL)
        self.assertEqual((cookie.name, cookie.same_site, cookie.secure, cookie.domain, cookie.path, cookie.partitioned),
                         ("csrftoken", "None", True, "example.com", "/", True))

    def test_an_unknown_samesite_is_no_attribute_and_a_missing_path_is_the_default_path(self):
        cookie = SetCookie.parse("a=b; SameSite=Bogus", self.URL)
        self.assertIsNone(cookie.same_site)
        # Up to, not including, the right-most "/": of /api/csrf/ that is /api/csrf.
        self.assertEqual(cookie.path, "/api/csrf")
        self.assertEqual(SetCookie.parse("a=b; Path=relative", "https://api.example.com/me").path, "/")

    def test_a_deletion_is_a_cleared_cookie(self):
        self.assertTrue(SetCookie.parse('sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/', self.URL).cleared)
        self.assertFalse(SetCookie.parse("sessionid=abc; Path=/", self.URL).cleared)
        self.assertIsNone(SetCookie.parse("no pair here", self.URL))
