"""python -m cors_doctor: the --json object is the contract (docs/doctor.md), the exit status is
for CI, and the settings file is read, never run."""

import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import skipUnless

from django.test import SimpleTestCase

from cors_doctor import cli, generate
from crossorigin.deployment.flows import FLOWS
from crossorigin.deployment.jars import ENGINES

BACKEND = Path(__file__).resolve().parents[2]
ARTICLE = ["--front", "https://kikuichige.com", "--api", "https://django6.kikuichige.com"]


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # argparse's usage, on errors
            status = cli.main(list(args), out)
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue()


class JsonContractTests(SimpleTestCase):
    def setUp(self):
        self.addCleanup(cli.use_language, "en")

    def test_the_object_the_issue_promised(self):
        status, out = run(*ARTICLE, "--json")
        report = json.loads(out)
        self.assertEqual(status, 1)
        self.assertIsInstance(report["same_site"], bool)
        self.assertEqual({(f["flow"], f["engine"]) for f in report["flows"]}, {(f, e) for f in FLOWS for e in ENGINES})
        for flow in report["flows"]:
            self.assertIsInstance(flow["works"], bool)
            for field in ("reason", "fix"):
                self.assertIsInstance(flow[field], str if not flow["works"] else type(None), (flow["flow"], field))
        self.assertTrue(report["checks"])
        for check in report["checks"]:
            self.assertRegex(check["id"], r"^cors_doctor\.[EW]\d{3}$")
            self.assertIn(check["level"], ("error", "warning"))
            self.assertIsInstance(check["message"], str)
            self.assertIsInstance(check["hint"], str)
        for engine, about in report["engines"].items():
            self.assertIn(engine, ENGINES)
            self.assertIsInstance(about["evidence"], str)
        self.assertIn("fitted from observation", report["engines"]["webkit"]["evidence"])

    def test_settings_that_work_exit_0(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "settings.py"
            path.write_text(generate.settings_block("https://kikuichige.com", "https://django6.kikuichige.com"))
            status, out = run(*ARTICLE, "--settings", str(path), "--json")
        self.assertEqual(status, 0)
        report = json.loads(out)
        self.assertEqual(report["checks"], [])
        self.assertIn("CORS_ALLOWED_ORIGINS", report["settings_read"])

    def test_a_path_relative_to_the_working_directory_is_read_and_not_run(self):
        with tempfile.TemporaryDirectory() as folder:
            marker = Path(folder) / "ran"
            (Path(folder) / "settings.py").write_text(f"open({str(marker)!r}, 'w')\nCORS_ALLOW_CREDENTIALS = True\n")
            before = os.getcwd()
            os.chdir(folder)
            try:
                status, out = run(*ARTICLE, "--settings", "settings.py")
            finally:
                os.chdir(before)
            self.assertFalse(marker.exists())
        self.assertIn("1 read from settings.py", out)
        self.assertNotIn("cors_doctor.E004", out)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("--front", "kikuichige.com", "--api", "https://django6.kikuichige.com")[0], 2)
        self.assertEqual(run(*ARTICLE, "--path", "hello=//evil.example/")[0], 2)
        self.assertNotIn(run(*ARTICLE, "--settings", "/nonexistent/settings.py")[0], (0, 1))

    def test_the_text_report_shows_each_engine_and_the_lines_to_change(self):
        status, out = run("--front", "https://myapp.vercel.app", "--api", "https://myapi.onrender.com")
        self.assertEqual(status, 1)
        self.assertIn("chromium-3pc-blocked", out)
        self.assertIn('CORS_ALLOWED_ORIGINS = ["https://myapp.vercel.app"]', out)
        self.assertIn("fitted from observation", out)

    def test_generate_prints_the_settings_and_the_proxy_lines(self):
        status, out = run(*ARTICLE, "--generate")
        self.assertEqual(status, 0)
        self.assertIn("CORS_ALLOW_CREDENTIALS = True", out)
        self.assertIn("proxy_set_header X-Forwarded-Proto $scheme;", out)


@skipUnless(shutil.which("msgfmt"), "needs msgfmt (the backend image has it)")
class JapaneseTests(SimpleTestCase):
    def test_lang_ja_speaks_japanese_and_keeps_ids_and_settings_lines(self):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "ja" / "LC_MESSAGES"
            target.mkdir(parents=True)
            subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(BACKEND / "locale/ja/LC_MESSAGES/django.po")], check=True)
            os.environ["CORS_DOCTOR_LOCALE_DIR"] = folder
            self.addCleanup(os.environ.pop, "CORS_DOCTOR_LOCALE_DIR")
            self.addCleanup(cli.use_language, "en")
            status, out = run(*ARTICLE, "--lang", "ja", "--json")
        report = json.loads(out)
        self.assertRegex(report["checks"][0]["message"], r"[\u3040-\u30ff\u4e00-\u9fff]")
        self.assertRegex(report["engines"]["webkit"]["evidence"], r"[\u3040-\u30ff\u4e00-\u9fff]")
        self.assertEqual({c["id"] for c in report["checks"]}, {c["id"] for c in json.loads(run(*ARTICLE, "--json")[1])["checks"]})
        self.assertIn('CORS_ALLOWED_ORIGINS = ["https://kikuichige.com"]', report["checks"][0]["fix"])
