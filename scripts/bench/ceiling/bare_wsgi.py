"""A WSGI app with no Django in it, served by the lab's own gunicorn behind the lab's own nginx.
scripts/bench-ceiling.py mounts it over backend/config/wsgi.py: the fastest answer this stack gives."""

import sys

sys.setswitchinterval(0.0005)  # as config/wsgi.py sets it

BODY = b'{"message": "Hello from Django!", "received": {}}'


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
