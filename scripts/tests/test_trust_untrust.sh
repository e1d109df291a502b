#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# make trust then make untrust (the Makefile's targets, then the scripts under dash), without mkcert, against a throwaway NSS database: the lab CA is
# there after trust and gone after untrust, and nothing else in the database is touched.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need dash
need openssl
if ! command -v certutil >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnss3-tools >/dev/null 2>&1 || true
fi
need certutil
if command -v mkcert >/dev/null 2>&1; then
  # With mkcert the scripts change this machine's real trust stores: not in a test.
  skip "mkcert is installed, and trust-ca.sh would use it on your real trust stores"
fi
cd "$sandbox"
# The real Makefile beside the sandbox's scripts: `make trust` and `make untrust` run them.
cp "$repo/Makefile" .

# new_ca CN FILE [NAME CONSTRAINTS]: the lab's own constraint (.localhost alone) unless told.
new_ca() {
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 1 \
    -addext "nameConstraints=critical,${3:-permitted;DNS:localhost}" \
    -subj "/CN=$1" -keyout "$2-key.pem" -out "$2.pem" 2>/dev/null
}
new_ca "CORS Django Lab local CA test" certs/ca
new_ca "Somebody else's CA" other
new_ca "CORS Django Lab local CA of an older lab" old
db=$sandbox/nssdb
mkdir "$db"
certutil -N -d "sql:$db" --empty-password
certutil -A -d "sql:$db" -t "C,," -n somebody-else -i other.pem
export LAB_NSSDB="$db" HOME="$sandbox/home"

in_db() { certutil -L -d "sql:$db" -n "$1" >/dev/null 2>&1; }
not_in_db() { ! in_db "$1"; }

out=$(make -s --no-print-directory trust)
expect "make trust (trust-ca.sh) says it added the CA to the NSS database" contains "$out" "Added certs/ca.pem to the NSS database"
expect "after trust, the lab CA is in the NSS database" in_db cors-django-lab
trusted_for_websites() { certutil -L -d "sql:$db" | grep -Eq "^cors-django-lab +C,,"; }
expect "it is trusted to identify websites (C,,)" trusted_for_websites
expect "trust-ca.sh still prints the other stores' steps, macOS's for TLS only" contains "$out" "-p ssl"
out=$(dash scripts/trust-ca.sh)
expect "trusting twice is fine and says so" contains "$out" "already trusted"

out=$(make -s --no-print-directory untrust)
expect "make untrust (untrust-ca.sh) says it removed the CA" contains "$out" "Removed certs/ca.pem from the NSS database"
expect "after untrust, the lab CA is gone" not_in_db cors-django-lab
expect "after untrust, the other CA is still there" in_db somebody-else
fingerprint=$(openssl x509 -in certs/ca.pem -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
expect "untrust-ca.sh prints the Windows removal by thumbprint" contains "$out" "Remove-Item Cert:\\LocalMachine\\Root\\$fingerprint"
expect "untrust-ca.sh prints the macOS removal" contains "$out" "security delete-certificate -Z $fingerprint"
out=$(dash scripts/untrust-ca.sh)
expect "untrusting twice is fine and says there is nothing to remove" contains "$out" "nothing to remove"

# A per-run CA of an exact-hostname run (make-certs.sh's constraints for it), or a CA that no name
# constraint limits: make trust refuses both, and adds nothing.
new_ca "CORS Django Lab per-run CA" per-run "permitted;DNS:example.com,permitted;DNS:django6.example.com"
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 1 -subj "/CN=unconstrained" \
  -keyout unconstrained-key.pem -out unconstrained.pem 2>/dev/null
for refused in per-run unconstrained; do
  status=0
  out=$(LAB_CA_PEM=$refused.pem dash scripts/trust-ca.sh 2>&1) || status=$?
  expect "make trust refuses the $refused CA" test "$status" = 1
  expect "and says the lab never asks you to trust such a CA" contains "$out" "never asks you to trust such a CA"
  expect "and adds nothing to the NSS database" not_in_db cors-django-lab
done
expect "it names what the per-run CA could vouch for" contains "$(LAB_CA_PEM=per-run.pem dash scripts/trust-ca.sh 2>&1)" "example.com django6.example.com"

# Another CA under the lab's nickname (an older lab's): never removed, and trust says what to do.
certutil -A -d "sql:$db" -t "C,," -n cors-django-lab -i old.pem
out=$(dash scripts/untrust-ca.sh)
expect "untrust leaves a different CA with the lab's nickname alone" in_db cors-django-lab
expect "and says it was left alone" contains "$out" "left alone"
expect "and says how to remove it if it is an old lab CA" contains "$out" "certutil -D -d sql:$db -n cors-django-lab"
status=0
out=$(dash scripts/trust-ca.sh 2>&1) || status=$?
expect "trust refuses to mix two lab CAs under one nickname" test "$status" = 1
expect "and gives the command that clears the old one" contains "$out" "certutil -D -d sql:$db -n cors-django-lab"
finish
