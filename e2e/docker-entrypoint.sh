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

# Chromium resolves *.localhost to loopback by itself; Python's resolver (used to read the ledger)
# does not, so name the hosts for it. Loopback here is the proxy's: we share its network.
for host in "$LAB_APP_HOST" "$LAB_API_HOST" "$LAB_ATTACKER_HOST" "$LAB_SIBLING_HOST" \
    "$LAB_LOOKALIKE_DOT_HOST" "$LAB_LOOKALIKE_PREFIX_HOST" "$LAB_LOOKALIKE_SUFFIX_HOST" "$LAB_CROSS_SITE_APP_HOST"; do
  [ -n "$host" ] || continue
  grep -q " $host\$" /etc/hosts || echo "127.0.0.1 $host" >> /etc/hosts
done

# Root in here (Chromium's NSS store, /etc/hosts); traces and screenshots go back to whoever ran
# make, so that they can open and delete them.
"$@" && status=0 || status=$?
chown -R "${LAB_UID:-0}:${LAB_GID:-0}" /e2e/test-results 2>/dev/null || true
exit "$status"
