"""The leak endpoints serve the real session under the entry's mistake, and the real /api/ keeps
refusing whatever a leak endpoint did just before (requests interleaved)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from testing import ApiClient
from ledger.models import Entry

SIBLING_COOKIE_SECRET = "s" * 32


class LeakEndpointTests(TestCase):
    def setUp(self):
        get_user_model().objects.create_user("alice", password="pw")
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)
        token = self.app.get("/api/csrf/").json()["csrfToken"]
        self.app.post_json("/api/login/", {"username": "alice", "password": "pw"}, headers={"X-CSRFToken": token})

    def as_origin(self, origin) -> ApiClient:
        """Another page, with the victim's cookies (what SameSite lets through to it)."""
        client = ApiClient(origin=origin)
        client.cookies = self.app.cookies
        return client

    def test_reflect_any_origin_gives_alice_to_any_origin_and_the_fix_does_not(self):
        attacker = self.as_origin(settings.LAB_ATTACKER_ORIGIN)
        mistake = attacker.get("/leaks/reflect-any-origin/mistake/me/")
        self.assertEqual(mistake.json()["user"]["username"], "alice")
        self.assertEqual(mistake["Access-Control-Allow-Origin"], settings.LAB_ATTACKER_ORIGIN)
        self.assertEqual(mistake["Access-Control-Allow-Credentials"], "true")
        self.assertNotIn("Access-Control-Allow-Origin", attacker.get("/leaks/reflect-any-origin/fixed/me/"))

    def test_the_real_api_refuses_between_leak_requests(self):
        for leak in ("reflect-any-origin", "every-subdomain", "trusted-null", "suffix-match"):
            for origin in (settings.LAB_ATTACKER_ORIGIN, settings.LAB_SIBLING_ORIGIN, "null",
                           settings.LAB_LOOKALIKE_ORIGINS["suffix"]):
                with self.subTest(leak=leak, origin=origin):
                    client = self.as_origin(origin)
                    client.get(f"/leaks/{leak}/mistake/me/")
                    real = client.get("/api/me/")
                    self.assertEqual(real.status_code, 200)  # the cookie arrived...
                    self.assertNotIn("Access-Control-Allow-Origin", real)  # ...and CORS refuses
                    self.assertEqual(client.preflight("/api/me/", "GET", "x-lab").get("Access-Control-Allow-Origin"), None)

    def test_the_suffix_mistake_is_hand_written_and_echoes_the_lookalike(self):
        lookalike = settings.LAB_LOOKALIKE_ORIGINS["suffix"]
        response = self.as_origin(lookalike).get("/leaks/suffix-match/mistake/me/")
        self.assertEqual(response["Access-Control-Allow-Origin"], lookalike)
        self.assertIn("Origin", response["Vary"])

    def test_without_a_session_the_leak_is_a_401(self):
        response = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN).get("/leaks/reflect-any-origin/mistake/me/")
        self.assertEqual(response.status_code, 401)

    def test_unknown_entry_variant_or_attack_is_a_json_404(self):
        for method, path in (("get", "/leaks/nope/mistake/me/"), ("get", "/leaks/reflect-any-origin/other/me/"),
                             ("post", "/leaks/reflect-any-origin/mistake/display-name/"),
                             ("get", "/leaks/csrf-subdomain-wildcard/mistake/me/")):
            with self.subTest(path):
                response = getattr(self.app, method)(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/json")

    def tossed(self, client, path):
        """The sibling's form POST after cookie tossing: its own csrftoken (Domain=lab.localhost)
        comes after the API's in the Cookie header (older cookies first, RFC 6265bis 5.8.3), and
        the form carries the token that matches the tossed cookie."""
        jar = "; ".join(f"{name}={morsel.value}" for name, morsel in self.app.cookies.items())
        return client.post(path, {"display_name": "tossed", "csrfmiddlewaretoken": SIBLING_COOKIE_SECRET},
                           HTTP_COOKIE=f"{jar}; csrftoken={SIBLING_COOKIE_SECRET}")

    def test_subdomain_wildcard_plus_cookie_tossing_changes_the_display_name(self):
        sibling = self.as_origin(settings.LAB_SIBLING_ORIGIN)
        response = self.tossed(sibling, "/leaks/csrf-subdomain-wildcard/mistake/display-name/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.app.get("/api/me/").json()["user"]["display_name"], "tossed")

    def test_the_fix_and_the_real_api_refuse_the_same_post_at_the_origin_check(self):
        sibling = self.as_origin(settings.LAB_SIBLING_ORIGIN)
        for path in ("/leaks/csrf-subdomain-wildcard/fixed/display-name/", "/api/display-name/"):
            with self.subTest(path):
                response = self.tossed(sibling, path)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.json()["reason_code"], "origin_untrusted")
                self.assertIn("Origin checking failed", response.json()["reason"])
        self.assertEqual(self.app.get("/api/me/").json()["user"]["display_name"], "alice")

    def test_the_table_reads_the_ledger_by_row_and_samesite(self):
        sibling = self.as_origin(settings.LAB_SIBLING_ORIGIN)
        sibling.get("/leaks/every-subdomain/mistake/me/?run=table-run-1", headers={"Sec-Fetch-Site": "same-site"})
        attacker = self.as_origin(settings.LAB_ATTACKER_ORIGIN)
        attacker.get("/leaks/every-subdomain/mistake/me/?run=table-run-1", headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual(Entry.objects.count(), 2)
        body = self.app.get("/api/leaks/table/?column=here:table-run-1").json()
        table = next(t for t in body["tables"] if t["slug"] == "every-subdomain")
        cells = {row["row"]: row["cells"][0]["mistake"]["outcome"] for row in table["rows"]}
        self.assertEqual(cells, {"sibling": "leaked", "cross-site": "cors"})
        self.assertEqual(body["columns"], [{"samesite": "Lax", "browser": "here"}])

    def test_the_table_wants_valid_columns(self):
        for query in ("", "?column=bad label:x", "?column=ok:unknown-run-id"):
            with self.subTest(query):
                self.assertIn(self.app.get("/api/leaks/table/" + query).status_code, (400, 404))
        self.assertEqual(ApiClient(origin=settings.LAB_SIBLING_ORIGIN).get(
            "/api/leaks/table/?column=a:table-run-1").status_code, 403)

    def test_the_catalogue_is_public_without_credentials(self):
        response = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN).get("/leaks/")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", response)
        self.assertEqual(len(response.json()["leaks"]), 7)
