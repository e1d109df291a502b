"""The settings the doctor writes for a layout leave the checks nothing to say, except what no
setting can lift: a front on another site than the API leaves the cookie login to the browsers'
third-party cookie rules."""

from unittest import TestCase

from cors_doctor import generate, literal_settings
from crossorigin.deployment.flows import layout_for
from crossorigin.deployment.report import judge_settings
from crossorigin.deployment.settings import DjangoSettings

SAME_SITE = [("https://kikuichige.com", "https://django6.kikuichige.com"), ("https://www.example.co.jp", "https://api.example.co.jp"),
             ("https://kikuichige.com:8443", "https://django6.kikuichige.com"), ("http://localhost:5173", "http://localhost:8000"),
             ("https://app.lab.localhost", "https://api.lab.localhost"), ("https://myapp.example.com", "https://myapp.example.com")]
CROSS_SITE = [("https://myapp.vercel.app", "https://myapi.onrender.com"), ("https://alice.github.io", "https://alice-api.github.io")]


def judged(front: str, api: str) -> dict:
    read = literal_settings.read(generate.settings_block(front, api))
    assert not read.not_understood, read.not_understood
    return judge_settings(layout_for(front, api), DjangoSettings.of(read.values))


class GeneratedSettingsTests(TestCase):
    def test_on_one_site_every_flow_works_and_no_check_speaks(self):
        for front, api in SAME_SITE:
            with self.subTest(front=front, api=api):
                report = judged(front, api)
                self.assertEqual(report["checks"], [])
                self.assertTrue(all(flow["works"] for flow in report["flows"]))

    def test_on_two_sites_only_the_third_party_cookie_rules_remain(self):
        for front, api in CROSS_SITE:
            with self.subTest(front=front, api=api):
                report = judged(front, api)
                self.assertEqual({check["id"] for check in report["checks"]}, {"cors_doctor.W002", "cors_doctor.W003"})
                self.assertTrue(all(flow["works"] for flow in report["flows"] if flow["engine"] in ("chromium", "firefox")))

    def test_every_line_says_why(self):
        block = generate.settings_block(*SAME_SITE[0])
        settings = [line for line in block.splitlines() if line and line[0].isupper()]
        for line in settings:
            previous = block.splitlines()[block.splitlines().index(line) - 1]
            self.assertTrue(previous.startswith("#") or previous[0].isupper(), line)

    def test_the_proxy_sends_what_django_reads(self):
        nginx = generate.nginx_block("https://django6.kikuichige.com")
        self.assertIn("proxy_set_header X-Forwarded-Proto $scheme;", nginx)
        self.assertIn("proxy_set_header Host $host;", nginx)
        self.assertIn("server_name django6.kikuichige.com;", nginx)
        self.assertNotIn("add_header Access-Control", nginx)
        self.assertIn('SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")', generate.settings_block(*SAME_SITE[0]))
