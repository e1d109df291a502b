"""DjangoSettings: the names Django and django-cors-headers read, as they read them. The
behaviour is each library's own (Django's validate_host and CsrfViewMiddleware._origin_verified,
CorsMiddleware.origin_found_in_white_lists); cors_doctor/tests/test_server.py runs the real
middleware beside the model."""

import re
from unittest import TestCase

from crossorigin.deployment.settings import DEFAULT_CORS_ALLOW_HEADERS, REGEX, SEQUENCE, TEXT, DjangoSettings

API = "https://django6.kikuichige.com"


class ReadingTests(TestCase):
    def test_absent_names_keep_the_defaults(self):
        settings = DjangoSettings.of({})
        self.assertEqual(settings.CORS_ALLOW_HEADERS, DEFAULT_CORS_ALLOW_HEADERS)
        self.assertEqual((settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_NAME), ("Lax", "csrftoken"))
        self.assertIsNone(settings.MIDDLEWARE)

    def test_the_old_cors_names_are_read_when_the_new_ones_are_absent(self):
        settings = DjangoSettings.of({"CORS_ORIGIN_WHITELIST": ["https://a.example"], "CORS_ORIGIN_ALLOW_ALL": True})
        self.assertEqual(settings.CORS_ALLOWED_ORIGINS, ("https://a.example",))
        self.assertTrue(settings.CORS_ALLOW_ALL_ORIGINS)
        both = DjangoSettings.of({"CORS_ORIGIN_WHITELIST": ["https://old.example"], "CORS_ALLOWED_ORIGINS": ["https://new.example"]})
        self.assertEqual(both.CORS_ALLOWED_ORIGINS, ("https://new.example",))

    def test_a_value_of_the_wrong_type_is_a_problem_and_keeps_the_default(self):
        settings = DjangoSettings.of({"CORS_ALLOWED_ORIGINS": "https://kikuichige.com", "CORS_ALLOW_CREDENTIALS": "yes",
                                      "CSRF_COOKIE_NAME": 7})
        self.assertEqual(settings.CORS_ALLOWED_ORIGINS, ())
        self.assertFalse(settings.CORS_ALLOW_CREDENTIALS)
        self.assertEqual(dict(settings.problems), {"CORS_ALLOWED_ORIGINS": SEQUENCE, "CORS_ALLOW_CREDENTIALS": "True or False",
                                                   "CSRF_COOKIE_NAME": TEXT})

    def test_a_regex_re_refuses_is_a_problem(self):
        settings = DjangoSettings.of({"CORS_URLS_REGEX": "*", "CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://ok\.example$", "(x"]})
        self.assertEqual(dict(settings.problems), {"CORS_URLS_REGEX": REGEX, "CORS_ALLOWED_ORIGIN_REGEXES": REGEX})
        self.assertEqual(settings.CORS_ALLOWED_ORIGIN_REGEXES, ())

    def test_samesite_none_and_false_both_mean_no_attribute(self):
        """Django's set_cookie() writes no SameSite for None or False; "None" is the attribute."""
        self.assertIsNone(DjangoSettings.of({"SESSION_COOKIE_SAMESITE": False}).SESSION_COOKIE_SAMESITE)
        self.assertIsNone(DjangoSettings.of({"SESSION_COOKIE_SAMESITE": None}).SESSION_COOKIE_SAMESITE)
        self.assertEqual(DjangoSettings.of({"SESSION_COOKIE_SAMESITE": "None"}).SESSION_COOKIE_SAMESITE, "None")

    def test_compiled_regexes_are_read_as_their_patterns(self):
        settings = DjangoSettings.of({"CORS_ALLOWED_ORIGIN_REGEXES": [re.compile(r"^https://a\.example$")]})
        self.assertEqual(settings.CORS_ALLOWED_ORIGIN_REGEXES, (r"^https://a\.example$",))

    def test_the_csrf_header_as_the_page_sends_it(self):
        self.assertEqual(DjangoSettings().csrf_header(), "X-CSRFToken")
        self.assertEqual(DjangoSettings.of({"CSRF_HEADER_NAME": "HTTP_X_XSRF_TOKEN"}).csrf_header(), "X-Xsrf-Token")

    def test_csrf_use_sessions_puts_the_secret_in_the_session_cookie(self):
        self.assertEqual(DjangoSettings.of({"CSRF_USE_SESSIONS": True}).csrf_cookie()["name"], "sessionid")


class AllowedHostsTests(TestCase):
    """https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts"""

    def test_exact_names_wildcard_and_subdomain_patterns(self):
        self.assertTrue(DjangoSettings.of({"ALLOWED_HOSTS": ["django6.kikuichige.com"]}).host_allowed("django6.kikuichige.com"))
        self.assertTrue(DjangoSettings.of({"ALLOWED_HOSTS": ["*"]}).host_allowed("anything.example"))
        subdomains = DjangoSettings.of({"ALLOWED_HOSTS": [".kikuichige.com"]})
        self.assertTrue(subdomains.host_allowed("kikuichige.com"))
        self.assertTrue(subdomains.host_allowed("django6.kikuichige.com"))
        self.assertFalse(subdomains.host_allowed("evilkikuichige.com"))

    def test_an_empty_list_allows_only_localhost_names_and_only_with_debug(self):
        self.assertFalse(DjangoSettings().host_allowed("localhost"))
        debug = DjangoSettings.of({"DEBUG": True})
        self.assertTrue(debug.host_allowed("localhost"))
        self.assertTrue(debug.host_allowed("api.localhost"))
        self.assertFalse(debug.host_allowed("django6.kikuichige.com"))


class CorsOriginTests(TestCase):
    def test_an_origin_matches_by_scheme_and_host_and_port(self):
        settings = DjangoSettings.of({"CORS_ALLOWED_ORIGINS": ["https://kikuichige.com"]})
        self.assertTrue(settings.cors_allows("https://kikuichige.com"))
        self.assertFalse(settings.cors_allows("http://kikuichige.com"))
        self.assertFalse(settings.cors_allows("https://kikuichige.com:8443"))
        self.assertFalse(settings.cors_allows("https://www.kikuichige.com"))

    def test_a_trailing_slash_in_the_setting_still_matches(self):
        """urlsplit's netloc ignores the path, as django-cors-headers compares them."""
        self.assertTrue(DjangoSettings.of({"CORS_ALLOWED_ORIGINS": ["https://kikuichige.com/"]}).cors_allows("https://kikuichige.com"))

    def test_regexes_run_with_re_match_or_the_matcher_given(self):
        settings = DjangoSettings.of({"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.kikuichige\.com$"]})
        self.assertTrue(settings.cors_allows("https://www.kikuichige.com"))
        self.assertFalse(settings.cors_allows("https://www.kikuichige.com", regex_match=lambda pattern, text: False))

    def test_cors_urls_regex_decides_where_cors_applies(self):
        settings = DjangoSettings.of({"CORS_URLS_REGEX": r"^/api/"})
        self.assertTrue(settings.cors_enabled("/api/hello/"))
        self.assertFalse(settings.cors_enabled("/cors_project/api/hello/"))
        self.assertFalse(DjangoSettings.of({"MIDDLEWARE": []}).cors_enabled("/api/hello/"))


class CsrfOriginTests(TestCase):
    def test_another_origin_must_be_listed_exactly_or_by_a_subdomain_wildcard(self):
        settings = DjangoSettings.of({"CSRF_TRUSTED_ORIGINS": ["https://kikuichige.com", "https://*.example.com"]})
        self.assertTrue(settings.csrf_trusts("https://kikuichige.com", API))
        self.assertFalse(settings.csrf_trusts("https://www.kikuichige.com", API))
        self.assertTrue(settings.csrf_trusts("https://a.example.com", API))
        self.assertFalse(settings.csrf_trusts("http://a.example.com", API))

    def test_the_apis_own_origin_is_trusted_only_if_django_sees_the_https(self):
        """Origin and Host equal, and still 'Origin checking failed': the TLS proxy Django was not told about."""
        self.assertFalse(DjangoSettings().csrf_trusts(API, API))
        self.assertTrue(DjangoSettings.of({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}).csrf_trusts(API, API))
        self.assertTrue(DjangoSettings().csrf_trusts("http://localhost:8000", "http://localhost:8000"))
