#!/usr/bin/env bash
# Fills the hostnames and ports from the environment into the nginx config, then runs nginx.
# Runs as the unprivileged user nginx, on a read-only root filesystem: what it writes (the config,
# the origins, nginx's pid and temporary files) goes to /run/nginx, a tmpfs (compose.yaml).
set -o errexit -o nounset -o pipefail

# Origins carry no port on 443, as in production; any other port becomes part of every origin
# (the same rule as https_origin() in backend/config/env.py, for the pages and the tools).
if [ "$LAB_HTTPS_PORT" = 443 ]; then
  export LAB_HTTPS_PORT_SUFFIX=""
else
  export LAB_HTTPS_PORT_SUFFIX=":$LAB_HTTPS_PORT"
fi

origin() { printf 'https://%s%s' "$1" "$LAB_HTTPS_PORT_SUFFIX"; }
printf '{"app": "%s", "api": "%s", "attacker": "%s", "sibling": "%s", "lookalikes": {"dot": "%s", "prefix": "%s", "suffix": "%s"}, "cross_site_app": "%s"}\n' \
  "$(origin "$LAB_APP_HOST")" "$(origin "$LAB_API_HOST")" "$(origin "$LAB_ATTACKER_HOST")" \
  "$(origin "$LAB_SIBLING_HOST")" "$(origin "$LAB_LOOKALIKE_DOT_HOST")" \
  "$(origin "$LAB_LOOKALIKE_PREFIX_HOST")" "$(origin "$LAB_LOOKALIKE_SUFFIX_HOST")" \
  "$(origin "$LAB_CROSS_SITE_APP_HOST")" > /run/nginx/lab-config.json

# Only our variables are substituted, so nginx's own $host, $request_uri... stay as they are.
envsubst '${LAB_APP_HOST} ${LAB_API_HOST} ${LAB_ATTACKER_HOST} ${LAB_SIBLING_HOST} ${LAB_LOOKALIKE_DOT_HOST} ${LAB_LOOKALIKE_PREFIX_HOST} ${LAB_LOOKALIKE_SUFFIX_HOST} ${LAB_CROSS_SITE_APP_HOST} ${LAB_HTTPS_PORT_SUFFIX} ${LAB_XSS_STAND_IN}' \
  < /etc/nginx/nginx.conf.template > /run/nginx/nginx.conf

# -e stderr: nginx opens its compiled-in error log (/var/log/nginx/error.log) before it reads the
# config, and this user may not write there.
exec nginx -e stderr -c /run/nginx/nginx.conf -g 'daemon off;'
