"""The lab's settings with no middleware at all: Django's own request cycle, URL routing and the
view. scripts/bench-ceiling.py runs the backend with it (no CORS, CSRF, session or ledger)."""

from config.settings import *  # noqa: F403

MIDDLEWARE = []
