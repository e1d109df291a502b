"""Settings for the unit tests: .env.example's values, whatever the learner's .env says, so that
a learner's own settings can never change what a test proves (and a test run needs no .env)."""

import os
from pathlib import Path

# The repository's .env.example; `make test-backend` mounts it at /app/.env.example.
HERE = Path(__file__).resolve().parent.parent
EXAMPLE = next(path for path in (HERE / ".env.example", HERE.parent / ".env.example") if path.exists())

TEST_SECRETS = {
    "DJANGO_SECRET_KEY": "unit-tests-only-" + "s" * 40,
    "LAB_JWT_SIGNING_KEY": "unit-tests-only-" + "k" * 32,
    "LAB_DEMO_PASSWORD": "unit-tests-password",
    "LAB_DATABASE_PATH": ":memory:",
}


def example_values() -> dict[str, str]:
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        name, equals, value = line.partition("=")
        if equals and not line.lstrip().startswith("#"):
            values[name.strip()] = value.strip()
    return values


os.environ.update({**example_values(), **TEST_SECRETS})

from config.settings import *  # noqa: E402,F401,F403  (the real settings, read from the values above)

# PBKDF2 at Django's production cost makes every test login take ~0.3 s; the tests prove the
# login flow, not the hash. Production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The tests provoke 4xx and 5xx answers on purpose; Django's request log would bury the results.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "CRITICAL"},  # noqa: F405
                                  "django.security.csrf": {"level": "CRITICAL"}}}
# LiveServerTestCase (playground/tests/test_concurrency.py) serves static files under this prefix.
STATIC_URL = "/static/"
