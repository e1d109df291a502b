from datetime import timedelta

from django.conf import settings
from django.test import TestCase

from testing import ApiClient
from ledger.models import Entry


class CookieLabViewTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def test_set_probes_sets_seven_secure_cookies_with_their_attributes(self):
        response = self.app.get("/api/cookies/set/")
        cookies = response.cookies
        self.assertEqual(len(cookies), 7)
        self.assertTrue(all(cookie["secure"] for cookie in cookies.values()))
        self.assertEqual(cookies["probe_strict"]["samesite"], "Strict")
        self.assertEqual(cookies["probe_none"]["samesite"], "None")
        self.assertEqual(cookies["probe_unspecified"]["samesite"], "")
        self.assertEqual(cookies["probe_domain"]["domain"], "lab.localhost")
        self.assertEqual(cookies["__Host-probe"]["domain"], "")
        self.assertEqual(cookies["__Host-probe"]["path"], "/")

    def test_the_domain_probe_is_the_apis_registrable_domain_on_exact_names(self):
        """Domain=<site>: example.com for django6.example.com; for api.v2.example.com, example.com
        too, not v2.example.com, which the app on example.com could not see."""
        for api, site in (("django6.example.com", "example.com"), ("api.v2.example.com", "example.com"),
                          ("api.example.co.jp", "example.co.jp")):
            with self.subTest(api), self.settings(LAB_API_HOST=api, ALLOWED_HOSTS=[api]):
                cookies = ApiClient(origin=settings.LAB_APP_ORIGIN).get("/api/cookies/set/").cookies
                self.assertEqual(cookies["probe_domain"]["domain"], site)

    def test_each_set_gives_the_probes_a_fresh_value(self):
        first = self.app.get("/api/cookies/set/").cookies["probe_unspecified"].value
        second = self.app.get("/api/cookies/set/").cookies["probe_unspecified"].value
        self.assertNotEqual(first, second)

    def test_probe_reports_the_probe_cookies_that_arrived_and_nothing_else(self):
        self.app.cookies["probe_lax"] = "1"
        self.app.cookies["sessionid"] = "x"
        body = self.app.get("/api/cookies/probe/same-site-fetch/").json()
        self.assertEqual(body["cookies"], ["probe_lax"])

    def test_probe_accepts_a_cross_site_form_post_without_csrf(self):
        attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN)
        response = attacker.post("/api/cookies/probe/cross-site-form-post/", {"x": "1"})
        self.assertEqual(response.status_code, 200)

    def test_unknown_context_is_404(self):
        self.assertEqual(self.app.get("/api/cookies/probe/nowhere/").json()["error"], "unknown_context")

    def test_same_origin_page_may_be_framed_and_posts_to_the_app_origin_only(self):
        response = self.app.get("/api/cookies/same-origin/")
        self.assertNotIn("X-Frame-Options", response)
        self.assertIn(f'"{settings.LAB_APP_ORIGIN}"', response.content.decode())

    def test_matrix_compares_what_arrived_with_the_rules(self):
        self.app.get("/api/cookies/set/?run=unit-matrix-1")
        self.app.get("/api/cookies/probe/same-site-fetch/?run=unit-matrix-1")
        body = self.app.get("/api/cookies/matrix/?run=unit-matrix-1").json()
        strict = next(row for row in body["rows"] if row["probe"]["name"] == "probe_strict")
        cell = next(c for c in strict["cells"] if c["context"] == "same-site-fetch")
        self.assertEqual((cell["ran"], cell["sent"]), (True, True))
        self.assertEqual(body["policies_matched"],
                         ["third-party-cookies-blocked", "third-party-cookies-allowed"])

    def test_matrix_is_private_to_the_app_origin(self):
        self.app.get("/api/cookies/set/?run=unit-matrix-2")
        response = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN).get("/api/cookies/matrix/?run=unit-matrix-2")
        self.assertEqual(response.status_code, 403)

    def test_matrix_shows_the_latest_request_of_a_context_timed_from_the_latest_set(self):
        run = "unit-matrix-3"
        attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN)
        self.app.get(f"/api/cookies/set/?run={run}")
        attacker.cookies["probe_unspecified"] = "1"
        attacker.post(f"/api/cookies/probe/cross-site-form-post/?run={run}", {"x": "1"})
        del attacker.cookies["probe_unspecified"]
        attacker.post(f"/api/cookies/probe/cross-site-form-post/?run={run}", {"x": "1"})
        last_post = Entry.objects.filter(run__run_id=run).last()
        Entry.objects.filter(pk=last_post.pk).update(at=last_post.at + timedelta(seconds=150))

        body = self.app.get(f"/api/cookies/matrix/?run={run}").json()

        row = next(row for row in body["rows"] if row["probe"]["name"] == "probe_unspecified")
        cell = next(c for c in row["cells"] if c["context"] == "cross-site-form-post")
        self.assertFalse(cell["sent"])
        self.assertGreater(cell["cookie_age_seconds"], 120)
        self.assertFalse(cell["expected"]["third-party-cookies-blocked"])

    def test_app_script_column_comes_from_what_the_page_reports(self):
        self.app.get("/api/cookies/set/?run=unit-matrix-4")
        body = self.app.get("/api/cookies/matrix/?run=unit-matrix-4&app_script_saw=probe_domain,sessionid").json()
        cells = {row["probe"]["name"]: next(c for c in row["cells"] if c["context"] == "app-document-cookie")
                 for row in body["rows"]}
        self.assertTrue(cells["probe_domain"]["sent"])
        self.assertFalse(cells["probe_host_only"]["sent"])
        self.assertTrue(all(cells["probe_domain"]["matches"].values()))

    def test_attacks_lists_the_attackers_requests_with_the_defence_that_held(self):
        attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN, HTTP_SEC_FETCH_SITE="cross-site",
                             HTTP_SEC_FETCH_MODE="navigate", HTTP_SEC_FETCH_DEST="document")
        attacker.post("/api/display-name/?run=unit-attacks-1", {"display_name": "x"})
        self.app.get("/api/hello/?run=unit-attacks-1")
        [row] = self.app.get("/api/cookies/attacks/?run=unit-attacks-1").json()["attacks"]
        self.assertEqual((row["path"], row["status"], row["session_arrived"]), ("/api/display-name/", 403, False))
        self.assertEqual(row["defence"], "stopped_twice")
        # Django's reason, told in the lab's words (lab/csrf_reasons.py).
        self.assertIn(f"The request's Origin, {settings.LAB_ATTACKER_ORIGIN}, is not trusted", row["message"])
