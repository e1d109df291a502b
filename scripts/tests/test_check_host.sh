#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# check-host.sh names the real cause when the lab's port is not the lab's: it runs against a
# port held by another program (python3's http.server, then openssl s_server), and a free one.
# It needs no running lab: everything happens on a free port of 127.0.0.1.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need dash
need curl
need python3
need openssl
cd "$sandbox"
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 1 \
  -subj "/CN=test CA" -keyout certs/ca-key.pem -out certs/ca.pem 2>/dev/null

port=$(free_port)
python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1 &
pids="$pids $!"
wait_listening "$port"
status=0
out=$(LAB_HTTPS_PORT=$port dash scripts/check-host.sh 2>&1) || status=$?
echo "$out" | sed 's/^/    /'
expect "a port taken by a plain-http program fails the check" test "$status" = 1
expect "the message names the taken port 127.0.0.1:$port" contains "$out" "127.0.0.1:$port"
expect "the message says another program holds it" contains "$out" "taken by another program"
expect "the message gives the fix (another LAB_HTTPS_PORT)" contains "$out" "LAB_HTTPS_PORT=8443"
# Only root (or the program's own user, as here) sees which program holds a port.
expect "the message names the program, python3" contains "$out" "python3"
stop_helpers

status=0
out=$(LAB_HTTPS_PORT=$port dash scripts/check-host.sh 2>&1) || status=$?
echo "$out" | sed 's/^/    /'
expect "a port nothing listens on fails the check" test "$status" = 1
expect "the message says nothing listens on 127.0.0.1:$port" contains "$out" "Nothing listens on 127.0.0.1:$port"

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 1 \
  -subj "/CN=someone else" -keyout other-key.pem -out other.pem 2>/dev/null
openssl s_server -quiet -accept "127.0.0.1:$port" -cert other.pem -key other-key.pem -www >/dev/null 2>&1 &
pids="$pids $!"
wait_listening "$port"
status=0
out=$(LAB_HTTPS_PORT=$port dash scripts/check-host.sh 2>&1) || status=$?
echo "$out" | sed 's/^/    /'
expect "a TLS server with another CA's certificate fails the check" test "$status" = 1
expect "the message says the certificate is not from the lab CA" contains "$out" "not from the lab CA"
expect "the message names that server, openssl" contains "$out" "openssl"
finish
