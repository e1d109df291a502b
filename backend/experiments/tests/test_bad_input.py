"""Every kind of bad input gets a JSON error with the right status, and stored data survives."""

from django.conf import settings
from django.test import TestCase

from experiments.models import UserRecord
from testing import ApiClient


class UsersBadInputTests(TestCase):
    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        UserRecord.objects.create(username="kept", email="kept@example.com")

    def assert_error(self, response, status, code):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["error"], code)
        self.assertEqual(UserRecord.objects.filter(username="kept").count(), 1)

    def test_valid_json_post_creates_a_record(self):
        response = self.client.post_json("/api/users/", {"username": "taro", "email": "taro@example.com"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["user"]["username"], "taro")
        self.assertTrue(UserRecord.objects.filter(username="taro").exists())

    def test_malformed_json_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", "{not json"), 400, "malformed_json")

    def test_json_that_is_not_an_object_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", "[1, 2]"), 400, "malformed_json")

    def test_invalid_utf8_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", b"\xff\xfe"), 400, "malformed_json")

    def test_missing_field_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", {"username": "taro"}), 400, "missing_fields")

    def test_field_of_wrong_type_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", {"username": 7, "email": "a@b.c"}),
                          400, "missing_fields")

    def test_invalid_email_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", {"username": "taro", "email": "nope"}),
                          400, "invalid_email")

    def test_invalid_username_is_400(self):
        self.assert_error(self.client.post_json("/api/users/", {"username": "a b", "email": "a@b.c"}),
                          400, "invalid_username")

    def test_form_encoded_body_is_415(self):
        response = self.client.post("/api/users/", {"username": "taro", "email": "taro@example.com"})
        self.assert_error(response, 415, "unsupported_media_type")

    def test_body_over_16_kib_is_413(self):
        big = {"username": "taro", "email": "taro@example.com", "padding": "x" * 20000}
        self.assert_error(self.client.post_json("/api/users/", big), 413, "body_too_large")

    def test_get_on_a_post_endpoint_is_405_with_allow(self):
        response = self.client.get("/api/users/")
        self.assert_error(response, 405, "method_not_allowed")
        self.assertEqual(response["Allow"], "POST")

    def test_put_is_405(self):
        self.assert_error(self.client.put("/api/users/", "{}", content_type="application/json"),
                          405, "method_not_allowed")

    def test_unsafe_method_meets_the_csrf_check_before_the_405(self):
        # CsrfViewMiddleware runs before any view: without a token, DELETE is refused first.
        self.assert_error(self.client.delete("/api/hello/"), 403, "csrf_failed")


class OtherEndpointsBadInputTests(TestCase):
    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def test_token_with_wrong_password_is_400_invalid_credentials(self):
        response = self.client.post_json("/api/token/", {"username": "alice", "password": "wrong"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "invalid_credentials")

    def test_token_with_malformed_json_is_400(self):
        self.assertEqual(self.client.post_json("/api/token/", "{").status_code, 400)

    def test_login_with_text_plain_and_no_csrf_token_is_stopped_by_csrf_first(self):
        response = self.client.post("/api/login/", "x", content_type="text/plain")
        # text/plain is a "simple" content type a cross-site form can send: CSRF answers before
        # the view could say 415.
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"], "csrf_failed")


class EveryBodyTakingEndpointTests(TestCase):
    """The same bad bodies against each endpoint that reads one, logged in and with a CSRF token,
    so that what answers is the view's own input check."""

    ENDPOINTS = ["/api/users/", "/api/token/", "/api/login/", "/api/display-name/"]

    def setUp(self):
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_user("alice", password="pw")
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        token = self.client.get("/api/csrf/").json()["csrfToken"]
        login = self.client.post_json("/api/login/", {"username": "alice", "password": "pw"},
                                      headers={"X-CSRFToken": token})
        self.token = login.json()["csrfToken"]

    def send(self, path, body, content_type="application/json", method="post"):
        return getattr(self.client, method)(path, body, content_type=content_type,
                                            headers={"X-CSRFToken": self.token})

    def assert_each(self, expected_status, expected_code, **request):
        for path in self.ENDPOINTS:
            with self.subTest(path):
                response = self.send(path, **request)
                self.assertEqual(response.status_code, expected_status, response.content)
                self.assertEqual(response.json()["error"], expected_code)

    def test_malformed_json(self):
        self.assert_each(400, "malformed_json", body="{oops")

    def test_wrong_content_type(self):
        self.assert_each(415, "unsupported_media_type", body="hello", content_type="text/plain")

    def test_missing_fields(self):
        self.assert_each(400, "missing_fields", body="{}")

    def test_oversized_body(self):
        self.assert_each(413, "body_too_large", body='{"x": "' + "y" * 20000 + '"}')

    def test_unknown_method(self):
        self.assert_each(405, "method_not_allowed", body="{}", method="put")

    def test_lone_surrogate_escape(self):
        # Valid JSON grammar, but half of a UTF-16 pair is no Unicode text (RFC 7493, 2.1).
        for name in ("\\ud800", "a\\udfff", "\\udc00\\ud800"):
            with self.subTest(name=name):
                body = '{"username": "%s", "email": "%s", "password": "%s", "display_name": "%s"}' % ((name,) * 4)
                self.assert_each(400, "malformed_json", body=body)

    def test_lone_surrogate_never_replaces_a_stored_display_name(self):
        self.assertEqual(self.send("/api/display-name/", '{"display_name": "Kept"}').status_code, 200)
        self.send("/api/display-name/", '{"display_name": "\\ud83d"}')
        self.assertEqual(self.client.get("/api/me/").json()["user"]["display_name"], "Kept")

    def test_a_surrogate_pair_is_one_character_and_is_stored(self):
        response = self.send("/api/display-name/", '{"display_name": "\\ud83d\\ude00"}')
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.client.get("/api/me/").json()["user"]["display_name"], "\U0001F600")


class DeeplyNestedJsonTests(TestCase):
    """15,000 "[" parse as far as Python's recursion limit, then raise RecursionError: every
    endpoint that reads a JSON body must answer 400, not 500."""

    NESTED = "[" * 15_000

    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def assert_too_deep(self, response):
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["error"], "too_deeply_nested")

    def test_every_csrf_exempt_json_endpoint_answers_400(self):
        for path in ("/api/users/", "/api/token/"):
            with self.subTest(path=path):
                self.assert_too_deep(self.client.post_json(path, self.NESTED))

    def test_csrf_protected_json_endpoints_answer_400(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("nested", password="pw")
        token = self.client.get("/api/csrf/").json()["csrfToken"]
        self.assert_too_deep(self.client.post_json("/api/login/", self.NESTED, headers={"X-CSRFToken": token}))
        self.client.force_login(user)
        token = self.client.get("/api/csrf/").json()["csrfToken"]
        self.assert_too_deep(self.client.post_json("/api/display-name/", self.NESTED, headers={"X-CSRFToken": token}))

    def test_nesting_python_can_parse_is_still_just_not_an_object(self):
        response = self.client.post_json("/api/users/", "[" * 50 + "]" * 50)
        self.assertEqual(response.json()["error"], "malformed_json")
