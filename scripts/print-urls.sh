#!/usr/bin/env bash
# Prints where the lab is and how to log in, after `make up`.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."
set -a; source .env; set +a

suffix=""
[ "${LAB_HTTPS_PORT:-443}" = 443 ] || suffix=":$LAB_HTTPS_PORT"
cat <<MSG

The lab is up.
  app (the page)     https://${LAB_APP_HOST}${suffix}/
  api (Django)       https://${LAB_API_HOST}${suffix}/api/hello/
  attacker           https://${LAB_ATTACKER_HOST}${suffix}/
  demo login         alice / ${LAB_DEMO_PASSWORD}
  lab CA             certs/ca.pem  (not trusted yet? run: make trust)

MSG
