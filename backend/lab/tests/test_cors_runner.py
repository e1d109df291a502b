"""lab/cors_runner.py answers exactly as django-cors-headers' own CorsMiddleware does.

The runner exists so that a request can be answered under a configuration of its own without
switching Django's process-wide settings. These tests run the real CorsMiddleware of the pinned
version beside it (here, in tests only, with override_settings) over a grid of configurations and
requests. An upgrade of django-cors-headers that changes a single header fails them.
"""

import itertools
import json
import re

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from lab import cors_runner
from lab.cors_runner import CorsConfig

APP = "https://app.lab.localhost"
CONFIGS = [
    CorsConfig(),
    CorsConfig(CORS_ALLOWED_ORIGINS=(APP,)),
    CorsConfig(CORS_ALLOWED_ORIGINS=(APP,), CORS_ALLOW_CREDENTIALS=True, CORS_EXPOSE_HEADERS=("X-Lab-Request-Id",)),
    CorsConfig(CORS_ALLOW_ALL_ORIGINS=True),
    CorsConfig(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_CREDENTIALS=True),
    CorsConfig(CORS_ALLOWED_ORIGINS=("null",), CORS_ALLOW_CREDENTIALS=True),
    CorsConfig(CORS_ALLOWED_ORIGIN_REGEXES=(r"^https://\w+.lab.localhost",)),
    CorsConfig(CORS_ALLOWED_ORIGIN_REGEXES=(re.compile(r"https://.*\.lab\.localhost$"),)),
    CorsConfig(CORS_ALLOWED_ORIGINS=(APP,), CORS_ALLOW_HEADERS=("*",), CORS_ALLOW_METHODS=("GET",),
               CORS_PREFLIGHT_MAX_AGE=0),
    CorsConfig(CORS_ALLOWED_ORIGINS=(APP + ":8443",), CORS_PREFLIGHT_MAX_AGE=600),
]
ORIGINS = [None, APP, APP + ":8443", "https://attacker.localhost", "https://evil.lab.localhost",
           "https://applab.localhost", "https://app.lab.localhost.attacker.localhost", "null",
           "http://app.lab.localhost", "https://[::1", ""]
REQUESTS = [("GET", {}), ("POST", {}), ("OPTIONS", {"access-control-request-method": "PUT"}),
            ("OPTIONS", {})]


def cors_headers(response) -> dict:
    return {name.lower(): value for name, value in response.items()
            if name.lower().startswith("access-control-") or name.lower() == "vary"}


def make_request(method, origin, extra):
    headers = {**extra, **({"origin": origin} if origin is not None else {})}
    return RequestFactory().generic(method, "/scenarios/x/", headers=headers)


def ordinary(request):
    return HttpResponse("answer")


class RunnerMatchesTheLibraryTests(SimpleTestCase):
    def test_every_header_matches_corsmiddleware_over_the_grid(self):
        cases = 0
        for config, origin, (method, extra) in itertools.product(CONFIGS, ORIGINS, REQUESTS):
            library_settings = {name: getattr(config, name) for name in CorsConfig.names()}
            with override_settings(CORS_URLS_REGEX=r"^.*$", **library_settings):
                expected = CorsMiddleware(ordinary)(make_request(method, origin, extra))
            actual = cors_runner.answer(config, make_request(method, origin, extra), ordinary)
            with self.subTest(config=config, origin=origin, method=method, extra=extra):
                self.assertEqual(actual.status_code, expected.status_code)
                self.assertEqual(cors_headers(actual), cors_headers(expected))
                self.assertEqual(actual.content, expected.content)
            cases += 1
        self.assertEqual(cases, len(CONFIGS) * len(ORIGINS) * len(REQUESTS))

    def test_defaults_are_the_librarys_defaults(self):
        with override_settings():
            for name in CorsConfig.names():
                if hasattr(settings, name):
                    delattr(settings, name)
            from corsheaders.conf import conf  # the library's own view of its defaults
            library = {name: getattr(conf, name) for name in CorsConfig.names()}
        ours = {name: getattr(CorsConfig(), name) for name in CorsConfig.names()}
        self.assertEqual({k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in library.items()}, ours)

    def test_config_of_the_api_settings_is_what_the_api_runs_with(self):
        config = CorsConfig.of(settings)
        self.assertEqual(list(config.CORS_ALLOWED_ORIGINS), settings.CORS_ALLOWED_ORIGINS)
        self.assertTrue(config.CORS_ALLOW_CREDENTIALS)


class OriginRegexTimeLimitTests(SimpleTestCase):
    """The one difference from the library, on purpose: its re.match has no time limit."""

    def test_a_pattern_that_would_run_for_seconds_gets_a_json_400_without_cors_headers(self):
        config = CorsConfig(CORS_ALLOWED_ORIGIN_REGEXES=("https://(.|.)*!",), CORS_ALLOW_CREDENTIALS=True)
        for method, extra in REQUESTS[:3]:
            with self.subTest(method=method, extra=extra):
                response = cors_runner.answer(config, make_request(method, "https://" + "a" * 26, extra), ordinary)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(json.loads(response.content)["error"], "regex_too_slow")
                self.assertEqual(cors_headers(response), {"vary": "origin"})

