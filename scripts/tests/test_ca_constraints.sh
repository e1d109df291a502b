#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# The lab CA made by make-certs.sh vouches for the lab's names and for nothing else: a leaf it
# signs for an IP address, for a name outside .localhost or for an e-mail address fails
# `openssl verify`; the real lab leaf passes. Uses the openssl of the proxy image when it is
# built (the one the `certs` service runs), else this machine's, with make-certs.sh under dash.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$sandbox"
use_the_certs_tools LAB_APP_HOST=app.lab.localhost LAB_API_HOST=api.lab.localhost \
  LAB_ATTACKER_HOST=attacker.localhost LAB_SIBLING_HOST=evil.lab.localhost

out=$(make_certs 2>&1)
expect "make-certs.sh creates a CA and the lab leaf" test -f certs/ca.pem -a -f certs/lab.pem
expect "a new CA gets no 'older version' warning" lacks "$out" "older version"
san=$(ossl x509 -in certs/lab.pem -noout -ext subjectAltName)
expect "the leaf names LAB_SIBLING_HOST too" contains "$san" "DNS:evil.lab.localhost"
verifies() { ossl verify -purpose sslserver -CAfile certs/ca.pem "$1" >/dev/null 2>&1; }
expect "the real lab leaf verifies against the CA" verifies certs/lab.pem

# leaf NAME EXTENSIONS: a leaf signed by the lab CA, for the test's attempts.
leaf() {
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "$2" > "$1.ext"
  ossl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=$1.lab.localhost" \
    -keyout "$1-key.pem" -out "$1.csr" 2>/dev/null
  ossl x509 -req -in "$1.csr" -CA certs/ca.pem -CAkey certs/ca-key.pem -CAcreateserial \
    -days 1 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
refused() { ! ossl verify -CAfile certs/ca.pem "$1.pem" >/dev/null 2>&1; }

leaf ipv4 "subjectAltName=IP:127.0.0.1"
expect "a leaf for IP:127.0.0.1 does not verify" refused ipv4
leaf ipv6 "subjectAltName=IP:::1"
expect "a leaf for IP:::1 does not verify" refused ipv6
leaf realsite "subjectAltName=DNS:example.com"
expect "a leaf for DNS:example.com does not verify" refused realsite
leaf mail "subjectAltName=DNS:mail.lab.localhost,email:someone@example.com"
expect "a leaf with an e-mail address does not verify" refused mail
leaf client "extendedKeyUsage=clientAuth
subjectAltName=DNS:client.lab.localhost"
refused_as_client() { ! ossl verify -purpose sslclient -CAfile certs/ca.pem "$1.pem" >/dev/null 2>&1; }
expect "a TLS client certificate does not verify (the CA is for TLS servers only)" refused_as_client client

# A CA made the old way (DNS:localhost only): the same IP leaf passes, which is what the new
# limits fix; make-certs.sh keeps that CA, says so, and says how to renew it.
rm -f certs/*
ossl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 1 \
  -subj "/O=CORS Django Lab/CN=CORS Django Lab local CA old" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "nameConstraints=critical,permitted;DNS:localhost" \
  -keyout certs/ca-key.pem -out certs/ca.pem 2>/dev/null
leaf ipv4 "subjectAltName=IP:127.0.0.1"
expect "control: under an old-style CA, the IP leaf does verify" verifies ipv4.pem
before=$(cksum < certs/ca.pem)
status=0
out=$(make_certs 2>&1) || status=$?
expect "make-certs.sh still succeeds with an old CA" test "$status" = 0
expect "it keeps the old CA (you trusted it)" test "$before" = "$(cksum < certs/ca.pem)"
expect "it warns that the CA lacks today's limits" contains "$out" "older version of the lab"
expect "it says how to renew: make clean CA=1" contains "$out" "make clean CA=1"
finish
