"""The doctor's endpoints: the page's report, refusals as JSON with the right status, bounds on
what a visitor pastes, and nothing that fetches a URL."""

import ast
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from config.tests.test_translations import CompiledCatalogueTestCase
from crossorigin.deployment.diagnosis import CHECKS
from crossorigin.deployment.flows import FLOWS
from doctor import views
from testing import ApiClient

BACKEND = Path(__file__).resolve().parents[2]
ARTICLE = {"front": "https://kikuichige.com", "api": "https://django6.kikuichige.com"}


class CheckEndpointTests(TestCase):
    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def post(self, data, **extra):
        return self.client.post_json("/api/doctor/", data, **extra)

    def test_the_report_for_pasted_settings(self):
        source = 'import os\nCORS_ALLOWED_ORIGINS = ["https://kikuichige.com"]\nSECRET_KEY = os.environ["KEY"]\nX = 1\n'
        response = self.post({**ARTICLE, "settings": source})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)
        report = response.json()
        self.assertTrue(report["same_site"])
        self.assertEqual(len(report["flows"]), 24)
        ids = {check["id"] for check in report["checks"]}
        self.assertNotIn("cors_doctor.E002", ids)   # the pasted CORS_ALLOWED_ORIGINS was read
        self.assertIn("cors_doctor.E004", ids)
        self.assertEqual(report["settings_read"], ["CORS_ALLOWED_ORIGINS", "X"])
        self.assertEqual([(n["line"], n["name"], n["used"]) for n in report["not_understood"]], [(3, "SECRET_KEY", False)])
        self.assertIn('CORS_ALLOWED_ORIGINS = ["https://kikuichige.com"]', report["generated"]["settings"])

    def test_without_settings_a_project_that_sets_nothing(self):
        report = self.post(ARTICLE).json()
        self.assertEqual({c["id"] for c in report["checks"]},
                         {"cors_doctor.E002", "cors_doctor.E004", "cors_doctor.E006", "cors_doctor.E008"})

    def test_the_api_may_be_mounted_under_a_path(self):
        report = self.post({**ARTICLE, "api": "https://django6.kikuichige.com/cors_project"}).json()
        self.assertEqual(report["flows"][0]["steps"][0]["url"], "https://django6.kikuichige.com/cors_project/api/hello/")

    def test_refusals_are_json_with_the_right_status(self):
        cases = [
            (self.client.post("/api/doctor/", "x", content_type="text/plain"), 415, "unsupported_media_type"),
            (self.post({**ARTICLE, "settings": "x" * 20_000}), 413, "body_too_large"),
            (self.post("{not json"), 400, "malformed_json"),
            (self.post({"front": "https://kikuichige.com"}), 400, "missing_fields"),
            (self.post({**ARTICLE, "front": "https://kikuichige.com/page"}), 400, "invalid_origin"),
            (self.post({**ARTICLE, "api": "javascript:alert(1)"}), 400, "invalid_origin"),
            (self.post({**ARTICLE, "front": "https://" + "a" * 400 + ".example"}), 400, "invalid_origin"),
            (self.post({**ARTICLE, "settings": "CORS_ALLOWED_ORIGINS = ["}), 400, "settings_not_python"),
            (self.post({**ARTICLE, "settings": ["not", "text"]}), 400, "invalid_settings"),
            (self.post({**ARTICLE, "settings": "A=1 " * 3100}), 400, "invalid_settings"),  # over 12 KiB, within the body limit
            (self.post({**ARTICLE, "settings": r'CORS_ALLOWED_ORIGIN_REGEXES = [r"(a)\1"]'}), 400, "regex_refused"),
            (self.client.get("/api/doctor/"), 405, "method_not_allowed"),
        ]
        for response, status, code in cases:
            with self.subTest(code):
                self.assertEqual((response.status_code, response.json()["error"]), (status, code), response.content)

    def test_a_regex_re_refuses_is_a_check_not_a_crash(self):
        report = self.post({**ARTICLE, "settings": 'CORS_ALLOWED_ORIGIN_REGEXES = ["(unclosed"]\nCORS_URLS_REGEX = "*"'}).json()
        [check] = [c for c in report["checks"] if c["id"] == "cors_doctor.E011"]
        self.assertIn("CORS_ALLOWED_ORIGIN_REGEXES, CORS_URLS_REGEX", check["message"])

    def test_a_regex_that_backtracks_for_ever_is_stopped(self):
        slow = {"front": "https://" + "a" * 40 + ".example", "api": ARTICLE["api"],
                "settings": 'CORS_ALLOWED_ORIGIN_REGEXES = [r"https://(a|a)*!$"]'}
        response = self.post(slow)
        self.assertEqual((response.status_code, response.json()["error"]), (400, "regex_too_slow"))


class LabEndpointTests(TestCase):
    def get(self, front):
        return ApiClient(origin=settings.LAB_APP_ORIGIN).get(f"/api/doctor/lab/?front={front}")

    def test_the_lab_judged_with_its_own_settings(self):
        report = self.get("app").json()
        self.assertEqual((report["front"], report["api"], report["lab_front"]), (settings.LAB_APP_ORIGIN, settings.LAB_API_ORIGIN, "app"))
        broken = {(f["flow"], f["engine"]) for f in report["flows"] if not f["works"]}
        # .env.example's same-site lab: only WebKit loses the login (.localhost is not on the list).
        self.assertEqual(broken, {(flow, "webkit") for flow in ("session-login", "session-get", "logout")})
        self.assertEqual({c["id"] for c in report["checks"]}, {"cors_doctor.W004"})

    def test_checks_and_flows_link_the_lab_page_that_shows_them(self):
        report = self.get("app").json()
        self.assertEqual({c["lab_page"] for c in report["checks"]}, {"/engines.html"})
        self.assertEqual({f["flow"]: f["lab_page"] for f in report["flows"]}["jwt-get"], "/tokens.html")
        # Every key names a check or a flow there is (a typo would never link).
        known = {check.id for check in CHECKS.values()} | set(FLOWS)
        self.assertLessEqual(set(views.LAB_PAGES), known)

    def test_the_sibling_and_the_attacker_are_refused_everything(self):
        for front in ("sibling", "attacker"):
            with self.subTest(front):
                self.assertFalse(any(f["works"] for f in self.get(front).json()["flows"]))

    def test_an_unknown_front_is_a_400(self):
        response = self.get("https://elsewhere.example")
        self.assertEqual((response.status_code, response.json()["error"]), (400, "invalid_front"))


class JapaneseReportTests(CompiledCatalogueTestCase):
    def test_the_report_speaks_the_requests_language_and_keeps_ids_and_lines(self):
        client = ApiClient(origin=settings.LAB_APP_ORIGIN)
        english = client.post_json("/api/doctor/", ARTICLE).json()
        japanese = client.post_json("/api/doctor/", ARTICLE, headers={"Accept-Language": "ja"}).json()
        self.assertEqual([c["id"] for c in japanese["checks"]], [c["id"] for c in english["checks"]])
        self.assertEqual([c["fix"] for c in japanese["checks"]], [c["fix"] for c in english["checks"]])
        self.assertRegex(japanese["checks"][0]["message"], r"[\u3040-\u30ff\u4e00-\u9fff]")
        self.assertRegex(japanese["flows"][0]["why"], r"[\u3040-\u30ff\u4e00-\u9fff]")


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update({node.module} | {f"{node.module}.{alias.name}" for alias in node.names})
    return names


class NoFetchingTests(TestCase):
    def test_no_module_a_view_imports_reaches_the_probe(self):
        """The probe sends requests: only a terminal runs it (no SSRF through the lab)."""
        seen, todo = set(), [path for path in (BACKEND / "doctor").glob("*.py")]
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen.add(path)
            for name in imports_of(path):
                self.assertNotIn(name, ("cors_doctor.probe", "cors_doctor.cli", "http.client", "urllib.request", "socket"),
                                 f"{path.relative_to(BACKEND)} imports {name}")
                module = BACKEND / (name.replace(".", "/") + ".py")
                if name.startswith("cors_doctor") and module.exists():
                    todo.append(module)
        self.assertIn(BACKEND / "cors_doctor" / "literal_settings.py", seen)
