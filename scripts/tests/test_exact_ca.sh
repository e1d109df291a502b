#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# The per-run CA of an exact-hostname run (make-certs.sh with LAB_PER_RUN_CA=true): made for the
# article's names on reserved domains, it vouches for those names and for nothing else, lives a
# day, keeps no key, and sits in none of this machine's trust stores; make-certs.sh never turns a
# lab CA into one. Uses the openssl of the proxy image when it is built (the one the `certs`
# service runs), else this machine's, with make-certs.sh under dash.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$sandbox"
# shellcheck source=scripts/lab-ca.sh
. scripts/lab-ca.sh
names="example.com django6.example.com attacker.example.org evil.example.com"
use_the_certs_tools LAB_PER_RUN_CA=true LAB_APP_HOST=example.com LAB_API_HOST=django6.example.com \
  LAB_SIBLING_HOST=evil.example.com LAB_ATTACKER_HOST=attacker.example.org

out=$(make_certs 2>&1)
expect "make-certs.sh makes a per-run CA and its leaf" test -f certs/ca.pem -a -f certs/lab.pem
expect "it says the CA is for exactly the run's names" contains "$out" "per-run CA for exactly $names"
expect "the CA's key is gone once the leaf is signed" test ! -e certs/ca-key.pem
verifies() { ossl verify -purpose sslserver -CAfile "$1" "$2" >/dev/null 2>&1; }
expect "the run's leaf verifies against the per-run CA" verifies certs/ca.pem certs/lab.pem
permitted=$(ossl x509 -in certs/ca.pem -noout -ext nameConstraints | sed -n '/Permitted:/,/Excluded:/p' | sed -n 's/^ *DNS://p' | sort | tr '\n' ' ')
expect "its name constraints permit exactly the run's names" test "$permitted" = "$(echo "$names" | tr ' ' '\n' | sort | tr '\n' ' ')"
expires_within() { ! ossl x509 -in certs/ca.pem -noout -checkend "$1" >/dev/null; }
expect "it expires within a day" expires_within 86401

# Its key is gone, so nothing more is ever signed: to try leaves against its very limits, the
# test signs the per-run CA again, extensions and all, with a key of its own (x509 -signkey).
ossl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=k" -keyout twin-key.pem -out twin.csr 2>/dev/null
ossl x509 -in certs/ca.pem -signkey twin-key.pem -days 1 -out twin.pem 2>/dev/null
twin_ext=$(ossl x509 -in twin.pem -noout -ext nameConstraints,basicConstraints,extendedKeyUsage)
expect "the twin keeps the per-run CA's limits" test "$twin_ext" = "$(ossl x509 -in certs/ca.pem -noout -ext nameConstraints,basicConstraints,extendedKeyUsage)"

# leaf CA NAME SAN [EXTRA EXTENSION]: a TLS server leaf signed by that CA (twin or control).
leaf() {
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=$3" > "$2.ext"
  ossl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=$2" -keyout "$2-key.pem" -out "$2.csr" 2>/dev/null
  ossl x509 -req -in "$2.csr" -CA "$1.pem" -CAkey "$1-key.pem" -CAcreateserial -days 1 -extfile "$2.ext" -out "$2.pem" 2>/dev/null
}
refused() { ! verifies twin.pem "$1.pem"; }

leaf twin api "DNS:django6.example.com"
expect "a leaf for one of the run's names verifies" verifies twin.pem api.pem
leaf twin net "DNS:example.net"
expect "a leaf for another reserved domain (example.net) is refused" refused net
leaf twin org "DNS:example.org"
expect "a leaf for the parent of one of its names (example.org, of attacker.example.org) is refused" refused org
leaf twin real "DNS:github.com"
expect "a leaf for a real site (github.com) is refused" refused real
leaf twin lab "DNS:app.lab.localhost"
expect "a leaf for the lab's own names (app.lab.localhost) is refused" refused lab
leaf twin ipv4 "IP:127.0.0.1"
expect "a leaf for IP:127.0.0.1 is refused" refused ipv4
leaf twin ipv6 "IP:::1"
expect "a leaf for IP:::1 is refused" refused ipv6
leaf twin mixed "DNS:django6.example.com,DNS:example.net"
expect "a leaf naming one of its names and another is refused" refused mixed
# RFC 5280, 4.2.1.10: "any DNS name that can be constructed by simply adding zero or more labels to
# the left-hand side of the name satisfies the name constraint". A permitted name is a subtree.
leaf twin below "DNS:a.django6.example.com"
expect "a subdomain of a permitted name verifies too (RFC 5280: a permitted dNSName is a subtree)" verifies twin.pem below.pem
# Control: a CA with the same key usage and no name constraints signs what the twin may not.
ossl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 1 -subj "/CN=control" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout control-key.pem -out control.pem 2>/dev/null
leaf control net-control "DNS:example.net"
expect "control: without the constraints, the example.net leaf does verify" verifies control.pem net-control.pem

stores=$(trust_stores_holding certs/ca.pem || true)
expect "the per-run CA is in none of this machine's trust stores" test -z "$stores"
# Control: the same check finds it once it is in an NSS database.
certutil_db=$sandbox/nssdb
if command -v certutil >/dev/null 2>&1; then
  mkdir "$certutil_db" && certutil -N -d "sql:$certutil_db" --empty-password
  certutil -A -d "sql:$certutil_db" -t "C,," -n per-run -i certs/ca.pem
  expect "control: the check finds the CA once an NSS database holds it" contains "$(nssdb=$certutil_db trust_stores_holding certs/ca.pem)" "$certutil_db (per-run)"
fi
status=0
out=$(LAB_CA_PEM=certs/ca.pem sh scripts/trust-ca.sh 2>&1) || status=$?
expect "make trust refuses the per-run CA" test "$status" = 1

# A lab CA in the directory (its key beside it) is never turned into a per-run one: make-certs.sh
# refuses, and leaves the key alone.
rm -f certs/*
touch certs/ca-key.pem certs/ca.pem
status=0
out=$(make_certs 2>&1) || status=$?
expect "with LAB_PER_RUN_CA=true, make-certs.sh refuses a directory that holds a CA key" test "$status" = 1
expect "and says LAB_PER_RUN_CA is never for .env" contains "$out" "never set it in .env"
expect "and leaves that key alone" test -f certs/ca-key.pem
finish
