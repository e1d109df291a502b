"""The case parser: every field's bounds and errors, the raw answers' allow-list, the redirect
target rule, the regexes, and the CORS settings checked as django-cors-headers checks them."""

import json

from corsheaders.checks import check_settings
from django.test import SimpleTestCase, override_settings

from lab import case as model
from lab.case import CaseError, check_cors_settings, check_regex, is_lab_location, parse_case
from lab.origins import LabOrigins

ORIGINS = LabOrigins(app="https://app.lab.localhost:8443", api="https://api.lab.localhost:8443",
                     attacker="https://attacker.localhost:8443")
RAW = {"raw": {"preflight": {"status": 200, "headers": []}, "response": {"status": 200, "headers": []}}}


def case(**fields) -> dict:
    return {"page": "app", "method": "GET", "headers": [], "credentials": "omit", "mode": "cors",
            "server": {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}}, **fields}


def raw(preflight=(), response=(), redirect=None, preflight_status=200, response_status=200) -> dict:
    server = {"preflight": {"status": preflight_status, "headers": [list(p) for p in preflight]},
              "response": {"status": response_status, "headers": [list(p) for p in response]}}
    if redirect is not None:
        server["redirect"] = redirect
    return {"raw": server}


class CaseFieldTests(SimpleTestCase):
    def assertRefused(self, value, field):
        with self.assertRaises(CaseError) as caught:
            parse_case(value, ORIGINS)
        self.assertEqual(caught.exception.field, field, caught.exception.message)
        body = caught.exception.as_json()
        self.assertEqual((body["error"], body["field"]), ("invalid_case", field))
        self.assertTrue(body["message"])

    def test_a_minimal_case_gets_the_defaults(self):
        parsed = parse_case({"server": {"cors": {}}}, ORIGINS)
        self.assertEqual((parsed["page"], parsed["method"], parsed["credentials"], parsed["mode"], parsed["repeat"]),
                         ("app", "GET", "same-origin", "cors", 1))

    def test_any_method_text_up_to_32_printable_characters_is_kept_as_written(self):
        for method in ("patch", "BAD METHOD", "x-custom", "TRACE"):
            self.assertEqual(parse_case(case(method=method), ORIGINS)["method"], method)
        self.assertRefused(case(method=""), "method")
        self.assertRefused(case(method="P" * 33), "method")
        self.assertRefused(case(method="GET\r\nX: 1"), "method")
        self.assertRefused(case(method=7), "method")

    def test_choices(self):
        self.assertRefused(case(page="evil"), "page")
        self.assertRefused(case(credentials="yes"), "credentials")
        self.assertRefused(case(mode="navigate"), "mode")
        self.assertRefused(case(repeat=0), "repeat")
        self.assertRefused(case(repeat=4), "repeat")
        self.assertRefused(case(repeat=True), "repeat")
        self.assertRefused(case(color="red"), "color")
        self.assertRefused([], "case")

    def test_request_headers_bounds(self):
        self.assertRefused(case(headers=[["X-A", str(n)] for n in range(13)]), "headers")
        self.assertRefused(case(headers=[["X-A"]]), "headers[0]")
        self.assertRefused(case(headers=[["X A", "1"]]), "headers[0].name")
        self.assertRefused(case(headers=[["X-" + "a" * 63, "1"]]), "headers[0].name")
        self.assertRefused(case(headers=[["X-A", "a" * 257]]), "headers[0].value")
        self.assertRefused(case(headers=[["X-A", "1\n"]]), "headers[0].value")
        self.assertRefused(case(headers={"X-A": "1"}), "headers")
        # Repeated names are allowed: fetch() appends them (the model's combined-headers rule).
        parse_case(case(headers=[["Accept", "a" * 100], ["Accept", "b" * 100]]), ORIGINS)

    def test_body_bounds_and_no_body_on_get_or_head(self):
        parse_case(case(method="POST", body='{\n "n": 1\n}'), ORIGINS)
        self.assertRefused(case(method="POST", body="x" * 1025), "body")
        self.assertRefused(case(method="POST", body=3), "body")
        self.assertRefused(case(method="get", body="x"), "body")
        self.assertRefused(case(method="HEAD", body="x"), "body")
        self.assertRefused(case(content_type="a" * 257), "content_type")

    def test_the_whole_case_is_bounded(self):
        with self.assertRaises(CaseError) as caught:
            model.loads(json.dumps(case(method="POST", body="x" * 5000)), "case")
        self.assertEqual(caught.exception.field, "case")
        with self.assertRaises(CaseError):
            model.loads("{not json", "case")
        with self.assertRaises(CaseError):
            model.loads(None, "case")

    def test_server_is_one_of_two_forms(self):
        self.assertRefused(case(server={}), "server")
        self.assertRefused(case(server={"cors": {}, "raw": {}}), "server")
        self.assertRefused(case(server={"cors": {"CORS_URLS_REGEX": ".*"}}), "server.cors.CORS_URLS_REGEX")
        self.assertRefused(case(server={"raw": {"extra": 1}}), "server.raw.extra")

    def test_a_redirect_case_runs_once(self):
        self.assertRefused(case(repeat=2, server=raw(redirect={"status": 307, "to": "api", "headers": []})), "repeat")

    def test_the_trailing_slash_is_a_choice_of_the_request(self):
        self.assertIs(parse_case(case(), ORIGINS)["trailing_slash"], True)
        self.assertIs(parse_case(case(trailing_slash=False), ORIGINS)["trailing_slash"], False)
        self.assertRefused(case(trailing_slash="no"), "trailing_slash")
        self.assertRefused(case(trailing_slash=0), "trailing_slash")
        # Django redirects a URL without its slash already: no second redirect on top.
        self.assertRefused(case(trailing_slash=False, server=raw(redirect={"status": 307, "to": "api", "headers": []})),
                           "trailing_slash")

    def test_a_cors_server_may_crash_its_view(self):
        self.assertEqual(parse_case(case(), ORIGINS)["server"]["view"], "ok")
        self.assertEqual(parse_case(case(server={"cors": {}, "view": "crash"}), ORIGINS)["server"]["view"], "crash")
        self.assertRefused(case(server={"cors": {}, "view": "explode"}), "server.view")
        self.assertRefused(case(server={"raw": {}, "view": "crash"}), "server.view")

    def test_only_the_catalogue_names_a_hand_written_origin_test_or_a_csrf_check(self):
        hand_written = {"cors": {"CORS_ALLOW_CREDENTIALS": True}, "origin_test": "ends_with_site"}
        csrf = {"csrf": {"CSRF_TRUSTED_ORIGINS": ["https://*.{site}{port}"]}}
        self.assertRefused(case(server=hand_written), "server")
        self.assertRefused(case(server=csrf), "server")
        catalogue = {"ends_with_site"}
        self.assertEqual(model.parse_server(hand_written, ORIGINS, catalogue)["origin_test"], "ends_with_site")
        self.assertEqual(model.parse_server(csrf, ORIGINS, catalogue), csrf)
        with self.assertRaises(CaseError) as caught:
            model.parse_server({**hand_written, "origin_test": "anything_goes"}, ORIGINS, catalogue)
        self.assertEqual(caught.exception.field, "server.origin_test")
        with self.assertRaises(CaseError) as caught:
            model.parse_server({"csrf": {"CSRF_TRUSTED_ORIGINS": "https://x"}}, ORIGINS, catalogue)
        self.assertEqual(caught.exception.field, "server.csrf.CSRF_TRUSTED_ORIGINS")

    def test_cors_settings_run_with_the_origins_filled_in(self):
        config = model.cors_config({"CORS_ALLOWED_ORIGINS": ["{app}"], "CORS_ALLOWED_ORIGIN_REGEXES": ["^{attacker|re}$"],
                                    "CORS_ALLOW_CREDENTIALS": True}, ORIGINS)
        self.assertEqual(config.CORS_ALLOWED_ORIGINS, (ORIGINS.app,))
        self.assertTrue(config.allows_origin(ORIGINS.attacker))
        self.assertFalse(config.allows_origin("https://attacker-localhost:8443"))


class RawAnswerTests(SimpleTestCase):
    def refused_field(self, server) -> str:
        with self.assertRaises(CaseError) as caught:
            parse_case(case(server=server), ORIGINS)
        return caught.exception.field

    def test_the_allow_list_takes_cors_vary_content_type_and_the_test_header(self):
        allowed = [("Access-Control-Allow-Origin", "{origin}"), ("ACCESS-CONTROL-MAX-AGE", "-1"),
                   ("Vary", "Origin"), ("Content-Type", "text/plain"), ("X-Lab-Request-Id", "7")]
        parse_case(case(server=raw(preflight=allowed, response=allowed)), ORIGINS)

    def test_everything_else_is_refused_and_named(self):
        for name in ("Set-Cookie", "Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options",
                     "Refresh", "Link", "Cache-Control"):
            with self.subTest(name):
                self.assertEqual(self.refused_field(raw(response=[(name, "x")])), "server.raw.response.headers[0]")
                self.assertEqual(self.refused_field(raw(preflight=[(name, "x")])), "server.raw.preflight.headers[0]")

    def test_bounds_of_an_answer(self):
        many = [(f"Access-Control-X-{n}", "1") for n in range(9)]
        self.assertEqual(self.refused_field(raw(response=many)), "server.raw.response.headers")
        self.assertEqual(self.refused_field(raw(response=[("Vary", "a" * 129)])), "server.raw.response.headers[0].value")
        self.assertEqual(self.refused_field(raw(response=[("Vary", "a"), ("vary", "b")])), "server.raw.response.headers[1]")
        self.assertEqual(self.refused_field(raw(response_status=199)), "server.raw.response.status")
        self.assertEqual(self.refused_field(raw(response_status=600)), "server.raw.response.status")
        self.assertEqual(self.refused_field(raw(preflight_status="200")), "server.raw.preflight.status")

    def test_location_only_on_a_preflight_and_only_to_a_lab_host(self):
        parse_case(case(server=raw(preflight=[("Location", "/elsewhere/")], preflight_status=302)), ORIGINS)
        parse_case(case(server=raw(preflight=[("Location", "{attacker}/playground/1/")], preflight_status=302)), ORIGINS)
        self.assertEqual(self.refused_field(raw(response=[("Location", "/x")])), "server.raw.response.headers[0]")
        self.assertEqual(self.refused_field(raw(preflight=[("Location", "https://example.com/")])),
                         "server.raw.preflight.headers[0]")

    def test_the_redirect_is_a_redirect_status_to_a_named_lab_host(self):
        parse_case(case(server=raw(redirect={"status": 303, "to": "attacker", "headers": []})), ORIGINS)
        self.assertEqual(self.refused_field(raw(redirect={"status": 200, "to": "api"})), "server.raw.redirect.status")
        self.assertEqual(self.refused_field(raw(redirect={"status": 307, "to": "https://example.com"})),
                         "server.raw.redirect.to")
        self.assertEqual(self.refused_field(raw(redirect={"status": 307, "to": "api", "location": "/x"})),
                         "server.raw.redirect.location")


class RedirectTargetRuleTests(SimpleTestCase):
    def test_paths_and_lab_hosts_only(self):
        for location in ("/playground/1/", "https://api.lab.localhost:8443/x", "https://attacker.localhost:8443/"):
            with self.subTest(location):
                self.assertTrue(is_lab_location(location, ORIGINS))
        for location in ("//example.com/", "/\\example.com", "https://example.com/", "http://api.lab.localhost:8443/",
                         "https://api.lab.localhost/", "https://user:pw@api.lab.localhost:8443/",
                         "https://api.lab.localhost:99999/", "data:,x", "javascript:alert(1)", "playground/1/",
                         "https://api.lab.localhost:8443.example.com/"):
            with self.subTest(location):
                self.assertFalse(is_lab_location(location, ORIGINS))


class RegexTests(SimpleTestCase):
    """Any pattern re compiles is taken, however slowly it may run (its time is bounded where it
    runs: lab/tests/test_origin_regex.py), except the few the time-limited engine cannot run as re."""

    def test_ordinary_and_pathological_patterns_pass(self):
        for pattern in (r"^https://\w+\.lab\.localhost(:\d+)?$", r"^https://(app|api)\.lab\.localhost:8443$", "null",
                        "https://(.|.)*!", "(a+)+$", "(a*)*", r"(\w+\.)+x", "a*b*c*", "a{e<=1}", "[[:alpha:]]"):
            check_regex(pattern, "f")

    def test_broken_or_unrunnable_patterns_are_refused_naming_the_field(self):
        for pattern in (r"(a)\1", "(?P<x>a)(?P=x)", "(", "[", "(?<=a*)", "a{99999999999999999999}", "a{2000}",
                        "a" * 101, "a\nb"):
            with self.subTest(pattern), self.assertRaises(CaseError) as caught:
                check_regex(pattern, "f")
            self.assertEqual(caught.exception.field, "f")


class CorsSettingsAsTheLibraryChecksThemTests(SimpleTestCase):
    """Our IDs must equal corsheaders.checks.check_settings' IDs, value for value."""

    BAD = {
        "CORS_ALLOW_HEADERS": [None, 1, [1], ["x", 2], {"a": 1}, "x-a", ["x-a"]],
        "CORS_ALLOW_METHODS": [None, 5, [None], "GET", ["GET"]],
        "CORS_ALLOW_CREDENTIALS": [None, 1, "true", [], True],
        "CORS_PREFLIGHT_MAX_AGE": [None, -1, "5", 1.5, [], True, 0, 600],
        "CORS_ALLOW_ALL_ORIGINS": [None, 0, "yes", False],
        "CORS_ALLOWED_ORIGINS": [None, 3, [3], "https://a.b", ["example.com"], ["https://a.b/"], ["https://a.b?x"],
                                 ["https://a.b#f"], ["https://a.b/p?q#f"], ["null", "file://"], ["{app}"], ["//a.b"], []],
        "CORS_ALLOWED_ORIGIN_REGEXES": [None, 1, [1], "^x$", ["^x$"]],
        "CORS_EXPOSE_HEADERS": [None, 1, [1], "X-A", ["X-A"]],
    }

    def test_same_ids_as_check_settings_over_a_grid_of_values(self):
        compared = 0
        for name, values in self.BAD.items():
            for value in values:
                with self.subTest(name=name, value=value):
                    ours = sorted(error.check_id for error in check_cors_settings({name: value}, ORIGINS))
                    real = value if not isinstance(value, list) else [ORIGINS.fill(v) if isinstance(v, str) else v for v in value]
                    with override_settings(**{name: real}):
                        theirs = sorted(error.id for error in check_settings())
                    self.assertEqual(ours, theirs)
                    compared += 1
        self.assertGreater(compared, 40)

    def test_a_bad_setting_is_a_400_naming_it_with_the_library_id(self):
        with self.assertRaises(CaseError) as caught:
            parse_case(case(server={"cors": {"CORS_ALLOWED_ORIGINS": ["example.com"]}}), ORIGINS)
        self.assertEqual(caught.exception.as_json()["field"], "server.cors.CORS_ALLOWED_ORIGINS")
        self.assertEqual(caught.exception.as_json()["check"], "corsheaders.E013")

    def test_a_regex_that_does_not_compile_or_refers_back_is_refused(self):
        for pattern in ("(", r"^(a)\1$"):
            with self.subTest(pattern), self.assertRaises(CaseError) as caught:
                parse_case(case(server={"cors": {"CORS_ALLOWED_ORIGIN_REGEXES": [pattern]}}), ORIGINS)
            self.assertEqual(caught.exception.field, "server.cors.CORS_ALLOWED_ORIGIN_REGEXES[0]")

    def test_list_bounds(self):
        for name in ("CORS_ALLOWED_ORIGINS", "CORS_ALLOW_HEADERS"):
            with self.subTest(name), self.assertRaises(CaseError) as caught:
                parse_case(case(server={"cors": {name: ["https://a.b"] * 13}}), ORIGINS)
            self.assertEqual(caught.exception.field, f"server.cors.{name}")
        with self.assertRaises(CaseError) as caught:
            parse_case(case(server={"cors": {"CORS_PREFLIGHT_MAX_AGE": 10**10}}), ORIGINS)
        self.assertEqual(caught.exception.field, "server.cors.CORS_PREFLIGHT_MAX_AGE")
