"""The token lifecycle's endpoints (experiments/lifecycle.py): the refresh token in the body (a) or
in an HttpOnly cookie (b), rotation, reuse, logout, and the CSRF and CORS rules of each."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from experiments.lifecycle import REFRESH_COOKIE, REFRESH_PATH, REVOKE_PATH
from ledger.models import Entry, Run
from people.models import TokenFamily
from testing import ApiClient

CREDENTIALS = {"username": "alice", "password": "pw"}


class LifecycleTests(TestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_user("alice", password="pw")
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def log_in(self, refresh_in: str, client=None) -> dict:
        response = (client or self.app).post_json("/api/token/pair/", {**CREDENTIALS, "refresh_in": refresh_in})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def csrf_token(self, client=None) -> str:
        return (client or self.app).get("/api/csrf/").json()["csrfToken"]

    def refresh_in_body(self, token: str):
        return self.app.post_json(REFRESH_PATH, {"refresh": token})

    def refresh_with_cookie(self, client=None, csrf: str | None = None):
        client = client or self.app
        headers = {"X-CSRFToken": csrf if csrf is not None else self.csrf_token(client)}
        return client.post(REFRESH_PATH, headers=headers)

    def me(self, access: str):
        return self.app.get("/api/token/me/", headers={"Authorization": f"Bearer {access}"})

    def assert_error(self, response, status: int, code: str) -> dict:
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        body = response.json()
        self.assertEqual(body["error"], code)
        self.assertTrue(body["message"])
        return body

    # --- (a) the refresh token in the body ----------------------------------------------------

    def test_body_mode_answers_both_tokens_and_sets_no_cookie(self):
        response = self.app.post_json("/api/token/pair/", {**CREDENTIALS, "refresh_in": "body"})

        body = response.json()
        self.assertLessEqual({"access", "refresh", "family", "message"}, set(body))
        self.assertEqual(body["token_type"], "Bearer")
        self.assertNotIn(REFRESH_COOKIE, response.cookies)
        self.assertEqual(self.me(body["access"]).json()["user"]["username"], "alice")

    def test_body_mode_rotates_without_any_csrf_token_or_cookie(self):
        first = self.log_in("body")["refresh"]

        response = ApiClient(origin=settings.LAB_APP_ORIGIN).post_json(REFRESH_PATH, {"refresh": first})

        self.assertEqual(response.status_code, 200, response.content)
        self.assertNotEqual(response.json()["refresh"], first)
        self.assertEqual(response.json()["family"]["refreshes"], 1)

    def test_a_retired_refresh_token_revokes_the_family_and_says_so(self):
        tokens = self.log_in("body")
        second = self.refresh_in_body(tokens["refresh"]).json()

        reused = self.assert_error(self.refresh_in_body(tokens["refresh"]), 401, "refresh_reused")

        self.assertEqual(reused["family"]["revoked_because"], "reuse")
        self.assert_error(self.refresh_in_body(second["refresh"]), 401, "family_revoked")
        self.assert_error(self.me(second["access"]), 401, "family_revoked")

    def test_logout_in_body_revokes_and_the_stateless_check_still_takes_the_access_token(self):
        tokens = self.log_in("body")

        response = self.app.post_json(REVOKE_PATH, {"refresh": tokens["refresh"]})

        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["logged_out"], True)
        self.assert_error(self.me(tokens["access"]), 401, "family_revoked")
        self.assert_error(self.refresh_in_body(tokens["refresh"]), 401, "family_revoked")
        protected = self.app.get("/api/protected/", headers={"Authorization": f"Bearer {tokens['access']}"})
        self.assertEqual(protected.status_code, 200)  # no denylist there: good until it expires

    # --- (b) the refresh token in an HttpOnly cookie --------------------------------------------

    def test_cookie_mode_sets_an_httponly_secure_samesite_cookie_scoped_to_the_refresh_path(self):
        body = self.log_in("cookie")

        self.assertNotIn("refresh", body)
        cookie = self.app.cookies[REFRESH_COOKIE]
        self.assertEqual((cookie["path"], cookie["httponly"], cookie["secure"], cookie["samesite"]),
                         (REFRESH_PATH, True, True, settings.SESSION_COOKIE_SAMESITE))
        self.assertEqual(cookie["samesite"], "Lax")  # .env.example's
        self.assertEqual(int(cookie["max-age"]), 24 * 3600)
        self.assertEqual(body["refresh_cookie"], {"name": REFRESH_COOKIE, "path": REFRESH_PATH, "secure": True,
                                                  "httponly": True, "samesite": "Lax"})

    def test_cookie_mode_rotates_the_cookie_with_the_csrf_token(self):
        self.log_in("cookie")
        before = self.app.cookies[REFRESH_COOKIE].value

        response = self.refresh_with_cookie()

        self.assertEqual(response.status_code, 200, response.content)
        self.assertNotIn("refresh", response.json())
        self.assertNotEqual(response.cookies[REFRESH_COOKIE].value, before)
        self.assertEqual(self.me(response.json()["access"]).status_code, 200)

    def test_cookie_mode_without_the_csrf_token_is_djangos_403_and_rotates_nothing(self):
        self.log_in("cookie")
        self.app.get("/api/csrf/")

        response = self.app.post(REFRESH_PATH)

        body = self.assert_error(response, 403, "csrf_failed")
        self.assertEqual(body["reason"], "CSRF token missing.")
        self.assertEqual(TokenFamily.objects.get().refreshes, 0)

    def test_cookie_mode_from_an_untrusted_origin_is_refused_at_the_origin_check_cookie_or_not(self):
        for origin in (settings.LAB_ATTACKER_ORIGIN, settings.LAB_SIBLING_ORIGIN):
            with self.subTest(origin=origin):
                victim = ApiClient(origin=settings.LAB_APP_ORIGIN)
                self.log_in("cookie", victim)
                token = self.csrf_token(victim)
                # The victim's browser, asked by another page: the cookies ride (the sibling is the
                # same site), but the Origin is the page's.
                victim.defaults["HTTP_ORIGIN"] = origin

                body = self.assert_error(self.refresh_with_cookie(victim, token), 403, "csrf_failed")

                self.assertEqual((body["reason_code"], body["reason"]),
                                 ("origin_untrusted", f"Origin checking failed - {origin} does not match any "
                                                      "trusted origins."))
        self.assertEqual(set(TokenFamily.objects.values_list("refreshes", flat=True)), {0})

    def test_a_form_post_relies_on_the_cookie_and_meets_the_csrf_check(self):
        self.log_in("cookie")
        self.app.defaults["HTTP_ORIGIN"] = settings.LAB_ATTACKER_ORIGIN

        response = self.app.post(REFRESH_PATH, {"refresh": "anything"})  # multipart: not a JSON body

        self.assert_error(response, 403, "csrf_failed")

    def test_cookie_mode_without_a_cookie_is_401_with_a_bare_challenge(self):
        response = self.refresh_with_cookie()

        self.assert_error(response, 401, "no_refresh_token")
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="lab"')

    def test_a_copied_cookie_is_a_token_like_any_other_and_its_replay_revokes_the_family(self):
        self.log_in("cookie")
        copied = self.app.cookies[REFRESH_COOKIE].value
        self.assertEqual(self.refresh_with_cookie().status_code, 200)

        self.assert_error(self.refresh_in_body(copied), 401, "refresh_reused")
        self.assert_error(self.refresh_with_cookie(), 401, "family_revoked")

    def test_cookie_logout_revokes_and_clears_the_cookie_at_its_path(self):
        access = self.log_in("cookie")["access"]

        response = self.app.post(REVOKE_PATH, headers={"X-CSRFToken": self.csrf_token()})

        self.assertEqual(response.status_code, 200, response.content)
        cleared = response.cookies[REFRESH_COOKIE]
        self.assertEqual((cleared.value, cleared["max-age"], cleared["path"]), ("", 0, REFRESH_PATH))
        self.assert_error(self.me(access), 401, "family_revoked")

    def test_cookie_logout_without_the_csrf_token_is_403_and_revokes_nothing(self):
        self.log_in("cookie")
        self.app.get("/api/csrf/")

        self.assert_error(self.app.post(REVOKE_PATH), 403, "csrf_failed")
        self.assertIsNone(TokenFamily.objects.get().revoked_at)

    # --- What each endpoint takes, and refuses ----------------------------------------------

    def test_pair_checks_the_password_and_the_mode(self):
        self.assert_error(self.app.post_json("/api/token/pair/", {"username": "alice", "password": "no",
                                                                  "refresh_in": "body"}), 400, "invalid_credentials")
        self.assert_error(self.app.post_json("/api/token/pair/", {**CREDENTIALS, "refresh_in": "local"}),
                          400, "invalid_refresh_in")
        self.assert_error(self.app.post_json("/api/token/pair/", CREDENTIALS), 400, "missing_fields")
        self.assertFalse(TokenFamily.objects.exists())

    def test_a_json_body_must_name_a_refresh_token(self):
        for body in ({}, {"refresh": ""}, {"refresh": 5}, {"refresh": None}):
            with self.subTest(body=body):
                self.assert_error(self.app.post_json(REFRESH_PATH, body), 400, "missing_fields")
        self.assert_error(self.app.post_json(REFRESH_PATH, "{"), 400, "malformed_json")
        self.assert_error(self.app.post_json(REFRESH_PATH, {"refresh": "x" * 20_000}), 413, "body_too_large")

    def test_me_wants_a_lifecycle_access_token(self):
        self.assert_error(self.app.get("/api/token/me/"), 401, "missing_token")
        refresh = self.log_in("body")["refresh"]
        self.assert_error(self.me(refresh), 401, "wrong_audience")
        article_token = self.app.post_json("/api/token/", CREDENTIALS).json()["token"]
        self.assert_error(self.me(article_token), 401, "missing_claim")

    def test_the_articles_token_endpoint_and_protected_view_are_unchanged(self):
        token = self.app.post_json("/api/token/", CREDENTIALS).json()
        self.assertEqual(set(token), {"token", "token_type", "expires_in"})
        self.assertEqual(self.app.get("/api/protected/", headers={"Authorization": f"Bearer {token['token']}"})
                         .json()["user"]["username"], "alice")

    def test_the_methods_are_post_and_get_only(self):
        for path, allowed in (("/api/token/pair/", "POST"), (REFRESH_PATH, "POST"), (REVOKE_PATH, "POST"),
                              ("/api/token/me/", "GET"), ("/api/token/cookie/", "GET")):
            with self.subTest(path=path):
                response = (self.app.get(path) if allowed == "POST"
                            else self.app.post(path, headers={"X-CSRFToken": self.csrf_token()}))
                self.assert_error(response, 405, "method_not_allowed")


class LifecycleCorsTests(TestCase):
    def test_the_app_may_send_credentials_and_x_csrftoken_to_the_refresh_path(self):
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).preflight(REFRESH_PATH, headers="x-csrftoken")

        self.assertEqual(response["Access-Control-Allow-Origin"], settings.LAB_APP_ORIGIN)
        self.assertEqual(response["Access-Control-Allow-Credentials"], "true")
        self.assertIn("x-csrftoken", response["Access-Control-Allow-Headers"])

    def test_preflight_from_the_attacker_or_the_sibling_gets_no_acao(self):
        for origin in (settings.LAB_ATTACKER_ORIGIN, settings.LAB_SIBLING_ORIGIN):
            for path in ("/api/token/pair/", REFRESH_PATH, REVOKE_PATH, "/api/token/me/"):
                with self.subTest(origin=origin, path=path):
                    response = ApiClient(origin=origin).preflight(path)
                    self.assertNotIn("Access-Control-Allow-Origin", response)


class CookieModelTests(TestCase):
    def test_the_cookie_model_says_where_the_refresh_cookie_goes(self):
        body = ApiClient(origin=settings.LAB_APP_ORIGIN).get("/api/token/cookie/").json()

        self.assertEqual((body["name"], body["path"], body["httponly"], body["samesite"]),
                         (REFRESH_COOKIE, REFRESH_PATH, True, "Lax"))
        contexts = {context["context"]: context for context in body["contexts"]}
        self.assertEqual(contexts["same-site-fetch"]["sent"], {"third-party-cookies-blocked": True,
                                                               "third-party-cookies-allowed": True})
        self.assertEqual(contexts["cross-site-fetch"]["sent"]["third-party-cookies-allowed"], False)
        self.assertEqual(contexts["cross-site-navigation"]["sent"]["third-party-cookies-blocked"], True)
        self.assertEqual(contexts["app-document-cookie"]["sent"]["third-party-cookies-allowed"], False)
        # WebKitGTK never stores a host-only cookie the API sets in answer to the app's fetch.
        self.assertEqual(contexts["same-site-fetch"]["expected_by_engine"]["webkit"]["sent"], False)
        self.assertEqual(contexts["same-site-fetch"]["expected_by_engine"]["firefox"]["sent"], True)


class AttemptsTests(TestCase):
    """GET /api/token/attempts/ judges other pages' requests to the refresh path from the ledger."""

    RUN = "tokens-attempts-1"

    def setUp(self):
        get_user_model().objects.create_user("alice", password="pw")
        self.victim = ApiClient(origin=settings.LAB_APP_ORIGIN)
        self.victim.post_json("/api/token/pair/", {**CREDENTIALS, "refresh_in": "cookie"})

    def attempts(self) -> list[dict]:
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).get(f"/api/token/attempts/?run={self.RUN}")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["attempts"]

    def test_a_cross_site_post_without_the_cookie_is_told_samesite_then_csrf(self):
        attacker = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN, HTTP_SEC_FETCH_SITE="cross-site",
                             HTTP_SEC_FETCH_MODE="cors", HTTP_SEC_FETCH_DEST="empty")
        attacker.post(f"{REFRESH_PATH}?run={self.RUN}")

        [attempt] = self.attempts()

        self.assertEqual((attempt["attacker"], attempt["cookie_arrived"], attempt["status"], attempt["outcome"]),
                         ("cross-site", False, 403, "csrf"))
        self.assertIn("SameSite=Lax", attempt["said"][0])
        self.assertIn("is not trusted", attempt["said"][1])
        self.assertIn("CORS shared nothing", attempt["said"][2])

    def test_the_siblings_post_brings_the_cookie_and_meets_the_origin_check(self):
        self.victim.defaults.update(HTTP_ORIGIN=settings.LAB_SIBLING_ORIGIN, HTTP_SEC_FETCH_SITE="same-site",
                                    HTTP_SEC_FETCH_MODE="cors", HTTP_SEC_FETCH_DEST="empty")
        self.victim.post(f"{REFRESH_PATH}?run={self.RUN}")

        [attempt] = self.attempts()

        self.assertEqual((attempt["attacker"], attempt["cookie_arrived"], attempt["outcome"]),
                         ("sibling", True, "csrf"))
        self.assertIn("SameSite never stops", attempt["said"][0])

    def test_a_link_is_a_get_and_rotates_nothing(self):
        self.victim.defaults.pop("HTTP_ORIGIN")
        self.victim.get(f"{REFRESH_PATH}?run={self.RUN}", headers={
            "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})

        [attempt] = self.attempts()

        self.assertEqual((attempt["status"], attempt["outcome"], attempt["cookie_arrived"]), (405, "method", True))
        self.assertIn("top-level GET", attempt["said"][0])
        self.assertIn("went to the tab", attempt["said"][2])

    def test_a_preflight_alone_is_told_as_the_request_the_browser_never_sent(self):
        ApiClient(origin=settings.LAB_ATTACKER_ORIGIN, HTTP_SEC_FETCH_SITE="cross-site", HTTP_SEC_FETCH_MODE="cors",
                  ).preflight(f"{REFRESH_PATH}?run={self.RUN}")

        [attempt] = self.attempts()

        self.assertEqual((attempt["kind"], attempt["outcome"]), ("preflight", "preflight_refused"))

    def test_the_apps_own_requests_are_no_attempts(self):
        self.victim.post(f"{REFRESH_PATH}?run={self.RUN}", headers={"X-CSRFToken": "x" * 64,
                                                                     "Sec-Fetch-Site": "same-site"})
        self.assertEqual(Entry.objects.filter(run__run_id=self.RUN).count(), 1)
        self.assertEqual(self.attempts(), [])

    def test_only_the_app_reads_them(self):
        Run.objects.create(run_id=self.RUN)
        response = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN).get(f"/api/token/attempts/?run={self.RUN}")
        self.assertEqual(json.loads(response.content)["error"], "ledger_is_private")
