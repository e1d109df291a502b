"""gunicorn's settings that have no command-line flag (backend/docker-entrypoint.sh loads this
module with --config python:config.gunicorn_conf; the rest of gunicorn's settings are flags there).
"""

# gunicorn itself turns X-Forwarded-Proto: https into wsgi.url_scheme "https" for a peer it trusts
# (forwarded_allow_ips: 127.0.0.1 by default, and every peer on a unix socket, as nginx is here).
# Django's SECURE_PROXY_SSL_HEADER would then never matter in this lab. Empty: gunicorn leaves the
# scheme as it received it (http), and Django alone decides from the header, as it must wherever
# gunicorn does not trust its proxy (nginx in another container, over TCP): docs/mistakes.md.
# https://docs.gunicorn.org/en/stable/settings.html#secure-scheme-headers
secure_scheme_headers = {}
