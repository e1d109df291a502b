"""Property-based fuzz of lab/api.py json_body, the one reader of every JSON body: whatever the
bytes, it returns the object with the fields asked for, or raises ApiError with a 4xx the API
documents. Never another exception (that would be a 500)."""

import json

from django.conf import settings
from django.test import RequestFactory, SimpleTestCase
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from lab.api import ApiError, json_body

FIELDS = ("username", "password")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | st.text(), children),
    max_leaves=20,
)
# Text with lone UTF-16 surrogates too, which json.dumps escapes ("\\ud800") and json.loads gives
# back: valid JSON grammar, but not Unicode text. st.text() leaves surrogates out whatever its
# alphabet, so the characters are joined by hand.
TEXT_WITH_SURROGATES = st.lists(st.characters() | st.sampled_from("\ud800\udbff\udc00\udfff"), max_size=12).map("".join)
LIKELY_CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", ""])


def read(body: bytes, content_type: str = "application/json"):
    request = RequestFactory().post("/api/token/", data=body, content_type=content_type)
    try:
        return json_body(request, *FIELDS), None
    except ApiError as refused:
        return None, refused


class JsonBodyFuzzTests(SimpleTestCase):
    def assert_clear_answer(self, data, refused):
        if refused is None:
            self.assertIsInstance(data, dict)
            for name in FIELDS:
                self.assertTrue(isinstance(data[name], str) and data[name].strip())
                data[name].encode()  # Unicode text, which a database can store: no lone surrogate
        else:
            self.assertIn(refused.status, (400, 413, 415))
            self.assertTrue(refused.code and str(refused.message))

    @hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.binary(max_size=settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 64), LIKELY_CONTENT_TYPES)
    def test_any_bytes_get_an_object_or_a_4xx(self, body, content_type):
        self.assert_clear_answer(*read(body, content_type))

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(JSON_VALUES)
    def test_any_json_value_gets_an_object_or_a_4xx(self, value):
        self.assert_clear_answer(*read(json.dumps(value).encode()))

    @hypothesis_settings(max_examples=100, deadline=None)
    @given(TEXT_WITH_SURROGATES, TEXT_WITH_SURROGATES)
    def test_any_text_in_the_fields_gets_an_object_or_a_4xx(self, username, password):
        self.assert_clear_answer(*read(json.dumps({"username": username, "password": password}).encode()))

    @hypothesis_settings(max_examples=50, deadline=None)
    @given(st.integers(min_value=1, max_value=settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2), st.sampled_from("[{"))
    def test_any_nesting_depth_gets_an_object_or_a_4xx(self, depth, opener):
        nested = (opener + ('"a":' if opener == "{" else "")) * depth
        self.assert_clear_answer(*read(nested.encode()))
