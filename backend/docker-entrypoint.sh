#!/usr/bin/env bash
set -o errexit -o nounset -o pipefail

# migrate runs Django's system checks first: a dangerous setting stops the start here.
python3 manage.py migrate --noinput
python3 manage.py ensure_demo_user
exec gunicorn lab.wsgi \
  --bind 0.0.0.0:8000 \
  --workers 2 \
  --access-logfile - \
  --forwarded-allow-ips '*'
