"""The six flows, played per engine against what Django answers under a project's settings. The
layouts are the lab's own (whose real browsers e2e/test_doctor_flows.py runs), the article's, and
pairs drawn from the Public Suffix List itself."""

import itertools
from unittest import TestCase

from crossorigin.deployment.diagnosis import CHECKS, check_of, kind_of
from crossorigin.deployment.flows import FLOWS, Layout, layout_for, run
from crossorigin.deployment.jars import ENGINES
from crossorigin.deployment.server import SimulatedApi
from crossorigin.deployment.settings import CORS_MIDDLEWARE, STARTPROJECT_MIDDLEWARE, DjangoSettings
from crossorigin.sites import host_of, same_site
from crossorigin.tests.test_sites import ALL_RULES, SECTIONS

SESSION_FLOWS = ("session-login", "session-get", "logout")
PROXY = ("HTTP_X_FORWARDED_PROTO", "https")


def project(front: str, api: str, **changes) -> DjangoSettings:
    """A project set up as the article's: CORS and CSRF trust the front, credentials allowed,
    Secure cookies of SameSite=Lax; `changes` on top."""
    values = {"ALLOWED_HOSTS": [host_of(api)], "MIDDLEWARE": [CORS_MIDDLEWARE, *STARTPROJECT_MIDDLEWARE],
              "SECURE_PROXY_SSL_HEADER": PROXY, "CORS_ALLOWED_ORIGINS": [front], "CORS_ALLOW_CREDENTIALS": True,
              "CSRF_TRUSTED_ORIGINS": [front], "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True}
    return DjangoSettings.of({**values, **changes})


def broken(front: str, api: str, settings: DjangoSettings | None = None) -> dict:
    """engine -> the flows that break in it."""
    layout = Layout(front, api)
    settings = settings or project(front, api)
    found = {}
    for engine in ENGINES:
        found[engine] = {result.flow for result in run(layout, SimulatedApi(settings, layout), engine) if not result.works}
    return found


def everywhere(flows=()) -> dict:
    return {engine: set(flows) for engine in ENGINES}


class LabLayoutTests(TestCase):
    """The lab's backend settings (e2e/backend-settings/), as e2e/test_doctor_flows.py measured them in
    Chromium 150 (both third-party-cookie settings), Firefox ESR 140 and WebKitGTK 2.50."""

    APP, API, CROSS = "https://app.lab.localhost", "https://api.lab.localhost", "https://app.front.localhost"

    def lab(self, front, samesite="Lax", partitioned=False):
        return project(front, self.API, SESSION_COOKIE_SAMESITE=samesite, CSRF_COOKIE_SAMESITE=samesite,
                       CORS_DOCTOR_PARTITIONED_COOKIES=partitioned, CORS_ALLOWED_ORIGINS=[self.APP, self.CROSS],
                       CSRF_TRUSTED_ORIGINS=[self.APP, self.CROSS])

    def test_default_the_app_on_the_apis_site(self):
        # WebKit refuses the API's host-only cookies: .localhost is not on the list.
        self.assertEqual(broken(self.APP, self.API, self.lab(self.APP)),
                         {**everywhere(), "webkit": set(SESSION_FLOWS)})

    def test_cross_site_lax_breaks_the_cookie_login_everywhere(self):
        self.assertEqual(broken(self.CROSS, self.API, self.lab(self.CROSS)), everywhere(SESSION_FLOWS))

    def test_cross_site_none_works_where_third_party_cookies_come_back(self):
        self.assertEqual(broken(self.CROSS, self.API, self.lab(self.CROSS, "None")),
                         {**everywhere(), "chromium-3pc-blocked": set(SESSION_FLOWS), "webkit": set(SESSION_FLOWS)})

    def test_cross_site_chips_works_but_in_webkit(self):
        self.assertEqual(broken(self.CROSS, self.API, self.lab(self.CROSS, "None", partitioned=True)),
                         {**everywhere(), "webkit": set(SESSION_FLOWS)})

    def test_the_sibling_is_refused_everything(self):
        sibling = "https://evil.lab.localhost"
        self.assertEqual(broken(sibling, self.API, self.lab(self.APP)), everywhere(FLOWS))


def sample(rules, every: int):
    """Every `every`-th plain rule of a section, as the list orders it: drawn from the list, the same each run."""
    plain = [rule for rule in rules if rule[0] not in "*!" and f"*.{rule}" not in ALL_RULES and not rule.startswith("xn--")]
    return plain[::every]


class PublicSuffixListTests(TestCase):
    """Pairs built on rules of the list's ICANN and private sections."""

    def test_two_hosts_under_one_registrable_domain_keep_the_cookie_login(self):
        for section, every in (("icann", 400), ("private", 300)):
            for rule in sample(SECTIONS[section], every):
                front, api = f"https://www.example-lab.{rule}", f"https://api.example-lab.{rule}"
                with self.subTest(section=section, rule=rule):
                    self.assertTrue(same_site(front, api))
                    self.assertEqual(broken(front, api), everywhere())

    def test_two_registrable_domains_under_one_suffix_lose_it(self):
        for section, every in (("icann", 400), ("private", 300)):
            for rule in sample(SECTIONS[section], every):
                front, api = f"https://alice-lab.{rule}", f"https://bob-lab.{rule}"
                with self.subTest(section=section, rule=rule):
                    self.assertFalse(same_site(front, api))
                    self.assertEqual(broken(front, api), everywhere(SESSION_FLOWS))

    def test_the_deployments_learners_meet(self):
        self.assertEqual(broken("https://alice.github.io", "https://alice-api.github.io"), everywhere(SESSION_FLOWS))
        self.assertEqual(broken("https://myapp.vercel.app", "https://myapi.onrender.com"), everywhere(SESSION_FLOWS))
        self.assertEqual(broken("https://www.example.co.jp", "https://api.example.co.jp"), everywhere())
        self.assertEqual(broken("https://kikuichige.com", "https://django6.kikuichige.com"), everywhere())

    def test_an_http_front_is_another_site_for_chromium(self):
        front = "http://kikuichige.com"
        self.assertEqual(broken(front, "https://django6.kikuichige.com"),
                         {**everywhere(), "chromium": set(SESSION_FLOWS), "chromium-3pc-blocked": set(SESSION_FLOWS)})

    def test_ports_are_part_of_the_origin_not_of_the_site(self):
        front, api = "https://kikuichige.com:8443", "https://django6.kikuichige.com"
        self.assertTrue(same_site(front, api))
        self.assertEqual(broken(front, api), everywhere())
        without_port = project(front, api, CORS_ALLOWED_ORIGINS=["https://kikuichige.com"])
        self.assertEqual(broken(front, api, without_port), everywhere(FLOWS))


class LayoutTests(TestCase):
    def test_the_api_may_live_under_a_path(self):
        layout = layout_for("https://kikuichige.com", "https://django6.kikuichige.com/cors_project")
        self.assertEqual(layout.url(type("S", (), {"path": "hello"})), "https://django6.kikuichige.com/cors_project/api/hello/")
        self.assertEqual(layout.api, "https://django6.kikuichige.com")

    def test_what_is_not_an_origin_is_refused_with_a_reason(self):
        for front, api in (("https://kikuichige.com/page", "https://api.example"), ("ftp://a.example", "https://api.example"),
                           ("https://a.example", "https://user@api.example"), ("https://a.example", "https://api.example?x"),
                           ("https://a.example", "https://api.example:99999"), ("https://caf\xe9.example", "https://a.example"),
                           ("https://a.example", "https://[::1"), ("https://a.example", "javascript:alert(1)")):
            with self.subTest(front=front, api=api):
                with self.assertRaises(ValueError):
                    layout_for(front, api)
        with self.assertRaises(ValueError):
            layout_for("https://a.example", "https://api.example", {"hello": "//evil.example/"})

    def test_the_origin_is_serialized_as_the_browser_sends_it(self):
        layout = layout_for("HTTPS://Kikuichige.COM:443/", "https://django6.kikuichige.com:443")
        self.assertEqual((layout.front, layout.api), ("https://kikuichige.com", "https://django6.kikuichige.com"))


class ServerRulesTests(TestCase):
    FRONT, API = "https://kikuichige.com", "https://django6.kikuichige.com"

    def test_an_https_page_cannot_call_an_http_api(self):
        self.assertEqual(broken(self.FRONT, "http://django6.kikuichige.com",
                                project(self.FRONT, "http://django6.kikuichige.com", SESSION_COOKIE_SECURE=False,
                                        CSRF_COOKIE_SECURE=False)), everywhere(FLOWS))

    def test_ssl_redirect_without_the_proxy_header_loops(self):
        settings = project(self.FRONT, self.API, SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None)
        layout = Layout(self.FRONT, self.API)
        [hello] = [r for r in run(layout, SimulatedApi(settings, layout), "chromium") if r.flow == "simple-get"]
        self.assertEqual(hello.reason, "RedirectLoop")
        self.assertEqual(broken(self.FRONT, self.API, settings), everywhere(FLOWS))

    def test_the_same_origin_needs_no_cors_but_csrf_must_see_the_https(self):
        """The proxied way out: the front calls its own /api/. Origin and Host agree, yet without
        SECURE_PROXY_SSL_HEADER Django compares https://host with http://host."""
        same = "https://myapp.example.com"
        settings = DjangoSettings.of({"ALLOWED_HOSTS": ["myapp.example.com"], "SESSION_COOKIE_SECURE": True})
        self.assertEqual(broken(same, same, settings), everywhere(("session-login", "session-get", "logout")))
        self.assertEqual(broken(same, same, DjangoSettings.of({"ALLOWED_HOSTS": ["myapp.example.com"],
                                                              "SECURE_PROXY_SSL_HEADER": PROXY})), everywhere())


class ConsistencyTests(TestCase):
    """Over a grid of settings and layouts: a flow breaks exactly when some setting stands in its
    way, and every setting in the way has a check."""

    LAYOUTS = [("https://kikuichige.com", "https://django6.kikuichige.com"), ("https://myapp.vercel.app", "https://myapi.onrender.com"),
               ("https://app.lab.localhost", "https://api.lab.localhost"), ("http://kikuichige.com", "https://django6.kikuichige.com")]
    CHANGES = {
        "CORS_ALLOWED_ORIGINS": [[], None],
        "CORS_ALLOW_CREDENTIALS": [False, None],
        "CORS_ALLOW_HEADERS": [["content-type"], ["*"], None],
        "CSRF_TRUSTED_ORIGINS": [[], None],
        "SESSION_COOKIE_SAMESITE": ["None", None, "Strict"],
        "CSRF_COOKIE_SECURE": [False, None],
        "CORS_DOCTOR_PARTITIONED_COOKIES": [True, None],
        "ALLOWED_HOSTS": [[], None],
    }

    def test_a_flow_breaks_exactly_when_a_cause_stands_in_its_way(self):
        names = list(self.CHANGES)
        for front, api in self.LAYOUTS:
            # Every seventh combination, the same each run: the grid stays near a second.
            for values in list(itertools.product(*self.CHANGES.values()))[::7]:
                changes = {name: value for name, value in zip(names, values) if value is not None}
                settings = project(front, api, **changes)
                layout = Layout(front, api)
                for engine in ENGINES:
                    for result in run(layout, SimulatedApi(settings, layout), engine, settings.csrf_header()):
                        self.assertEqual(result.works, not result.causes, (front, changes, engine, result.flow, result.reason))
                        for cause in result.causes:
                            self.assertIn(check_of(kind_of(cause)), CHECKS.values())
