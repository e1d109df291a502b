"""The system checks, one test per id, in the style of django-cors-headers' own: the settings a
learner gets wrong, the id that says so, and the same settings fixed with the lines of the hint
(read as a settings file would be), after which the id is gone."""

from django.test import SimpleTestCase, override_settings

from cors_doctor import literal_settings
from cors_doctor.checks import article_flows
from crossorigin.deployment.settings import CORS_MIDDLEWARE, DEFAULT_CORS_ALLOW_HEADERS, STARTPROJECT_MIDDLEWARE

FRONT, API = "https://kikuichige.com", "https://django6.kikuichige.com"
GOOD = {
    "DEBUG": False, "ALLOWED_HOSTS": ["django6.kikuichige.com"], "MIDDLEWARE": [CORS_MIDDLEWARE, *STARTPROJECT_MIDDLEWARE],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"), "SECURE_SSL_REDIRECT": True,
    "CORS_ALLOWED_ORIGINS": [FRONT], "CORS_ALLOWED_ORIGIN_REGEXES": [], "CORS_ALLOW_ALL_ORIGINS": False,
    "CORS_ALLOW_CREDENTIALS": True, "CORS_ALLOW_HEADERS": DEFAULT_CORS_ALLOW_HEADERS, "CORS_URLS_REGEX": r"^.*$",
    "CSRF_TRUSTED_ORIGINS": [FRONT], "CSRF_COOKIE_NAME": "csrftoken", "CSRF_HEADER_NAME": "HTTP_X_CSRFTOKEN",
    "CSRF_USE_SESSIONS": False, "SESSION_COOKIE_NAME": "sessionid",
    **{f"{cookie}_COOKIE_{name}": value for cookie in ("SESSION", "CSRF")
       for name, value in (("SAMESITE", "Lax"), ("SECURE", True), ("DOMAIN", None), ("PATH", "/"))},
    "CORS_DOCTOR_PARTITIONED_COOKIES": False, "CORS_DOCTOR_FRONT_ORIGINS": [FRONT], "CORS_DOCTOR_API_ORIGIN": API,
}


class CheckTestCase(SimpleTestCase):
    def messages(self, **changes) -> list:
        with override_settings(**{**GOOD, **changes}):
            return article_flows(None)

    def ids(self, **changes) -> set[str]:
        return {message.id for message in self.messages(**changes)}

    def assert_fixed_by_its_hint(self, check_id: str, **changes):
        """The id appears, and goes once the settings lines of its hints are applied (a hint is a
        sentence, then the lines; one id may come once per cookie)."""
        messages = [m for m in self.messages(**changes) if m.id == check_id]
        self.assertTrue(messages, f"{check_id} not reported")
        lines = [line for message in messages for line in message.hint.splitlines()[1:]]
        self.assertTrue(lines, messages[0].hint)
        fixed = literal_settings.read("\n".join(lines))
        self.assertFalse(fixed.not_understood, lines)
        self.assertNotIn(check_id, self.ids(**{**changes, **fixed.values}))
        return messages[0]


class ChecksTests(CheckTestCase):
    def test_the_good_settings_have_nothing_to_say(self):
        self.assertEqual(self.messages(), [])

    def test_nothing_is_checked_without_front_origins(self):
        self.assertEqual(self.messages(CORS_DOCTOR_FRONT_ORIGINS=[], CORS_ALLOWED_ORIGINS=[]), [])

    def test_E001_cors_middleware_missing(self):
        message = self.assert_fixed_by_its_hint("cors_doctor.E001", MIDDLEWARE=list(STARTPROJECT_MIDDLEWARE))
        self.assertEqual(message.level, 40)  # ERROR

    def test_E002_front_not_allowed_by_cors(self):
        message = self.assert_fixed_by_its_hint("cors_doctor.E002", CORS_ALLOWED_ORIGINS=["http://kikuichige.com"])
        self.assertIn("simple-get", message.msg)
        self.assertIn('CORS_ALLOWED_ORIGINS = ["http://kikuichige.com", "https://kikuichige.com"]', message.hint)

    def test_E003_cors_urls_regex_leaves_the_paths_out(self):
        message = self.assert_fixed_by_its_hint("cors_doctor.E003", CORS_URLS_REGEX=r"^/v1/")
        self.assertIn('CORS_URLS_REGEX = r"^/api/"', message.hint)

    def test_E004_credentials_not_allowed(self):
        message = self.assert_fixed_by_its_hint("cors_doctor.E004", CORS_ALLOW_CREDENTIALS=False)
        self.assertIn("session-login", message.msg)
        self.assertNotIn("simple-get", message.msg)

    def test_E005_the_csrf_header_is_not_allowed(self):
        message = self.assert_fixed_by_its_hint("cors_doctor.E005", CSRF_HEADER_NAME="HTTP_X_XSRF_TOKEN")
        self.assertIn("x-xsrf-token", message.msg)
        self.assertIn('CORS_ALLOW_HEADERS = (*default_headers, "x-xsrf-token")', message.hint)

    def test_E006_front_not_trusted_by_csrf(self):
        message = self.assert_fixed_by_its_hint("cors_doctor.E006", CSRF_TRUSTED_ORIGINS=[])
        # No login, no session: the flows after it break too.
        self.assertIn("session-login, session-get, logout", message.msg)

    def test_E007_same_origin_without_the_proxy_header(self):
        self.assert_fixed_by_its_hint("cors_doctor.E007", CORS_DOCTOR_FRONT_ORIGINS=[API], SECURE_PROXY_SSL_HEADER=None,
                                      SECURE_SSL_REDIRECT=False)

    def test_E008_allowed_hosts_lacks_the_api(self):
        self.assert_fixed_by_its_hint("cors_doctor.E008", ALLOWED_HOSTS=["kikuichige.com"])

    def test_E009_ssl_redirect_without_the_proxy_header(self):
        self.assert_fixed_by_its_hint("cors_doctor.E009", SECURE_PROXY_SSL_HEADER=None)

    def test_E010_https_front_http_api(self):
        ids = self.ids(CORS_DOCTOR_API_ORIGIN="http://django6.kikuichige.com", SECURE_SSL_REDIRECT=False)
        self.assertIn("cors_doctor.E010", ids)

    def test_E011_a_setting_of_the_wrong_type(self):
        ids = self.ids(CORS_ALLOWED_ORIGINS=FRONT)  # a string, not a list: corsheaders.E006's mistake
        self.assertEqual(ids, {"cors_doctor.E011", "cors_doctor.E002"})

    def test_E012_lax_cookies_for_a_front_on_another_site(self):
        cross = {"CORS_DOCTOR_FRONT_ORIGINS": ["https://myapp.vercel.app"], "CORS_DOCTOR_API_ORIGIN": "https://myapi.onrender.com",
                 "ALLOWED_HOSTS": ["myapi.onrender.com"], "CORS_ALLOWED_ORIGINS": ["https://myapp.vercel.app"],
                 "CSRF_TRUSTED_ORIGINS": ["https://myapp.vercel.app"]}
        messages = [m for m in self.messages(**cross) if m.id == "cors_doctor.E012"]
        self.assertEqual(len(messages), 2)  # the CSRF cookie and the session cookie
        fixed = self.ids(**cross, SESSION_COOKIE_SAMESITE="None", CSRF_COOKIE_SAMESITE="None")
        # SameSite=None moves the login into the third-party cookie rules, which no setting lifts in WebKit.
        self.assertEqual(fixed, {"cors_doctor.W002", "cors_doctor.W003"})

    def test_E013_samesite_none_without_secure(self):
        self.assert_fixed_by_its_hint("cors_doctor.E013", SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=False)

    def test_E014_secure_cookie_from_an_http_api(self):
        http = {"CORS_DOCTOR_FRONT_ORIGINS": ["http://kikuichige.com"], "CORS_DOCTOR_API_ORIGIN": "http://django6.kikuichige.com",
                "CORS_ALLOWED_ORIGINS": ["http://kikuichige.com"], "CSRF_TRUSTED_ORIGINS": ["http://kikuichige.com"],
                "SECURE_SSL_REDIRECT": False}
        self.assert_fixed_by_its_hint("cors_doctor.E014", **http)

    def test_E015_a_domain_that_does_not_cover_the_api_or_is_a_public_suffix(self):
        self.assert_fixed_by_its_hint("cors_doctor.E015", SESSION_COOKIE_DOMAIN="example.com")
        message = self.assert_fixed_by_its_hint("cors_doctor.E015", CSRF_COOKIE_DOMAIN="com")
        self.assertIn("public suffix", message.msg)

    def test_E016_a_prefixed_name_without_what_it_needs(self):
        self.assert_fixed_by_its_hint("cors_doctor.E016", CSRF_COOKIE_NAME="__Host-csrftoken", CSRF_COOKIE_SECURE=False)

    def test_E017_a_path_that_leaves_the_api_out(self):
        self.assert_fixed_by_its_hint("cors_doctor.E017", SESSION_COOKIE_PATH="/admin/")

    def test_E018_front_origins_that_are_not_origins(self):
        self.assertEqual(self.ids(CORS_DOCTOR_FRONT_ORIGINS=["kikuichige.com"]), {"cors_doctor.E018"})
        self.assertEqual(self.ids(CORS_DOCTOR_FRONT_ORIGINS="https://kikuichige.com"), {"cors_doctor.E018"})
        self.assertEqual(self.ids(CORS_DOCTOR_API_ORIGIN="https://django6.kikuichige.com/api"), {"cors_doctor.E018"})

    def test_W001_no_samesite_for_a_front_on_another_site(self):
        cross = {"CORS_DOCTOR_FRONT_ORIGINS": ["https://alice.github.io"], "CORS_DOCTOR_API_ORIGIN": "https://alice-api.github.io",
                 "ALLOWED_HOSTS": ["alice-api.github.io"], "CORS_ALLOWED_ORIGINS": ["https://alice.github.io"],
                 "CSRF_TRUSTED_ORIGINS": ["https://alice.github.io"], "SESSION_COOKIE_SAMESITE": None, "CSRF_COOKIE_SAMESITE": None}
        messages = {m.id: m for m in self.messages(**cross)}
        self.assertEqual(messages["cors_doctor.W001"].level, 30)  # WARNING
        self.assertIn("chromium, chromium-3pc-blocked", messages["cors_doctor.W001"].msg)

    def test_W002_third_party_cookies_blocked(self):
        cross = {"CORS_DOCTOR_FRONT_ORIGINS": ["https://myapp.vercel.app"], "CORS_DOCTOR_API_ORIGIN": "https://myapi.onrender.com",
                 "ALLOWED_HOSTS": ["myapi.onrender.com"], "CORS_ALLOWED_ORIGINS": ["https://myapp.vercel.app"],
                 "CSRF_TRUSTED_ORIGINS": ["https://myapp.vercel.app"], "SESSION_COOKIE_SAMESITE": "None", "CSRF_COOKIE_SAMESITE": "None"}
        self.assertIn("cors_doctor.W002", self.ids(**cross))
        # Partitioned (CHIPS) lifts it; WebKit's refusal stays.
        self.assertEqual(self.ids(**cross, CORS_DOCTOR_PARTITIONED_COOKIES=True), {"cors_doctor.W003"})

    def test_W003_webkit_refuses_a_cookie_of_another_site(self):
        cross = {"CORS_DOCTOR_FRONT_ORIGINS": ["https://myapp.vercel.app"], "CORS_DOCTOR_API_ORIGIN": "https://myapi.onrender.com",
                 "ALLOWED_HOSTS": ["myapi.onrender.com"], "CORS_ALLOWED_ORIGINS": ["https://myapp.vercel.app"],
                 "CSRF_TRUSTED_ORIGINS": ["https://myapp.vercel.app"], "SESSION_COOKIE_SAMESITE": "None",
                 "CSRF_COOKIE_SAMESITE": "None", "CORS_DOCTOR_PARTITIONED_COOKIES": True}
        [message, _] = [m for m in self.messages(**cross) if m.id == "cors_doctor.W003"]
        self.assertIn("in webkit", message.msg)

    def test_W004_webkit_and_a_tld_missing_from_the_list(self):
        lab = {"CORS_DOCTOR_FRONT_ORIGINS": ["https://app.lab.localhost"], "CORS_DOCTOR_API_ORIGIN": "https://api.lab.localhost",
               "ALLOWED_HOSTS": ["api.lab.localhost"], "CORS_ALLOWED_ORIGINS": ["https://app.lab.localhost"],
               "CSRF_TRUSTED_ORIGINS": ["https://app.lab.localhost"]}
        self.assert_fixed_by_its_hint("cors_doctor.W004", **lab)

    def test_W005_the_api_origin_cannot_be_told(self):
        self.assertEqual(self.ids(CORS_DOCTOR_API_ORIGIN=None, ALLOWED_HOSTS=["*"]), {"cors_doctor.W005"})
        # One host in ALLOWED_HOSTS is enough to tell it.
        self.assertEqual(self.ids(CORS_DOCTOR_API_ORIGIN=None), set())

    def test_every_id_has_its_test(self):
        from crossorigin.deployment.diagnosis import API_ORIGIN_UNKNOWN, CHECKS, FRONT_ORIGIN_INVALID
        ids = {check.id for check in CHECKS.values()} | {API_ORIGIN_UNKNOWN.id, FRONT_ORIGIN_INVALID.id}
        tested = {name.split("_")[1] for name in dir(self) if name.startswith("test_") and name[5:6] in "EW"}
        self.assertEqual({check_id.split(".")[1] for check_id in ids}, tested)


@override_settings(CORS_DOCTOR_FRONT_ORIGINS=[FRONT])
class DeployOnlyTests(SimpleTestCase):
    def test_the_checks_run_with_check_deploy_only(self):
        from django.core.checks import registry
        self.assertIn(article_flows, registry.registry.get_checks(include_deployment_checks=True))
        self.assertNotIn(article_flows, registry.registry.get_checks(include_deployment_checks=False))
