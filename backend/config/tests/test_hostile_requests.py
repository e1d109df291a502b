"""Every route of the URLconf, read from it (a new one is swept without being listed), gets a
fixed set of hostile requests, logged out and logged in with a CSRF token: never a 5xx, every
error JSON, and what was stored before is still there."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from experiments.models import UserRecord
from people.models import Profile
from testing import ApiClient, url_routes

# What each path converter gets: a plausible value and a hostile one.
SAMPLES = {"slug": ["cross-site-fetch", "x" * 300], "int": ["0", "9" * 40], "str": ["x", "%00"]}
QUERIES = ["", "?run=run-hostile-1", "?run=%00%ff", "?run=" + "a" * 80, "?case=%7B", "?case=%22%5Cud800%22",
           "?case=%7B%22page%22%3A%22%5Cud800%22%7D", "?s=%7B%22raw%22%3A%7B%7D%7D", "?s=%5B%5D",
           "?column=a:b&column=" + "c" * 50, "?slot=-1&app_script_saw=%ff%fe"]
JSON_FIELDS = ("username", "password", "email", "display_name", "lifetime_seconds", "refresh", "refresh_in")


def json_object(value: str) -> str:
    """A JSON object with every field the API reads set to `value` (JSON text)."""
    return "{" + ", ".join(f'"{name}": {value}' for name in JSON_FIELDS) + "}"


# None of them is a valid request: whatever answers, nothing stored may change.
BODIES = [
    ("", "application/json"),
    ("{", "application/json"),
    ("[]", "application/json"),
    ('"\\ud800"', "application/json"),
    (json_object('"\\udfff"'), "application/json"),
    (json_object('{"a": [null, 1e999]}'), "application/json"),
    (json_object('"' + "\u00e9" * 300 + '\\u0000"'), "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    ("display_name=&username=%00&display_name=", "application/x-www-form-urlencoded"),
    ("--b\r\nContent-Disposition: form-data; name=display_name\r\n\r\n\r\n--b--", "multipart/form-data; boundary=b"),
    ("--b\r\nbroken", "multipart/form-data"),
    ("x" * 20_000, "text/plain"),
]
METHODS = ["get", "head", "options", "post", "put", "patch", "delete", "trace"]
WITH_BODY = {"post", "put", "patch", "delete"}
# Answers whose status the request itself chooses: the playground endpoint answers what its case
# says (a 500 is one of its lessons), so only its JSON refusals are checked, not its statuses.
CHOSEN_STATUS = re.compile(r"^/playground/")


def routes() -> list[str]:
    """Every route as a path, each converter filled with each of its samples."""
    found = []
    for route, _view in url_routes():
        paths = [route]
        for converter in re.findall(r"<(\w+):\w+>", route):
            paths = [path.replace(re.search(r"<\w+:\w+>", path).group(0), sample, 1)
                     for path in paths for sample in SAMPLES[converter]]
        found += ["/" + path for path in paths]
    return found


class HostileRequestTests(TestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_user("alice", password="pw")
        Profile.objects.create(user=self.user, display_name="Kept")
        UserRecord.objects.create(username="kept", email="kept@example.com")

    def clients(self):
        anonymous = ApiClient(origin=settings.LAB_ATTACKER_ORIGIN)
        logged_in = ApiClient(origin=settings.LAB_APP_ORIGIN)
        logged_in.force_login(self.user)
        token = logged_in.get("/api/csrf/").json()["csrfToken"]
        return {"anonymous": (anonymous, {}), "logged in": (logged_in, {"X-CSRFToken": token})}

    def assert_answered(self, response, path):
        if not CHOSEN_STATUS.match(path):
            self.assertLess(response.status_code, 500, response.content[:300])
        if response.status_code >= 400 and response.content:
            self.assertEqual(response["Content-Type"], "application/json", response.content[:300])

    def test_no_route_answers_a_5xx_or_an_error_that_is_not_json(self):
        paths = routes()
        self.assertGreater(len(paths), 25)
        for path in paths:
            # A fresh session per route: a logout must not turn the rest of the sweep anonymous.
            for who, (client, headers) in self.clients().items():
                # Every query with GET, two with the other methods that carry no body; every body
                # with POST; one with the rest.
                requests = [("get", query, None) for query in QUERIES]
                requests += [(method, query, None) for method in METHODS if method not in WITH_BODY | {"get"}
                             for query in QUERIES[:2]]
                requests += [("post", "", body) for body in BODIES]
                requests += [(method, QUERIES[1], BODIES[4]) for method in WITH_BODY - {"post"}]
                for method, query, body in requests:
                    with self.subTest(who=who, method=method, path=path + query, body=body and body[0][:40]):
                        args, extra = ([body[0]], {"content_type": body[1]}) if body else ([], {})
                        response = getattr(client, method)(path + query, *args, headers=headers, **extra)
                        self.assert_answered(response, path)
        self.assertEqual(UserRecord.objects.filter(username="kept").count(), 1)
        self.assertEqual(Profile.objects.get(user=self.user).display_name, "Kept")
