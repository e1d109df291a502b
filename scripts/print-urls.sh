#!/bin/sh
# Prints where the lab is and how to log in, after `make up`. The origins are read from the
# running proxy (nginx/docker-entrypoint.sh wrote them from .env), not worked out again here.
set -eu
cd "$(dirname "$0")/.."

config=$(docker compose exec -T proxy cat /run/nginx/lab-config.json)
origin() { printf '%s\n' "$config" | sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p"; }
password=$(sed -n 's/^LAB_DEMO_PASSWORD=//p' .env)

cat <<MSG

The lab is up.
  app (the page)     $(origin app)/
  api (Django)       $(origin api)/api/hello/
  attacker           $(origin attacker)/
  cross-site app     $(origin cross_site_app)/  (trusted when LAB_DEPLOYMENT=cross-site)
  demo login         alice / ${password}
  lab CA             certs/ca.pem  (not trusted yet? run: make trust)

MSG
