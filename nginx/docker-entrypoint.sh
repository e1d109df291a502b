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
# The dev layout's two plain-http origins, on the ports `make dev-layout` publishes (80 omitted).
http_origin() { if [ "$2" = 80 ]; then printf 'http://%s' "$1"; else printf 'http://%s:%s' "$1" "$2"; fi; }
LAB_DEV_FRONT_ORIGIN=$(http_origin "$LAB_DEV_HOST" "$LAB_DEV_FRONT_PORT")
LAB_DEV_API_ORIGIN=$(http_origin "$LAB_DEV_HOST" "$LAB_DEV_API_PORT")
export LAB_DEV_FRONT_ORIGIN LAB_DEV_API_ORIGIN

case "$LAB_PROXY_FORWARDED_PROTO" in
  true | false) ;;
  *) echo "LAB_PROXY_FORWARDED_PROTO=$LAB_PROXY_FORWARDED_PROTO is not a boolean; use true or false (.env.example)." >&2
     exit 1 ;;
esac

# /lab-config.json for the pages; the dev layout's front gets its own copy, whose app and api are
# that layout's two ports.
lab_config() {  # $1: the app's origin, $2: the API's
  printf '{"app": "%s", "api": "%s", "attacker": "%s", "sibling": "%s", "lookalikes": {"dot": "%s", "prefix": "%s", "suffix": "%s"}, "cross_site_app": "%s", "dev_front": "%s", "dev_api": "%s", "proxy_forwarded_proto": %s}\n' \
    "$1" "$2" "$(origin "$LAB_ATTACKER_HOST")" \
    "$(origin "$LAB_SIBLING_HOST")" "$(origin "$LAB_LOOKALIKE_DOT_HOST")" \
    "$(origin "$LAB_LOOKALIKE_PREFIX_HOST")" "$(origin "$LAB_LOOKALIKE_SUFFIX_HOST")" \
    "$(origin "$LAB_CROSS_SITE_APP_HOST")" "$LAB_DEV_FRONT_ORIGIN" "$LAB_DEV_API_ORIGIN" "$LAB_PROXY_FORWARDED_PROTO"
}
lab_config "$(origin "$LAB_APP_HOST")" "$(origin "$LAB_API_HOST")" > /run/nginx/lab-config.json
lab_config "$LAB_DEV_FRONT_ORIGIN" "$LAB_DEV_API_ORIGIN" > /run/nginx/dev-lab-config.json

# Only our variables are substituted, so nginx's own $host, $request_uri... stay as they are.
envsubst '${LAB_APP_HOST} ${LAB_API_HOST} ${LAB_ATTACKER_HOST} ${LAB_SIBLING_HOST} ${LAB_LOOKALIKE_DOT_HOST} ${LAB_LOOKALIKE_PREFIX_HOST} ${LAB_LOOKALIKE_SUFFIX_HOST} ${LAB_CROSS_SITE_APP_HOST} ${LAB_HTTPS_PORT_SUFFIX} ${LAB_DEV_HOST} ${LAB_DEV_API_ORIGIN} ${LAB_PROXY_FORWARDED_PROTO} ${LAB_XSS_STAND_IN}' \
  < /etc/nginx/nginx.conf.template > /run/nginx/nginx.conf

# -e stderr: nginx opens its compiled-in error log (/var/log/nginx/error.log) before it reads the
# config, and this user may not write there.
exec nginx -e stderr -c /run/nginx/nginx.conf -g 'daemon off;'
