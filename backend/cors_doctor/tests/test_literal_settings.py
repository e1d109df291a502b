"""A settings file read as literals, never executed, within bounds: the lab's page reads what any
visitor pastes."""

import time
from unittest import TestCase

from cors_doctor.literal_settings import MAX_ITEMS, MAX_SOURCE_BYTES, NotPython, read
from crossorigin.deployment.settings import DEFAULT_CORS_ALLOW_HEADERS


class ReadingTests(TestCase):
    def test_literals_and_what_settings_files_build_from_them(self):
        source = '''"""My settings."""
import os
from corsheaders.defaults import default_headers
DEBUG = False
ALLOWED_HOSTS = ["django6.kikuichige.com"]
CORS_ALLOWED_ORIGINS = ("https://kikuichige.com",)
CORS_ALLOW_HEADERS = (*default_headers, "x-xsrf-token")
INSTALLED_APPS = ["django.contrib.auth"]
INSTALLED_APPS += ["corsheaders"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE: int = 60 * 60
TIMEOUT = -1
lower_case = "not a setting"
'''
        result = read(source)
        self.assertEqual(result.values["CORS_ALLOW_HEADERS"], (*DEFAULT_CORS_ALLOW_HEADERS, "x-xsrf-token"))
        self.assertEqual(result.values["INSTALLED_APPS"], ["django.contrib.auth", "corsheaders"])
        self.assertEqual(result.values["CORS_ALLOWED_ORIGINS"], ("https://kikuichige.com",))
        self.assertEqual(result.values["TIMEOUT"], -1)
        self.assertNotIn("lower_case", result.values)
        # 60 * 60 is arithmetic, not a literal: said, not run.
        self.assertEqual([(n["line"], n["name"]) for n in result.not_understood], [(11, "SESSION_COOKIE_AGE")])

    def test_code_is_reported_and_never_run(self):
        source = '''import os
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("HOSTS", "").split(",")
CSRF_TRUSTED_ORIGINS = [f"https://{HOST}"]
if DEBUG:
    CORS_ALLOW_ALL_ORIGINS = True
from .base import *
X = __import__("os").system("touch /tmp/owned")
'''
        result = read(source)
        self.assertEqual(result.values, {})
        self.assertEqual([(n["line"], n["name"]) for n in result.not_understood],
                         [(2, "SECRET_KEY"), (3, "ALLOWED_HOSTS"), (4, "CSRF_TRUSTED_ORIGINS"), (5, None), (7, None), (8, "X")])

    def test_a_name_not_read_above_is_not_guessed(self):
        result = read("CORS_ALLOWED_ORIGINS = FRONTS\nFRONTS = ['https://a.example']\n")
        self.assertNotIn("CORS_ALLOWED_ORIGINS", result.values)
        self.assertIn("FRONTS", result.not_understood[0]["why"])

    def test_what_is_not_python_says_where(self):
        with self.assertRaises(NotPython) as raised:
            read("CORS_ALLOWED_ORIGINS = [\n  'https://a.example',\n")
        self.assertEqual(raised.exception.line, 1)
        with self.assertRaises(NotPython):
            read("A = 1\x00")


class BoundsTests(TestCase):
    def test_the_source_is_at_most_64_kib(self):
        with self.assertRaises(NotPython):
            read("A = 1\n" * (MAX_SOURCE_BYTES // 6 + 1))

    def test_deep_nesting_is_refused_quickly(self):
        started = time.monotonic()
        for source in ("A = " + "[" * 150 + "]" * 150, "A = " + "(" * 5000 + ")" * 5000, "A = " + "-" * 10000 + "1"):
            try:
                result = read(source)
            except NotPython:
                continue
            self.assertNotIn("A", result.values)
        self.assertLess(time.monotonic() - started, 5)

    def test_a_value_that_doubles_on_every_line_stops_at_the_limit(self):
        source = "A = ['x']\n" + "A = A + A\n" * 40 + "B = 's'\n" + "B = B + B\n" * 40
        started = time.monotonic()
        result = read(source)
        self.assertLess(time.monotonic() - started, 2)
        # Past the limit the value is refused, and every line built on it after that.
        self.assertNotIn("A", result.values)
        self.assertNotIn("B", result.values)
        limits = [entry for entry in result.not_understood if "items or characters" in entry["why"]]
        self.assertEqual([entry["name"] for entry in limits], ["A", "B"])
        self.assertEqual(MAX_ITEMS, 1000)
