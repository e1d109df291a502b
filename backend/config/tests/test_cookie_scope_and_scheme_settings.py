"""The switches of the mistakes page (.env.example, "Backend behaviour"): cookie scope, where the
CSRF secret lives, the scheme behind the proxy, and the dev layout, as settings.py turns them
into Django's settings. Run as config/tests/test_settings.py runs the settings module: afresh,
with one value changed."""

from unittest import TestCase

from django.core.exceptions import ImproperlyConfigured

from config.tests.test_settings import load_settings, start_django


class CookieScopeTests(TestCase):
    def test_host_only_is_djangos_default_no_domain(self):
        settings = load_settings()
        self.assertIsNone(settings["SESSION_COOKIE_DOMAIN"])
        self.assertIsNone(settings["CSRF_COOKIE_DOMAIN"])

    def test_site_is_the_apis_registrable_domain(self):
        settings = load_settings(LAB_SESSION_COOKIE_DOMAIN="site", LAB_CSRF_COOKIE_DOMAIN="site")
        self.assertEqual(settings["SESSION_COOKIE_DOMAIN"], "lab.localhost")
        self.assertEqual(settings["CSRF_COOKIE_DOMAIN"], "lab.localhost")
        # Reported under the .env names, as the learner wrote them.
        self.assertEqual(settings["LAB_BEHAVIOUR_SETTINGS"]["LAB_SESSION_COOKIE_DOMAIN"], "site")

    def test_site_follows_the_api_host(self):
        settings = load_settings(LAB_API_HOST="api.example.localhost", LAB_CSRF_COOKIE_DOMAIN="site")
        self.assertEqual(settings["CSRF_COOKIE_DOMAIN"], "example.localhost")

    def test_a_domain_written_out_is_refused_with_the_choices(self):
        with self.assertRaises(ImproperlyConfigured) as refused:
            load_settings(LAB_SESSION_COOKIE_DOMAIN=".lab.localhost")
        self.assertIn("LAB_SESSION_COOKIE_DOMAIN='.lab.localhost' is not one of host-only, site", str(refused.exception))

    def test_csrf_storage_switches_reach_django(self):
        settings = load_settings(LAB_CSRF_COOKIE_NAME="__Host-csrftoken", LAB_CSRF_COOKIE_HTTPONLY="true",
                                 LAB_CSRF_USE_SESSIONS="true")
        self.assertEqual((settings["CSRF_COOKIE_NAME"], settings["CSRF_COOKIE_HTTPONLY"], settings["CSRF_USE_SESSIONS"]),
                         ("__Host-csrftoken", True, True))

    def test_only_the_two_csrf_cookie_names_are_taken(self):
        with self.assertRaises(ImproperlyConfigured):
            load_settings(LAB_CSRF_COOKIE_NAME="__Secure-csrftoken")

    def test_a_host_prefix_with_a_domain_fails_the_system_check(self):
        result = start_django(LAB_CSRF_COOKIE_NAME="__Host-csrftoken", LAB_CSRF_COOKIE_DOMAIN="site")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("lab.E004", result.stderr)


class SchemeBehindTheProxyTests(TestCase):
    def test_django_trusts_x_forwarded_proto_by_default(self):
        self.assertEqual(load_settings()["SECURE_PROXY_SSL_HEADER"], ("HTTP_X_FORWARDED_PROTO", "https"))

    def test_the_switch_drops_secure_proxy_ssl_header(self):
        settings = load_settings(LAB_SECURE_PROXY_SSL_HEADER="false", LAB_SECURE_SSL_REDIRECT="false")
        self.assertIsNone(settings["SECURE_PROXY_SSL_HEADER"])
        self.assertFalse(settings["SECURE_SSL_REDIRECT"])

    def test_the_health_check_is_never_redirected(self):
        self.assertEqual(load_settings()["SECURE_REDIRECT_EXEMPT"], [r"^healthz/$"])


class DevLayoutTests(TestCase):
    def test_off_the_dev_front_is_trusted_by_nothing(self):
        settings = load_settings()
        self.assertEqual(settings["LAB_DEV_FRONT_ORIGIN"], "http://dev.localhost:5173")
        self.assertNotIn("dev.localhost", settings["ALLOWED_HOSTS"])
        self.assertNotIn("http://dev.localhost:5173", settings["CORS_ALLOWED_ORIGINS"] + settings["CSRF_TRUSTED_ORIGINS"])

    def test_on_the_api_port_answers_for_the_host_and_trusts_the_front(self):
        settings = load_settings(LAB_DEV_LAYOUT="true", LAB_SECURE_SSL_REDIRECT="false")
        self.assertEqual(settings["ALLOWED_HOSTS"], ["api.lab.localhost", "dev.localhost"])
        self.assertEqual(settings["CORS_ALLOWED_ORIGINS"], ["https://app.lab.localhost", "http://dev.localhost:5173"])
        self.assertEqual(settings["CSRF_TRUSTED_ORIGINS"], ["https://app.lab.localhost", "http://dev.localhost:5173"])
        # The API's own port is not an origin the API needs to trust: it is the API.
        self.assertNotIn(settings["LAB_DEV_API_ORIGIN"], settings["CORS_ALLOWED_ORIGINS"])

    def test_port_80_is_left_out_of_the_origin(self):
        self.assertEqual(load_settings(LAB_DEV_FRONT_PORT="80")["LAB_DEV_FRONT_ORIGIN"], "http://dev.localhost")

    def test_with_djangos_redirect_to_https_it_fails_the_system_check(self):
        result = start_django(LAB_DEV_LAYOUT="true")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("lab.E005", result.stderr)
