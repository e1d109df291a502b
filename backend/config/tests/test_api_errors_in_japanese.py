"""Every kind of API error is Japanese with Accept-Language: ja, not only the common ones.

Each provocation below makes the API refuse a request, once with Accept-Language: en and once
with ja: the status, the code and the technical fields (Django's CSRF `reason`, PyJWT's `detail`,
the playground's `field` and `check`) must be the same, the message Japanese in one and English in
the other. The last test reads the error codes out of the code, so an error added later without a
provocation here fails. nginx's own answers are checked against the real proxy by
e2e/test_proxy_answers.py.
"""

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, OperationalError
from django.test import RequestFactory
from django.utils import translation

from config.tests.test_translations import CompiledCatalogueTestCase
from lab import errors
from lab.case import check_cors_settings
from lab.origins import LabOrigins
from lab.tests.test_csrf_reasons import REFUSALS
from people import throttle, tokens
from testing import ApiClient

BACKEND = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# The fields beside the message that stay as the library or the request said them.
TECHNICAL = ("reason", "reason_code", "detail", "field", "check")
# A playground case and server the playground accepts (lab/case.py), for its other errors.
SERVER = quote(json.dumps({"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}}))
SLOW_REGEX = quote(json.dumps({"cors": {"CORS_ALLOWED_ORIGIN_REGEXES": ["https://(.|.)*!"]}}))
DOCTOR = {"front": "https://kikuichige.com", "api": "https://django6.kikuichige.com"}
CASE = quote(json.dumps({"page": "app", "method": "GET", "headers": [], "credentials": "omit", "mode": "cors",
                         "server": {"cors": {"CORS_ALLOWED_ORIGINS": ["{app}"]}}}))
PUT_CASE = quote(json.dumps({"method": "PUT", "server": {"cors": {}}}))  # needs a preflight


def codes_in_the_code() -> set[str]:
    """Every error code the API's code can answer with (tests left out)."""
    pattern = re.compile(r'(?:ApiError|error_response|bearer_challenge|token_refused)\(\s*(?:\d+,\s*)?"([a-z_]+)"')
    codes = {"invalid_case"}  # lab/case.py CaseError.as_json
    for path in BACKEND.rglob("*.py"):
        if "tests" not in path.parts:
            codes |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return codes | {code for _kind, code in tokens.FAILURE_REASONS}


class ApiErrorsInJapaneseTests(CompiledCatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_user("alice", password="pw")

    def api(self, language: str, origin: str | None = settings.LAB_APP_ORIGIN, **defaults) -> ApiClient:
        return ApiClient(origin=origin, HTTP_ACCEPT_LANGUAGE=language, **defaults)

    def token(self, key: str | None = None, algorithm: str = "HS256", **changes) -> str:
        now = datetime.now(timezone.utc)
        claims = {"sub": str(self.user.pk), "name": "alice", "iat": now, "exp": now + timedelta(minutes=5),
                  "iss": tokens.issuer(), "aud": tokens.audience(), **changes}
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, key or settings.LAB_JWT_SIGNING_KEY, algorithm=algorithm)

    def bearer(self, language: str, token: str):
        return self.api(language).get("/api/protected/", headers={"Authorization": f"Bearer {token}"})

    def throttled(self, language: str):
        # Its own client address per language, so that the two windows do not share a count.
        api = self.api(language, HTTP_X_FORWARDED_FOR=f"198.51.100.{len(language)}{ord(language[0])}")
        for _attempt in range(throttle.LIMIT):
            api.post_json("/api/token/", {"username": "alice", "password": "wrong"})
        return api.post_json("/api/token/", {"username": "alice", "password": "pw"})

    def unknown_host(self, language: str):
        # Django's DisallowedHost becomes handler400's answer; Django logs it, as it should.
        with self.assertLogs("django.security.DisallowedHost", "ERROR"):
            return self.api(language, HTTP_HOST="evil.example").get("/api/hello/")

    def logged_in(self, language: str) -> ApiClient:
        api = self.api(language)
        api.force_login(self.user)
        api.defaults["HTTP_X_CSRFTOKEN"] = api.get("/api/csrf/").json()["csrfToken"]
        return api

    def recorded_run(self, language: str) -> str:
        run = f"sweep-{language}-run"
        self.api(language).get(f"/api/hello/?run={run}")
        return run

    def refresh(self, language: str, token: str):
        return self.api(language).post_json("/api/token/refresh/", {"refresh": token})

    def family(self, language: str) -> str:
        """The refresh token of a new token family (experiments/lifecycle.py)."""
        answer = self.api(language).post_json("/api/token/pair/", {"username": "alice", "password": "pw",
                                                                   "refresh_in": "body"})
        return answer.json()["refresh"]

    def reused(self, language: str):
        first = self.family(language)
        self.refresh(language, first)
        return self.refresh(language, first)

    def revoked(self, language: str):
        token = self.family(language)
        self.api(language).post_json("/api/token/refresh/revoke/", {"refresh": token})
        return self.refresh(language, token)

    def provocations(self) -> dict:
        """name -> a function of the language that returns the API's error answer."""
        past = datetime.now(timezone.utc) - timedelta(hours=1)
        future = datetime.now(timezone.utc) + timedelta(hours=1)
        users = "/api/users/"
        return {
            "malformed_json": lambda lang: self.api(lang).post_json(users, "{not json"),
            "not_an_object": lambda lang: self.api(lang).post_json(users, "[]"),
            "too_deeply_nested": lambda lang: self.api(lang).post_json(users, "[" * 5000),
            "missing_fields": lambda lang: self.api(lang).post_json(users, {}),
            "unsupported_media_type": lambda lang: self.api(lang).post(users, "x", content_type="text/plain"),
            "body_too_large": lambda lang: self.api(lang).post_json(users, {"pad": "x" * 20_000}),
            "method_not_allowed": lambda lang: self.api(lang).get(users),
            "not_found": lambda lang: self.api(lang).get("/api/nowhere/"),
            "bad_request": self.unknown_host,
            "invalid_username": lambda lang: self.api(lang).post_json(users, {"username": "a b", "email": "a@b.example"}),
            "invalid_email": lambda lang: self.api(lang).post_json(users, {"username": "ab", "email": "nope"}),
            "invalid_credentials": lambda lang: self.api(lang).post_json(
                "/api/token/", {"username": "alice", "password": "wrong"}, HTTP_X_FORWARDED_FOR="192.0.2.9"),
            "invalid_lifetime": lambda lang: self.api(lang).post_json(
                "/api/token/", {"username": "alice", "password": "pw", "lifetime_seconds": 999}),
            "too_many_attempts": self.throttled,
            "missing_token": lambda lang: self.api(lang).get("/api/protected/"),
            "expired": lambda lang: self.bearer(lang, self.token(iat=past, exp=past + timedelta(minutes=5))),
            "bad_signature": lambda lang: self.bearer(lang, self.token(key="k" * 32)),
            "wrong_audience": lambda lang: self.bearer(lang, self.token(aud="https://elsewhere.example/")),
            "wrong_issuer": lambda lang: self.bearer(lang, self.token(iss="https://elsewhere.example")),
            "missing_claim": lambda lang: self.bearer(lang, self.token(name=None)),
            "not_yet_valid": lambda lang: self.bearer(lang, self.token(iat=future, exp=future + timedelta(minutes=5))),
            "algorithm_not_allowed": lambda lang: self.bearer(lang, self.token(key="k" * 64, algorithm="HS512")),
            "malformed": lambda lang: self.bearer(lang, "not-a-jwt"),
            "invalid": lambda lang: self.bearer(lang, self.token(iat="yesterday")),
            "not_logged_in": lambda lang: self.api(lang).get("/api/me/"),
            "invalid_refresh_in": lambda lang: self.api(lang).post_json(
                "/api/token/pair/", {"username": "alice", "password": "pw", "refresh_in": "url"}),
            "no_refresh_token": lambda lang: self.logged_in(lang).post("/api/token/refresh/"),
            "refresh_reused": self.reused,
            "family_revoked": self.revoked,
            "unknown_family": lambda lang: self.refresh(lang, tokens.issue_refresh(
                self.user, "no-such-family", "no-such-token", datetime.now(timezone.utc))),
            "invalid_display_name": lambda lang: self.logged_in(lang).post_json("/api/display-name/",
                                                                                 {"display_name": "x" * 41}),
            "ledger_is_private": lambda lang: self.api(lang, settings.LAB_ATTACKER_ORIGIN).get("/api/ledger/?run=abcdefgh"),
            "invalid_run_id": lambda lang: self.api(lang).get("/api/ledger/?run=x"),
            "unknown_run": lambda lang: self.api(lang).get("/api/ledger/?run=no-such-run-1"),
            "no_record": lambda lang: self.api(lang).get(
                f"/api/playground/verdict/?case={PUT_CASE}&run={self.recorded_run(lang)}"),
            "unknown_context": lambda lang: self.api(lang).get("/api/cookies/probe/nope/"),
            # Only in an exact-hostname run on a learner's names, where the front is another site.
            "matrix_needs_one_site": lambda lang: self.on_two_sites(lang, "/api/cookies/matrix/?run=abcdefgh"),
            "cookie_model_needs_one_site": lambda lang: self.on_two_sites(lang, "/api/token/cookie/"),
            "invalid_column": lambda lang: self.api(lang).get("/api/leaks/table/"),
            "invalid_case": lambda lang: self.api(lang).get("/api/playground/check/?case=nope"),
            "invalid_case_server": lambda lang: self.api(lang).get("/api/playground/check/?case=%7B%7D"),
            "invalid_case_slot": lambda lang: self.api(lang).get(f"/api/playground/verdict/?case={CASE}&slot=100"),
            "invalid_endpoint_hop": lambda lang: self.api(lang).get(f"/playground/0/5/?s={SERVER}"),
            "invalid_endpoint_slot": lambda lang: self.api(lang).get(f"/playground/100/0/?s={SERVER}"),
            "invalid_endpoint_origin": lambda lang: self.api(lang, "https://" + "o" * 3000 + ".example").get(
                f"/playground/0/0/?s={SERVER}"),
            "regex_too_slow": lambda lang: self.api(lang, "https://" + "a" * 26).get(f"/playground/0/0/?s={SLOW_REGEX}"),
            "invalid_origin": lambda lang: self.api(lang, "https://caf\xe9.example").get(f"/playground/0/0/?s={SLOW_REGEX}"),
            "invalid_front": lambda lang: self.api(lang).get("/api/doctor/lab/?front=nope"),
            "settings_not_python": lambda lang: self.api(lang).post_json("/api/doctor/", {**DOCTOR, "settings": "A = ["}),
            "invalid_settings": lambda lang: self.api(lang).post_json("/api/doctor/", {**DOCTOR, "settings": 1}),
            **{f"csrf_{kind}": (lambda lang, refuse=refuse: refuse(HTTP_ACCEPT_LANGUAGE=lang))
               for kind, refuse in REFUSALS.items()},
        }

    def on_two_sites(self, language: str, path: str):
        with self.settings(LAB_APP_HOST="alice.github.io", LAB_API_HOST="alice-api.github.io",
                           ALLOWED_HOSTS=["alice-api.github.io"]):
            return self.api(language).get(path)

    def direct(self) -> dict:
        """Answers no request through the test client can provoke: the error handlers Django calls
        itself, and a database that does not answer."""
        request = RequestFactory().get("/api/hello/")

        def database_down(_language):
            from lab.views import healthz
            with mock.patch("lab.views.connection.cursor", side_effect=DatabaseError("disk I/O error")):
                return healthz(request)

        def database_busy(_language):
            try:
                raise OperationalError("database is locked")
            except OperationalError:  # Django calls the handler while it handles the exception
                return errors.server_error(request)

        return {
            "forbidden": lambda _language: errors.permission_denied(request),
            "server_error": lambda _language: errors.server_error(request),
            "database_busy": database_busy,
            "database_unavailable": database_down,
        }

    def assert_japanese_twin(self, name: str, english, japanese) -> str:
        self.assertGreaterEqual(english.status_code, 400, english.content)
        self.assertEqual(japanese.status_code, english.status_code)
        en, ja = json.loads(english.content), json.loads(japanese.content)
        self.assertEqual(ja["error"], en["error"])
        self.assertRegex(ja["message"], JAPANESE, f"{name}: not Japanese")
        self.assertNotRegex(en["message"], JAPANESE, f"{name}: the English has Japanese in it")
        self.assertNotEqual(ja["message"], en["message"])
        for field in TECHNICAL:
            self.assertEqual(ja.get(field), en.get(field), f"{name}: {field} must not be translated")
        return en["error"]

    def test_every_api_error_is_japanese_with_accept_language_ja(self):
        seen = set()
        for name, provoke in self.provocations().items():
            with self.subTest(name):
                seen.add(self.assert_japanese_twin(name, provoke("en"), provoke("ja")))
        for name, provoke in self.direct().items():
            with self.subTest(name):
                with translation.override("en"):
                    english = provoke("en")
                with translation.override("ja"):
                    japanese = provoke("ja")
                seen.add(self.assert_japanese_twin(name, english, japanese))
        missing = codes_in_the_code() - seen
        self.assertFalse(missing, f"error codes of the code that no provocation here reaches: {sorted(missing)}")

    def test_the_playground_tells_django_cors_headers_checks_in_japanese_and_keeps_the_ids(self):
        origins = LabOrigins(app=settings.LAB_APP_ORIGIN, api=settings.LAB_API_ORIGIN,
                             attacker=settings.LAB_ATTACKER_ORIGIN)
        wrong = {"CORS_ALLOW_HEADERS": 1, "CORS_ALLOW_METHODS": 1, "CORS_ALLOW_CREDENTIALS": 1,
                 "CORS_PREFLIGHT_MAX_AGE": -1, "CORS_ALLOW_ALL_ORIGINS": 1, "CORS_ALLOWED_ORIGIN_REGEXES": 1,
                 "CORS_EXPOSE_HEADERS": 1, "CORS_ALLOWED_ORIGINS": ["nohost", "https://a.example/path"]}
        with translation.override("en"):
            english = [error.as_json() for error in check_cors_settings(wrong, origins)]
        with translation.override("ja"):
            japanese = [error.as_json() for error in check_cors_settings(wrong, origins)]
        self.assertEqual(len(english), 9)
        for en, ja in zip(english, japanese):
            with self.subTest(en["check"]):
                self.assertEqual((ja["check"], ja["field"]), (en["check"], en["field"]))
                self.assertRegex(ja["message"], JAPANESE)
        # The English is the library's own sentence, word for word (a search for it finds the check).
        self.assertEqual(english[0]["message"], "CORS_ALLOW_HEADERS should be a sequence of strings.")
