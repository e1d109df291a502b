"""The defaults the model assumes for a name a project leaves out are those of the installed
Django and django-cors-headers (requirements.txt pins them): an upgrade that changes one fails here."""

from pathlib import Path

import django
from corsheaders.defaults import default_headers, default_methods
from django.conf import global_settings
from django.test import SimpleTestCase

from cors_doctor import generate, literal_settings
from crossorigin.deployment.settings import DEFAULT_CORS_ALLOW_HEADERS, DEFAULT_CORS_ALLOW_METHODS, STARTPROJECT_MIDDLEWARE, DjangoSettings

TEMPLATE = Path(django.__file__).parent / "conf" / "project_template" / "project_name" / "settings.py-tpl"


class DefaultsTests(SimpleTestCase):
    def test_django_cors_headers_defaults(self):
        self.assertEqual(DEFAULT_CORS_ALLOW_HEADERS, tuple(default_headers))
        self.assertEqual(DEFAULT_CORS_ALLOW_METHODS, tuple(default_methods))

    def test_djangos_global_defaults(self):
        model = DjangoSettings()
        for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "CSRF_COOKIE_NAME", "CSRF_COOKIE_SAMESITE",
                     "CSRF_COOKIE_SECURE", "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_PATH", "CSRF_HEADER_NAME", "CSRF_USE_SESSIONS",
                     "SESSION_COOKIE_NAME", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_DOMAIN",
                     "SESSION_COOKIE_PATH"):
            with self.subTest(name):
                self.assertEqual(getattr(model, name), getattr(global_settings, name))
        self.assertEqual(tuple(global_settings.ALLOWED_HOSTS), model.ALLOWED_HOSTS)
        self.assertEqual(tuple(global_settings.CSRF_TRUSTED_ORIGINS), model.CSRF_TRUSTED_ORIGINS)

    def test_what_startproject_writes(self):
        template = literal_settings.read(TEMPLATE.read_text())
        self.assertEqual(tuple(template.values["MIDDLEWARE"]), STARTPROJECT_MIDDLEWARE)
        self.assertEqual(tuple(template.values["INSTALLED_APPS"]), generate.STARTPROJECT_APPS)
