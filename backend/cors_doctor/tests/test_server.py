"""crossorigin/deployment/server.py answers as the real middleware does: django-cors-headers'
CorsMiddleware and Django's CsrfViewMiddleware of the pinned versions, running the lab's views
(the article's endpoints), beside the model, over a grid of settings. An upgrade that changes a
header or a refusal fails here."""

import itertools
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from cors_doctor.checks import project_settings
from crossorigin.deployment.flows import STEPS, Layout, page_request
from crossorigin.deployment.server import SimulatedApi
from crossorigin.fetch import needs_preflight, unsafe_request_headers
from testing import ApiClient

APP = settings.LAB_APP_ORIGIN
ATTACKER = settings.LAB_ATTACKER_ORIGIN
GRID = {
    "CORS_ALLOWED_ORIGINS": [[APP], []],
    "CORS_ALLOW_CREDENTIALS": [True, False],
    "CORS_ALLOW_HEADERS": [["accept", "content-type", "x-csrftoken", "authorization"], ["content-type"], ["*"]],
    "CSRF_TRUSTED_ORIGINS": [[APP], []],
}


def access_control(headers) -> dict:
    return {name.lower(): value for name, value in headers.items() if name.lower().startswith("access-control-")}


class ServerModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_user_model().objects.create_user("alice", password="pw")

    def real(self, step, front: str, with_cookie: bool, token: bool) -> dict:
        """What the lab's own middleware and views answer to the step's preflight and request."""
        client = ApiClient(origin=front)
        csrf = client.get("/api/csrf/").json()["csrfToken"] if with_cookie else "x" * 64
        if step.session:
            client.force_login(get_user_model().objects.get(username="alice"))
            csrf = client.get("/api/csrf/").json()["csrfToken"]
        if not with_cookie:
            client.cookies.pop(settings.CSRF_COOKIE_NAME, None)
        request = page_request(step, Layout(front, settings.LAB_API_ORIGIN), "X-CSRFToken")
        answers = {}
        if needs_preflight(request):
            preflight = client.options(request.url, headers={"Access-Control-Request-Method": request.method,
                                                             "Access-Control-Request-Headers": ",".join(unsafe_request_headers(request))})
            answers["preflight"] = (preflight.status_code, access_control(preflight))
        headers = {"X-CSRFToken": csrf} if step.csrf and token else {}
        if step.bearer:
            headers["Authorization"] = "Bearer not-a-token"
        path = request.url.removeprefix(settings.LAB_API_ORIGIN)
        body = {"username": "alice", "password": "pw"} if step.name in ("login", "token") else {"username": "u1", "email": "u@example.com"}
        data = {"data": json.dumps(body), "content_type": "application/json"} if step.json else {}
        response = client.generic(step.method, path, **data, headers=headers)
        refusal = response.json().get("reason", "") if response.status_code == 403 else ""
        answers["response"] = (response.status_code >= 400, access_control(response), refusal)
        return answers

    def model(self, step, front: str, with_cookie: bool, token: bool) -> dict:
        layout = Layout(front, settings.LAB_API_ORIGIN)
        values = project_settings()
        api = SimulatedApi(values, layout)
        request = page_request(step, layout, values.csrf_header())
        cookies = {values.CSRF_COOKIE_NAME} if with_cookie else set()
        if step.session:
            cookies.add(values.SESSION_COOKIE_NAME)
        exchange = api.exchange(step, request, frozenset(cookies), token, bearer=False)
        answers = {}
        if exchange.preflight:
            answers["preflight"] = (exchange.preflight.status, access_control(exchange.preflight.headers))
        answers["response"] = (exchange.response.status >= 400, access_control(exchange.response.headers), exchange.refusal)
        return answers

    def test_the_model_answers_as_the_middleware_over_the_grid(self):
        steps = [STEPS[name] for name in ("hello", "users", "csrf", "login", "me", "logout", "protected")]
        checked = 0
        for values in itertools.product(*GRID.values()):
            changes = dict(zip(GRID, values))
            with override_settings(**changes):
                for step, front in itertools.product(steps, (APP, ATTACKER)):
                    cases = [(True, True), (False, True), (True, False)] if step.csrf else [(True, True)]
                    for with_cookie, token in cases:
                        with self.subTest(changes=changes, step=step.name, front=front, cookie=with_cookie, token=token):
                            self.assertEqual(self.model(step, front, with_cookie, token), self.real(step, front, with_cookie, token))
                            checked += 1
        self.assertGreater(checked, 300)
