"""The settings module refuses to start on a missing or unsafe value, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import TestCase

BACKEND = Path(__file__).resolve().parents[2]
VALID_ENV = {
    "DJANGO_SECRET_KEY": "s" * 25 + "e" * 25 + "cret",
    "LAB_JWT_SIGNING_KEY": "k" * 32,
    "LAB_DEMO_PASSWORD": "demo",
    "LAB_DATABASE_PATH": ":memory:",
}


def start_django(**changes) -> subprocess.CompletedProcess:
    """Runs `manage.py check` in a fresh process, as the container's start would."""
    env = {**os.environ, **VALID_ENV}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=BACKEND, env=env,
                          capture_output=True, text=True, timeout=60)


class SettingsRefuseToStartTests(TestCase):
    def assert_refused(self, result, *fragments):
        self.assertNotEqual(result.returncode, 0, result.stdout)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)

    def test_valid_environment_starts(self):
        result = start_django()
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_missing_secret_key_names_the_variable_and_the_example_file(self):
        self.assert_refused(start_django(DJANGO_SECRET_KEY=None),
                            "DJANGO_SECRET_KEY is not set", ".env.example")

    def test_missing_demo_password_is_refused(self):
        self.assert_refused(start_django(LAB_DEMO_PASSWORD=None), "LAB_DEMO_PASSWORD is not set")

    def test_jwt_key_shorter_than_32_bytes_is_refused(self):
        self.assert_refused(start_django(LAB_JWT_SIGNING_KEY="k" * 31),
                            "LAB_JWT_SIGNING_KEY is 31 bytes long; it must be at least 32")

    def test_jwt_key_of_32_bytes_is_accepted(self):
        self.assertEqual(start_django(LAB_JWT_SIGNING_KEY="k" * 32).returncode, 0)

    def test_unknown_samesite_value_is_refused(self):
        self.assert_refused(start_django(LAB_SESSION_COOKIE_SAMESITE="Loose"),
                            "LAB_SESSION_COOKIE_SAMESITE='Loose' is not one of Strict, Lax, None")

    def test_samesite_none_without_secure_fails_the_system_check(self):
        self.assert_refused(start_django(LAB_CSRF_COOKIE_SAMESITE="None", LAB_COOKIE_SECURE="false"),
                            "lab.E001")

    def test_non_boolean_switch_is_refused(self):
        self.assert_refused(start_django(LAB_DISPLAY_NAME_CSRF_EXEMPT="maybe"),
                            "LAB_DISPLAY_NAME_CSRF_EXEMPT='maybe' is not a boolean")

    def test_trusted_origin_that_is_not_an_origin_is_refused(self):
        self.assert_refused(start_django(LAB_CSRF_TRUSTED_ORIGINS="app.lab.localhost"),
                            "LAB_CSRF_TRUSTED_ORIGINS holds 'app.lab.localhost'")

    def test_port_that_is_not_a_port_is_refused(self):
        self.assert_refused(start_django(LAB_HTTPS_PORT="https"), "LAB_HTTPS_PORT='https' is not a TCP port")
