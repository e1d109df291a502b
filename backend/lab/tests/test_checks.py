"""One test per system check ID (lab/checks.py)."""

from django.test import SimpleTestCase, override_settings

from lab import checks


class SystemCheckTests(SimpleTestCase):
    def ids(self, check) -> list[str]:
        return [message.id for message in check(None)]

    @override_settings(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=False)
    def test_e001_samesite_none_without_secure(self):
        self.assertEqual(self.ids(checks.samesite_none_needs_secure), ["lab.E001"])

    @override_settings(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=True)
    def test_e001_silent_when_secure(self):
        self.assertEqual(self.ids(checks.samesite_none_needs_secure), [])

    @override_settings(LAB_PARTITIONED_COOKIES=True, SESSION_COOKIE_SECURE=False)
    def test_e003_partitioned_without_secure(self):
        self.assertEqual(self.ids(checks.partitioned_needs_secure), ["lab.E003"])

    @override_settings(LAB_PARTITIONED_COOKIES=True, SESSION_COOKIE_SECURE=True)
    def test_e003_silent_when_secure(self):
        self.assertEqual(self.ids(checks.partitioned_needs_secure), [])

    @override_settings(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_CREDENTIALS=True)
    def test_e002_every_origin_with_credentials(self):
        self.assertEqual(self.ids(checks.no_credentials_for_every_origin), ["lab.E002"])

    @override_settings(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_CREDENTIALS=False)
    def test_e002_silent_without_credentials(self):
        self.assertEqual(self.ids(checks.no_credentials_for_every_origin), [])

    def test_w001_attacker_in_csrf_trusted_origins(self):
        from django.conf import settings

        with override_settings(CSRF_TRUSTED_ORIGINS=[settings.LAB_APP_ORIGIN, settings.LAB_ATTACKER_ORIGIN]):
            self.assertEqual(self.ids(checks.csrf_trusts_no_attacker), ["lab.W001"])
        self.assertEqual(self.ids(checks.csrf_trusts_no_attacker), [])

    def test_w002_csrf_exempt_variant(self):
        with override_settings(LAB_DISPLAY_NAME_CSRF_EXEMPT=True):
            self.assertEqual(self.ids(checks.csrf_exempt_variant_is_on), ["lab.W002"])
        self.assertEqual(self.ids(checks.csrf_exempt_variant_is_on), [])

    @override_settings(CSRF_COOKIE_NAME="__Host-csrftoken", CSRF_COOKIE_DOMAIN="lab.localhost")
    def test_e004_host_prefix_with_a_domain(self):
        self.assertEqual(self.ids(checks.cookie_prefixes_hold), ["lab.E004"])

    @override_settings(CSRF_COOKIE_NAME="__Host-csrftoken", CSRF_COOKIE_PATH="/api/")
    def test_e004_host_prefix_with_a_path(self):
        self.assertEqual(self.ids(checks.cookie_prefixes_hold), ["lab.E004"])

    @override_settings(SESSION_COOKIE_NAME="__Secure-sessionid", SESSION_COOKIE_SECURE=False)
    def test_e004_secure_prefix_without_secure(self):
        self.assertEqual(self.ids(checks.cookie_prefixes_hold), ["lab.E004"])

    @override_settings(CSRF_COOKIE_NAME="__Host-csrftoken", CSRF_COOKIE_DOMAIN=None, CSRF_COOKIE_SECURE=True)
    def test_e004_silent_for_a_host_only_secure_host_cookie(self):
        self.assertEqual(self.ids(checks.cookie_prefixes_hold), [])

    @override_settings(LAB_DEV_LAYOUT=True, SECURE_SSL_REDIRECT=True)
    def test_e005_dev_layout_with_the_redirect_to_https(self):
        self.assertEqual(self.ids(checks.dev_layout_is_plain_http), ["lab.E005"])

    @override_settings(LAB_DEV_LAYOUT=True, SECURE_SSL_REDIRECT=False)
    def test_e005_silent_without_it(self):
        self.assertEqual(self.ids(checks.dev_layout_is_plain_http), [])

    def test_w106_either_half_of_the_scheme_missing(self):
        for changes in ({"LAB_PROXY_FORWARDED_PROTO": False}, {"SECURE_PROXY_SSL_HEADER": None}):
            with self.subTest(changes), override_settings(**changes):
                [warning] = checks.scheme_reaches_django(None)
                self.assertEqual(warning.id, "lab.W106")
                self.assertIn("loop", warning.hint)  # SECURE_SSL_REDIRECT is on in .env.example
        self.assertEqual(self.ids(checks.scheme_reaches_django), [])


class HealthTests(SimpleTestCase):
    databases = {"default"}

    def test_healthz_answers_when_the_database_does(self):
        from testing import ApiClient

        self.assertEqual(ApiClient().get("/healthz/").json(), {"ok": True, "database": "ok"})

    def test_healthz_is_503_when_the_database_does_not_answer(self):
        from unittest import mock

        from django.db import OperationalError

        from testing import ApiClient

        with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("disk I/O error")):
            response = ApiClient().get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["error"], "database_unavailable")


class LeakyMistakeCheckTests(SimpleTestCase):
    """One test per check ID of the leak catalogue's mistakes (backend/leaks/catalogue.py)."""

    def ids(self, check) -> list[str]:
        return [message.id for message in check(None)]

    def test_the_lab_settings_raise_none(self):
        self.assertEqual(self.ids(checks.cors_origin_tests_that_leak), [])
        self.assertEqual(self.ids(checks.csrf_trusts_no_subdomain_wildcard), [])

    @override_settings(CORS_ALLOWED_ORIGINS=["https://app.lab.localhost", "null"])
    def test_w101_null_origin(self):
        self.assertEqual(self.ids(checks.cors_origin_tests_that_leak), ["lab.W101"])

    @override_settings(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://app.lab.localhost$"])
    def test_w102_unescaped_dot(self):
        self.assertEqual(self.ids(checks.cors_origin_tests_that_leak), ["lab.W102"])

    @override_settings(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://app\.lab\.localhost"])
    def test_w103_no_end_anchor(self):
        self.assertEqual(self.ids(checks.cors_origin_tests_that_leak), ["lab.W103"])

    @override_settings(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://.*\.lab\.localhost$"])
    def test_w104_every_subdomain(self):
        self.assertEqual(self.ids(checks.cors_origin_tests_that_leak), ["lab.W104"])

    @override_settings(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://app\.lab\.localhost$"])
    def test_a_careful_regex_raises_nothing(self):
        self.assertEqual(self.ids(checks.cors_origin_tests_that_leak), [])

    @override_settings(CSRF_TRUSTED_ORIGINS=["https://*.lab.localhost"])
    def test_w105_csrf_subdomain_wildcard(self):
        self.assertEqual(self.ids(checks.csrf_trusts_no_subdomain_wildcard), ["lab.W105"])
