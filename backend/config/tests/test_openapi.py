"""/api/openapi.json describes every URL pattern under /api/, with the methods its view allows."""

import re

from django.conf import settings
from django.test import TestCase

from config.openapi import CASE_SCHEMA, PATHS
from crossorigin.cookies import CONTEXTS_BY_NAME
from testing import ApiClient, url_routes
from lab.case import CREDENTIALS, MODES, PAGES

OPERATIONS = {"get", "post", "put", "patch", "delete", "options", "head"}


def api_routes():
    """(OpenAPI path, view) for every URL pattern, <slug:name> written {name}."""
    for route, view in url_routes():
        yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), view


class OpenApiTests(TestCase):
    def test_every_api_url_pattern_is_described_with_its_methods(self):
        routes = {path: view for path, view in api_routes() if path.startswith("/api/")}
        self.assertGreater(len(routes), 15)
        self.assertEqual(set(routes), set(PATHS))
        for path, view in routes.items():
            with self.subTest(path=path):
                described = {method.upper() for method in PATHS[path] if method in OPERATIONS}
                self.assertEqual(described, set(view.allowed_methods))

    def test_every_operation_describes_its_success_and_errors_as_json(self):
        for path, operations in PATHS.items():
            for method, operation in operations.items():
                if method not in OPERATIONS:
                    continue
                with self.subTest(path=path, method=method):
                    self.assertTrue(any(code.startswith("2") for code in operation["responses"]))

    def test_the_document_is_served_as_openapi_3_1_with_the_api_origin(self):
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).get("/api/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertEqual(document["servers"], [{"url": settings.LAB_API_ORIGIN}])
        self.assertEqual(set(document["paths"]), set(PATHS))

    def test_the_enums_are_the_codes_own(self):
        context, = PATHS["/api/cookies/probe/{context}/"]["parameters"]
        self.assertEqual(context["schema"]["enum"], sorted(CONTEXTS_BY_NAME))
        fields = CASE_SCHEMA["properties"]
        self.assertEqual((fields["page"]["enum"], fields["credentials"]["enum"], fields["mode"]["enum"]),
                         (list(PAGES), list(CREDENTIALS), list(MODES)))

    def test_the_login_operations_state_their_throttle_and_the_logged_in_ones_their_401(self):
        for path in ("/api/token/", "/api/login/"):
            self.assertIn("429", PATHS[path]["post"]["responses"])
        for path, method in (("/api/me/", "get"), ("/api/display-name/", "post"), ("/api/protected/", "get")):
            operation = PATHS[path][method]
            self.assertIn("401", operation["responses"])
            self.assertTrue(operation["security"])

