"""Every pattern of lab/csrf_reasons.py is a reason Django really gives: the real CsrfViewMiddleware
refuses one request per reason here, and the answer must name the expected reason_code (never
"unknown"). A Django upgrade that rewords a reason fails here, not in front of a learner."""

from django.conf import settings
from django.middleware import csrf
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from lab import csrf_reasons
from lab.errors import csrf_failure
from testing import ApiClient

# Any view that Django's CSRF check guards; the check runs before the view.
GUARDED = "/api/login/"
CREDENTIALS = {"username": "alice", "password": "wrong"}


def client(origin: str | None = "app", cookie: str | None = None, **defaults) -> ApiClient:
    """origin: "app", "attacker" or None (no Origin header); cookie: "valid" (from GET /api/csrf/)
    or the raw csrftoken value to send."""
    origins = {"app": settings.LAB_APP_ORIGIN, "attacker": settings.LAB_ATTACKER_ORIGIN, None: None}
    api = ApiClient(origin=origins[origin], **defaults)
    if cookie == "valid":
        api.get("/api/csrf/")
    elif cookie is not None:
        api.cookies[settings.CSRF_COOKIE_NAME] = cookie
    return api


def json_post(api: ApiClient, headers: dict | None = None):
    return api.post_json(GUARDED, CREDENTIALS, headers=headers or {})


# reason_code -> a request that Django's CSRF check refuses for that reason. `defaults`: extra
# headers for the client (Accept-Language, in config/tests/test_api_errors_in_japanese.py).
REFUSALS = {
    "origin_untrusted": lambda **defaults: json_post(client("attacker", "valid", **defaults)),
    "referer_missing": lambda **defaults: json_post(client(None, "valid", **defaults)),
    "referer_untrusted": lambda **defaults: json_post(client(None, "valid", **defaults),
                                                      {"Referer": settings.LAB_ATTACKER_ORIGIN + "/form.html"}),
    "referer_malformed": lambda **defaults: json_post(client(None, "valid", **defaults), {"Referer": "https:///no-host"}),
    "referer_insecure": lambda **defaults: json_post(client(None, "valid", **defaults),
                                                     {"Referer": f"http://{settings.LAB_APP_HOST}/"}),
    "cookie_missing": lambda **defaults: json_post(client(**defaults)),
    "cookie_incorrect_length": lambda **defaults: json_post(client(cookie="abc", **defaults)),
    "cookie_invalid_characters": lambda **defaults: json_post(client(cookie="!" * 32, **defaults)),
    "token_missing": lambda **defaults: json_post(client(cookie="valid", **defaults)),
    "token_incorrect_length": lambda **defaults: json_post(client(cookie="valid", **defaults), {"X-CSRFToken": "abc"}),
    "token_invalid_characters": lambda **defaults: json_post(client(cookie="valid", **defaults),
                                                             {"X-CSRFToken": "!" * 64}),
    "token_incorrect": lambda **defaults: json_post(client(cookie="valid", **defaults), {"X-CSRFToken": "a" * 64}),
    # The same code from a form's field: Django names the source "POST".
    "token_incorrect_in_form": lambda **defaults: client(cookie="valid", **defaults).post(
        GUARDED, {"csrfmiddlewaretoken": "a" * 64}),
}


def code_expected(kind: str) -> str:
    return kind.removesuffix("_in_form")


class RealReasonsTests(TestCase):
    def test_each_pattern_is_a_reason_djangos_middleware_gives(self):
        for kind, refuse in REFUSALS.items():
            with self.subTest(kind):
                response = refuse()
                body = response.json()
                self.assertEqual((response.status_code, body["error"]), (403, "csrf_failed"))
                self.assertEqual(body["reason_code"], code_expected(kind), body["reason"])
                self.assertNotEqual(body["message"], body["reason"])

    def test_every_pattern_is_provoked_above(self):
        self.assertEqual({code_expected(kind) for kind in REFUSALS}, set(csrf_reasons.REASONS))

    def test_the_reason_is_djangos_exact_english_with_the_value_it_carries(self):
        body = REFUSALS["origin_untrusted"]().json()
        self.assertEqual(body["reason"], csrf.REASON_BAD_ORIGIN % settings.LAB_ATTACKER_ORIGIN)
        self.assertIn(settings.LAB_ATTACKER_ORIGIN, body["message"])
        self.assertEqual(REFUSALS["cookie_missing"]().json()["reason"], csrf.REASON_NO_CSRF_COOKIE)
        self.assertEqual(REFUSALS["token_missing"]().json()["reason"], csrf.REASON_CSRF_TOKEN_MISSING)
        self.assertEqual(REFUSALS["referer_missing"]().json()["reason"], csrf.REASON_NO_REFERER)

    def test_a_token_names_where_it_came_from(self):
        self.assertIn("X-Csrftoken", REFUSALS["token_incorrect"]().json()["message"])
        self.assertIn("csrfmiddlewaretoken", REFUSALS["token_incorrect_in_form"]().json()["message"])


class ExplainTests(SimpleTestCase):
    def test_an_origin_with_odd_characters_is_carried_as_is(self):
        for origin in ("null", "https://a.example:8443", "https://x%(y)s.example", "https://does not match any.example"):
            with self.subTest(origin):
                code, message = csrf_reasons.explain(csrf.REASON_BAD_ORIGIN % origin)
                self.assertEqual(code, "origin_untrusted")
                self.assertIn(origin, message)

    def test_an_unknown_reason_gets_the_generic_sentence_and_keeps_its_text(self):
        code, message = csrf_reasons.explain("CSRF frobnication failed.")
        self.assertEqual(code, "unknown")
        self.assertIn("CSRF frobnication failed.", message)
        body = csrf_failure(RequestFactory().post("/api/login/"), reason="CSRF frobnication failed.")
        self.assertEqual(body.status_code, 403)
        self.assertIn(b'"reason": "CSRF frobnication failed.", "reason_code": "unknown"', body.content)

    def test_no_reason_at_all_is_still_an_answer(self):
        self.assertEqual(csrf_reasons.explain("")[0], "unknown")

    def test_the_ledger_reason_is_read_from_reason_then_from_an_old_entrys_message(self):
        self.assertEqual(csrf_reasons.django_reason_of({"error": {"message": "m", "reason": "r"}}), "r")
        self.assertEqual(csrf_reasons.django_reason_of({"error": {"message": "m"}}), "m")
        self.assertEqual(csrf_reasons.django_reason_of({"error": None}), "")


def over_plain_http(origin: str) -> ApiClient:
    """A client whose requests reach Django as nginx forwards them when it forgets the scheme: no
    X-Forwarded-Proto at all."""
    api = ApiClient(origin=origin)
    del api.defaults["HTTP_X_FORWARDED_PROTO"]
    return api


def same_origin_login(api: ApiClient):
    token = api.get("/api/csrf/").json()["csrfToken"]
    return api.post_json(GUARDED, CREDENTIALS, headers={"X-CSRFToken": token})


@override_settings(SECURE_SSL_REDIRECT=False)
class SchemeLostTests(TestCase):
    """The proxy that forgets the scheme: a page of the API's own origin logs in (as Django's admin
    does), and Django, taking the request for plain http, builds its own origin as http://."""

    def test_a_same_origin_post_fails_the_origin_check_with_djangos_reason(self):
        response = same_origin_login(over_plain_http(settings.LAB_API_ORIGIN))
        body = response.json()
        self.assertEqual((response.status_code, body["reason_code"]), (403, "origin_untrusted"))
        self.assertEqual(body["reason"], csrf.REASON_BAD_ORIGIN % settings.LAB_API_ORIGIN)
        self.assertEqual(body["own_origin"], "http://" + settings.LAB_API_HOST)
        self.assertIn("X-Forwarded-Proto", body["message"])

    def test_with_the_header_the_same_post_passes_the_check(self):
        response = same_origin_login(ApiClient(origin=settings.LAB_API_ORIGIN))
        self.assertEqual(response.json()["error"], "invalid_credentials")  # past CSRF, at the password

    @override_settings(SECURE_PROXY_SSL_HEADER=None)
    def test_a_django_that_does_not_trust_the_header_fails_the_same_way(self):
        body = same_origin_login(ApiClient(origin=settings.LAB_API_ORIGIN)).json()
        self.assertEqual(body["own_origin"], "http://" + settings.LAB_API_HOST)
        self.assertIn("X-Forwarded-Proto", body["message"])

    def test_a_listed_cross_origin_page_is_not_affected(self):
        # CSRF_TRUSTED_ORIGINS lists the app: Django never compares its Origin with its own.
        response = same_origin_login(over_plain_http(settings.LAB_APP_ORIGIN))
        self.assertEqual(response.json()["error"], "invalid_credentials")

    def test_an_untrusted_page_keeps_the_plain_message(self):
        body = same_origin_login(over_plain_http(settings.LAB_ATTACKER_ORIGIN)).json()
        self.assertEqual(body["reason_code"], "origin_untrusted")
        self.assertNotIn("X-Forwarded-Proto", body["message"])


class RedirectLoopTests(TestCase):
    """With SECURE_SSL_REDIRECT, a lost scheme is a redirect of every request to its own URL."""

    def test_every_request_is_sent_to_the_url_the_browser_asked_for(self):
        response = over_plain_http(settings.LAB_APP_ORIGIN).get("/api/hello/?run=x")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], f"https://{settings.LAB_API_HOST}/api/hello/?run=x")

    def test_the_health_check_is_exempt(self):
        self.assertEqual(over_plain_http(None).get("/healthz/").status_code, 200)
