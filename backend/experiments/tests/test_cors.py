from django.conf import settings
from django.test import TestCase

from testing import ApiClient


class CorsTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)
        self.attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN)

    def test_hello_from_app_origin_gets_its_origin_and_credentials_allowed(self):
        response = self.app.get("/api/hello/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)
        self.assertEqual(response["Access-Control-Allow-Credentials"], "true")
        self.assertIn("origin", response["Vary"].lower())

    def test_hello_from_attacker_origin_is_answered_but_without_acao(self):
        response = self.attacker.get("/api/hello/")
        self.assertEqual(response.status_code, 200)  # the server answers; the browser hides it
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_preflight_from_app_origin_allows_post_and_content_type(self):
        response = self.app.preflight("/api/users/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)
        self.assertIn("POST", response["Access-Control-Allow-Methods"])
        self.assertIn("content-type", response["Access-Control-Allow-Headers"])

    def test_preflight_from_attacker_origin_gets_no_acao(self):
        response = self.attacker.preflight("/api/users/")
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_no_cors_path_answers_200_without_cors_headers(self):
        response = self.app.get("/api/no-cors/hello/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_errors_carry_cors_headers_so_the_page_can_read_them(self):
        response = self.app.get("/api/me/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)

    def test_unknown_api_path_is_json_404_with_cors_headers(self):
        response = self.app.get("/api/nowhere/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"], "not_found")
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)

    def test_debug_expose_headers_switch_lists_acao(self):
        response = self.app.get("/api/hello/")
        self.assertIn("Access-Control-Allow-Origin", response["Access-Control-Expose-Headers"])

    def test_other_host_header_is_refused_with_json_400(self):
        response = ApiClient(HTTP_HOST="evil.localhost").get("/api/hello/")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "bad_request")
