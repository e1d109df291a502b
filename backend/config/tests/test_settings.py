"""The settings module refuses to start on a missing or unsafe value, naming the variable.

Each refusal is checked by running config/settings.py afresh (runpy) with one value changed: what
the container's start does, without starting a Python process per case. Two tests do start
Django for real, in a subprocess, as the container would.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import TestCase, mock

from django.core.exceptions import ImproperlyConfigured

from config.settings_test import TEST_SECRETS, example_values

BACKEND = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BACKEND / "config" / "settings.py"
VALID_ENV = {**example_values(), **TEST_SECRETS}


def environment(**changes) -> dict:
    env = {**VALID_ENV}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def load_settings(**changes) -> dict:
    with mock.patch.dict(os.environ, environment(**changes), clear=True):
        return runpy.run_path(str(SETTINGS_FILE))


def start_django(**changes) -> subprocess.CompletedProcess:
    """Runs `manage.py check` in a fresh process, as the container's start would."""
    env = {**os.environ, **environment(**changes), "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=BACKEND, env=env,
                          capture_output=True, text=True, timeout=60)


class SettingsRefuseToStartTests(TestCase):
    def assert_refused(self, *fragments, **changes):
        with self.assertRaises(ImproperlyConfigured) as refused:
            load_settings(**changes)
        for fragment in fragments:
            self.assertIn(fragment, str(refused.exception))

    def test_example_values_with_real_secrets_load(self):
        settings = load_settings()
        self.assertEqual(settings["LAB_APP_ORIGIN"], "https://app.lab.localhost")
        self.assertEqual(settings["SESSION_COOKIE_SAMESITE"], "Lax")

    def test_missing_secret_key_names_the_variable_and_the_example_file(self):
        self.assert_refused("DJANGO_SECRET_KEY is not set", ".env.example", DJANGO_SECRET_KEY=None)

    def test_missing_demo_password_is_refused(self):
        self.assert_refused("LAB_DEMO_PASSWORD is not set", LAB_DEMO_PASSWORD=None)

    def test_placeholder_secrets_from_env_example_are_refused(self):
        placeholders = {name: value for name, value in example_values().items() if name in TEST_SECRETS}
        self.assertTrue(placeholders)
        for name, value in placeholders.items():
            with self.subTest(name):
                self.assert_refused(f"{name} still holds the placeholder", **{name: value})

    def test_jwt_key_shorter_than_32_bytes_is_refused(self):
        self.assert_refused("LAB_JWT_SIGNING_KEY is 31 bytes long; it must be at least 32",
                            LAB_JWT_SIGNING_KEY="k" * 31)

    def test_jwt_key_of_32_bytes_is_accepted(self):
        self.assertEqual(load_settings(LAB_JWT_SIGNING_KEY="k" * 32)["LAB_JWT_SIGNING_KEY"], "k" * 32)

    def test_unknown_samesite_value_is_refused(self):
        self.assert_refused("LAB_SESSION_COOKIE_SAMESITE='Loose' is not one of Strict, Lax, None",
                            LAB_SESSION_COOKIE_SAMESITE="Loose")

    def test_non_boolean_switch_is_refused(self):
        self.assert_refused("LAB_DISPLAY_NAME_CSRF_EXEMPT='maybe' is not a boolean",
                            LAB_DISPLAY_NAME_CSRF_EXEMPT="maybe")

    def test_trusted_origin_that_is_not_an_origin_is_refused(self):
        self.assert_refused("LAB_CSRF_TRUSTED_ORIGINS holds 'app.lab.localhost'",
                            LAB_CSRF_TRUSTED_ORIGINS="app.lab.localhost")

    def test_port_that_is_not_a_port_is_refused(self):
        self.assert_refused("LAB_HTTPS_PORT='https' is not a TCP port", LAB_HTTPS_PORT="https")

    def test_hostname_outside_localhost_is_refused(self):
        self.assert_refused("LAB_APP_HOST='app.example.com' is not a hostname under .localhost",
                            LAB_APP_HOST="app.example.com")

    def test_hostname_outside_localhost_is_refused_when_the_switch_is_off(self):
        self.assert_refused("make test-exact", LAB_APP_HOST="example.com", LAB_PER_RUN_CA="false")

    def test_exact_hostnames_start_only_with_the_per_run_ca_switch(self):
        settings = load_settings(LAB_PER_RUN_CA="true", LAB_APP_HOST="example.com", LAB_API_HOST="django6.example.com")
        self.assertEqual(settings["LAB_APP_ORIGIN"], "https://example.com")
        self.assertEqual(settings["ALLOWED_HOSTS"], ["django6.example.com"])

    def test_per_run_ca_switch_that_is_not_a_boolean_is_refused(self):
        self.assert_refused("LAB_PER_RUN_CA='yes please' is not a boolean", LAB_PER_RUN_CA="yes please",
                            LAB_APP_HOST="example.com")

    def test_an_ip_address_is_no_hostname_even_with_the_switch(self):
        for address in ("127.0.0.1", "10.0.0.1"):
            with self.subTest(address):
                self.assert_refused(f"LAB_API_HOST={address!r} is not a hostname", LAB_PER_RUN_CA="true",
                                    LAB_API_HOST=address)

    def test_hostname_with_an_empty_label_is_refused(self):
        self.assert_refused("LAB_SIBLING_HOST='evil..lab.localhost' is not a hostname", LAB_SIBLING_HOST="evil..lab.localhost")

    def test_a_variable_missing_from_an_old_env_is_named(self):
        self.assert_refused("LAB_COOKIE_SECURE is not set", LAB_COOKIE_SECURE=None)

    def test_other_port_is_part_of_every_origin(self):
        self.assertEqual(load_settings(LAB_HTTPS_PORT="8443")["LAB_API_ORIGIN"], "https://api.lab.localhost:8443")


class DjangoStartsTests(TestCase):
    def test_valid_environment_starts(self):
        result = start_django()
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_samesite_none_without_secure_fails_the_system_check(self):
        result = start_django(LAB_CSRF_COOKIE_SAMESITE="None", LAB_COOKIE_SECURE="false")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("lab.E001", result.stderr)


class DeploymentTests(TestCase):
    """LAB_DEPLOYMENT=cross-site trusts the cross-site app, and nothing else that the same-site
    deployment refuses."""

    def test_same_site_deployment_trusts_the_app_alone(self):
        settings = load_settings()
        self.assertEqual(settings["LAB_DEPLOYMENT"], "same-site")
        self.assertEqual(settings["CORS_ALLOWED_ORIGINS"], ["https://app.lab.localhost"])
        self.assertEqual(settings["CSRF_TRUSTED_ORIGINS"], ["https://app.lab.localhost"])
        self.assertEqual(settings["ALLOWED_HOSTS"], ["api.lab.localhost"])

    def test_cross_site_deployment_adds_the_cross_site_app_to_cors_csrf_and_allowed_hosts(self):
        settings = load_settings(LAB_DEPLOYMENT="cross-site")
        front = "https://app.front.localhost"
        self.assertEqual(settings["CORS_ALLOWED_ORIGINS"], ["https://app.lab.localhost", front])
        self.assertEqual(settings["CSRF_TRUSTED_ORIGINS"], ["https://app.lab.localhost", front])
        self.assertEqual(settings["ALLOWED_HOSTS"], ["api.lab.localhost", "app.front.localhost"])
        # What the learner wrote in LAB_CSRF_TRUSTED_ORIGINS is reported as written.
        self.assertEqual(settings["LAB_BEHAVIOUR_SETTINGS"]["LAB_CSRF_TRUSTED_ORIGINS"], ["https://app.lab.localhost"])

    def test_cross_site_deployment_trusts_no_attacker(self):
        settings = load_settings(LAB_DEPLOYMENT="cross-site")
        for origin in (settings["LAB_ATTACKER_ORIGIN"], settings["LAB_SIBLING_ORIGIN"], "null",
                       *settings["LAB_LOOKALIKE_ORIGINS"].values()):
            with self.subTest(origin):
                self.assertNotIn(origin, settings["CORS_ALLOWED_ORIGINS"])
                self.assertNotIn(origin, settings["CSRF_TRUSTED_ORIGINS"])

    def test_unknown_deployment_is_refused(self):
        with self.assertRaises(ImproperlyConfigured) as refused:
            load_settings(LAB_DEPLOYMENT="cross")
        self.assertIn("LAB_DEPLOYMENT='cross' is not one of same-site, cross-site", str(refused.exception))

    def test_partitioned_without_secure_fails_the_system_check(self):
        result = start_django(LAB_PARTITIONED_COOKIES="true", LAB_COOKIE_SECURE="false")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("lab.E003", result.stderr)
