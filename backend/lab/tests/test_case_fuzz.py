"""Property-based fuzz of the playground, whose whole case arrives in a URL from anyone: cases
shaped like the real ones (backend/lab/case.py), with hostile values in every field. The
check, the endpoint and the verdict answer each one with a clear status, never an exception (a
500). schemathesis (scripts/fuzz-api.sh) sends only strings for `case`, which the parser refuses
as JSON long before any of this runs."""

import json
from urllib.parse import quote

from django.conf import settings
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from hypothesis.extra.django import TestCase

from lab.case import CREDENTIALS, MODES, PAGES, REDIRECT_STATUSES, REDIRECT_TARGETS
from testing import ApiClient

ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
                        max_leaves=8)


def mostly(valid, hostile=ANY_JSON):
    """Seven draws in eight from what a page would send, so that many cases pass every field and
    reach the model and the endpoint's answers; the eighth from anything at all."""
    return st.integers(0, 7).flatmap(lambda draw: hostile if draw == 0 else valid)


PRINTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=30)
TEXT = st.sampled_from(["", "x", "{app}", "{api}", "{attacker}", "{sibling}", "{origin}", "{app|host|re}", "{site}{port}",
                        "{app|nope}", "https://evil.example", "null", "*",
                        "^https://.*$", "(a+)+$", "\r\nSet-Cookie: a=b", "X-Lab-Trace"]) | PRINTABLE | st.text(max_size=40)
ANSWER_HEADER = st.sampled_from(["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                                 "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
                                 "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary", "Content-Type",
                                 "X-Lab-Request-Id", "Location"])
REQUEST_HEADER = st.sampled_from(["X-Lab-Trace", "Content-Type", "Authorization", "Accept", "Range", "X-A"])
HOSTILE_NAME = st.sampled_from(["Set-Cookie", "Origin", "Cookie", "bad name", "", "Content-Security-Policy"]) | st.text(max_size=12)
ANSWER_VALUE = st.sampled_from(["{origin}", "{app}", "*", "true", "PUT, DELETE", "x-lab-trace", "600", "/x",
                                "https://evil.example/", "null"]) | PRINTABLE


def pairs(names, values):
    return mostly(st.lists(st.tuples(mostly(names, HOSTILE_NAME), values).map(list), max_size=4),
                  st.lists(st.lists(HOSTILE_NAME | TEXT, max_size=3), max_size=3) | ANY_JSON)


def answer(statuses, redirect=False):
    fields = {"status": mostly(statuses, st.integers(-1, 1000) | ANY_JSON), "headers": pairs(ANSWER_HEADER, ANSWER_VALUE)}
    if redirect:
        fields["to"] = mostly(st.sampled_from(REDIRECT_TARGETS), TEXT)
    return st.fixed_dictionaries({}, optional=fields)


RAW = st.fixed_dictionaries({}, optional={"preflight": mostly(answer(st.sampled_from([200, 204, 403, 500]))),
                                          "response": mostly(answer(st.sampled_from([200, 204, 304, 404, 599]))),
                                          "redirect": mostly(st.none() | answer(st.sampled_from(REDIRECT_STATUSES), redirect=True))})
CORS_VALUES = {
    "CORS_ALLOWED_ORIGINS": st.lists(st.sampled_from(["{app}", "{attacker}", "null", "https://evil.example"]) | TEXT, max_size=3),
    "CORS_ALLOWED_ORIGIN_REGEXES": st.lists(st.sampled_from(["^https://.*$", "(a+)+$", "[", ".*"]) | TEXT, max_size=3),
    "CORS_ALLOW_ALL_ORIGINS": st.booleans(),
    "CORS_ALLOW_CREDENTIALS": st.booleans(),
    "CORS_ALLOW_METHODS": st.lists(st.sampled_from(["GET", "PUT", "DELETE", "*"]) | TEXT, max_size=3),
    "CORS_ALLOW_HEADERS": st.lists(st.sampled_from(["x-lab-trace", "content-type", "*"]) | TEXT, max_size=3),
    "CORS_EXPOSE_HEADERS": st.lists(st.sampled_from(["X-Lab-Request-Id", "*"]) | TEXT, max_size=3),
    "CORS_PREFLIGHT_MAX_AGE": st.integers(-5, 10**10),
}
CORS = st.fixed_dictionaries({}, optional={name: mostly(values) for name, values in CORS_VALUES.items()})
# A crashing view is the one 500 a case may ask for (scenarios/tests prove it); and a URL may not
# name a hand-written origin test or a CSRF check, which only the lab's catalogue may.
SERVER = mostly(st.fixed_dictionaries({"cors": CORS}, optional={"view": mostly(st.just("ok"), TEXT),
                                                                "origin_test": TEXT})
                | st.fixed_dictionaries({"raw": RAW}) | st.fixed_dictionaries({"csrf": ANY_JSON}))
CASE = mostly(st.fixed_dictionaries({"server": SERVER}, optional={
    "page": mostly(st.sampled_from(PAGES)),
    "method": mostly(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "X-CUSTOM"]), TEXT),
    "headers": pairs(REQUEST_HEADER, PRINTABLE),
    "body": mostly(st.none() | PRINTABLE, TEXT | ANY_JSON),
    "content_type": mostly(st.sampled_from(["", "application/json", "text/plain", "application/x-www-form-urlencoded"]), TEXT),
    "credentials": mostly(st.sampled_from(CREDENTIALS)),
    "mode": mostly(st.sampled_from(MODES)),
    "repeat": mostly(st.integers(1, 3), st.integers(-1, 5) | ANY_JSON),
    "trailing_slash": mostly(st.booleans()),
}), st.dictionaries(st.text(max_size=10), ANY_JSON, max_size=3) | ANY_JSON)
ORIGINS = st.sampled_from([settings.LAB_APP_ORIGIN, settings.LAB_ATTACKER_ORIGIN, "null", None])
FUZZ = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def as_query(value) -> str:
    return quote(json.dumps(value))


class PlaygroundFuzzTests(TestCase):
    def assert_refused_by_name(self, response):
        body = response.json()
        self.assertEqual(body["error"], "invalid_case", body)
        # The field as the case spelled it (a key may be ""), and a sentence.
        self.assertIsInstance(body["field"], str)
        self.assertTrue(body["message"], body)

    @FUZZ
    @given(case=CASE)
    def test_check_accepts_the_case_or_names_the_field_it_refuses(self, case):
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).get(f"/api/playground/check/?case={as_query(case)}")
        self.assertIn(response.status_code, (200, 400))
        if response.status_code == 200:
            self.assertEqual(set(response.json()["case"]), {"page", "method", "headers", "body", "content_type",
                                                            "credentials", "mode", "repeat", "trailing_slash",
                                                            "server"})
        else:
            self.assert_refused_by_name(response)

    @FUZZ
    @given(server=SERVER, origin=ORIGINS, hop=st.sampled_from([0, 1, 2]), preflight=st.booleans())
    def test_endpoint_answers_as_the_case_says_or_refuses_it(self, server, origin, hop, preflight):
        client = ApiClient(origin=origin)
        path = f"/playground/0/{hop}/?run=run-fuzz-0001&s={as_query(server)}"
        response = client.preflight(path, "PUT", "x-lab-trace") if preflight else client.get(path)
        # A refusal names the field; any other status is the one the case chose (a 400 among them).
        if response.status_code == 400 and b'"invalid_case"' in response.content:
            self.assert_refused_by_name(response)
        # Whatever status the case chose, the answer carries only the headers the allow-list takes.
        for name in ("Set-Cookie", "Content-Security-Policy", "Strict-Transport-Security"):
            self.assertNotIn(name, response.headers)

    @FUZZ
    @given(case=CASE, slot=mostly(st.sampled_from(["0", "7", "99"]), st.sampled_from(["100", "-1", "x", "", "٣"])))
    def test_verdict_of_a_run_that_reached_nothing_is_an_answer_not_a_crash(self, case, slot):
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).get(
            f"/api/playground/verdict/?run=run-fuzz-0002&slot={slot}&case={as_query(case)}")
        self.assertIn(response.status_code, (200, 400, 404))
        if response.status_code == 400:
            self.assertIn(response.json()["error"], ("invalid_case", "invalid_run_id"))
