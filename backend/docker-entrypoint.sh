#!/usr/bin/env bash
set -o errexit -o nounset -o pipefail

# migrate runs Django's system checks first: a dangerous setting stops the start here.
python3 manage.py migrate --noinput
python3 manage.py ensure_demo_user
# Sync workers, one request at a time each: scenarios/views.py relies on it. Forwarded headers
# are trusted from any address because only nginx can reach this port (it is not published).
exec gunicorn lab.wsgi \
  --bind 0.0.0.0:8000 \
  --workers 2 \
  --access-logfile - \
  --forwarded-allow-ips '*'
