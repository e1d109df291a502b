#!/usr/bin/env bash
# Trusts the lab CA the way a person would (Chromium's NSS store; the system store, which
# WebKitGTK uses; Firefox gets it in each profile's own NSS store, e2e/engines.py), then runs
# the tests.
set -o errexit -o nounset -o pipefail

nssdb="sql:$HOME/.pki/nssdb"
mkdir -p "$HOME/.pki/nssdb"
certutil -N -d "$nssdb" --empty-password 2>/dev/null || true
certutil -A -d "$nssdb" -t "C,," -n cors-django-lab -i /certs/ca.pem
# The system store: added to the bundle as update-ca-certificates would add it, without the half
# CPU-second it takes to rehash every certificate of the image (every test run starts here).
cat /certs/ca.pem >> /etc/ssl/certs/ca-certificates.crt

# The lab's ports on loopback, as on your machine: socat forwards each connection to the proxy's
# own port (nginx listens on 8443 and 8080 in its container), bytes as they are, TLS included.
socat "TCP-LISTEN:$LAB_HTTPS_PORT,bind=127.0.0.1,reuseaddr,fork" TCP:proxy:8443 &
socat "TCP-LISTEN:$LAB_HTTP_PORT,bind=127.0.0.1,reuseaddr,fork" TCP:proxy:8080 &
# The dev layout's two plain-http ports (compose.dev-layout.yaml publishes them on your machine).
socat "TCP-LISTEN:$LAB_DEV_FRONT_PORT,bind=127.0.0.1,reuseaddr,fork" TCP:proxy:5173 &
socat "TCP-LISTEN:$LAB_DEV_API_PORT,bind=127.0.0.1,reuseaddr,fork" TCP:proxy:8000 &

# Chromium resolves *.localhost to loopback by itself; Python's resolver (used to read the ledger),
# Firefox and WebKit do not, so name the hosts for them. In an exact-hostname run (example.com,
# your own names: scripts/exact-run.sh) these lines are what makes the names this container's,
# here and nowhere else; Chromium gets them as resolver rules (lab.py).
for host in "$LAB_APP_HOST" "$LAB_API_HOST" "$LAB_ATTACKER_HOST" "$LAB_SIBLING_HOST" \
    "$LAB_LOOKALIKE_DOT_HOST" "$LAB_LOOKALIKE_PREFIX_HOST" "$LAB_LOOKALIKE_SUFFIX_HOST" "$LAB_CROSS_SITE_APP_HOST" \
    "$LAB_DEV_HOST"; do
  [ -n "$host" ] || continue
  grep -q " $host\$" /etc/hosts || echo "127.0.0.1 $host" >> /etc/hosts
done

# The demo password is a file (compose.yaml), not a variable of the container that `docker
# inspect` would print; the tests read it from their environment.
LAB_DEMO_PASSWORD=$(cat "$LAB_DEMO_PASSWORD_FILE")
export LAB_DEMO_PASSWORD

# socat listens before the tests connect.
for port in "$LAB_HTTPS_PORT" "$LAB_HTTP_PORT" "$LAB_DEV_FRONT_PORT" "$LAB_DEV_API_PORT"; do
  tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { echo "e2e: socat is not listening on 127.0.0.1:$port" >&2; exit 1; }
    sleep 0.05
  done
done

# Root in here (Chromium's NSS store, /etc/hosts); traces and screenshots go back to whoever ran
# make, so that they can open and delete them.
"$@" && status=0 || status=$?
chown -R "${LAB_UID:-0}:${LAB_GID:-0}" /e2e/test-results 2>/dev/null || true
exit "$status"
