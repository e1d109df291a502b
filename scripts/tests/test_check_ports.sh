#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# check-ports.sh (run by make env, so by make up, make dev and make test) under dash: it refuses
# the ports browsers will not open, the Fetch standard's "bad ports"
# (https://fetch.spec.whatwg.org/#port-blocking), naming the variable, and lets others through.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need dash
cd "$sandbox"

# check HTTPS_PORT HTTP_PORT: check-ports.sh's exit status in $status, its words in $out.
check() {
  status=0
  out=$(LAB_HTTPS_PORT=$1 LAB_HTTP_PORT=$2 dash scripts/check-ports.sh 2>&1) || status=$?
}
refused() { check "$1" "$2"; [ "$status" = 1 ]; }
accepted() { check "$1" "$2"; [ "$status" = 0 ] && [ -z "$out" ]; }

status=0
out=$(dash scripts/check-ports.sh 2>&1) || status=$?
expect ".env.example's ports, 443 and 80, pass silently" test "$status:$out" = "0:"
expect "8443 and 8080, the README's other pair, pass" accepted 8443 8080

expect "LAB_HTTPS_PORT=10080 (amanda, the table's last row) is refused" refused 10080 8080
expect "the message names the variable and the port" contains "$out" "LAB_HTTPS_PORT=10080"
expect "the message gives the browser's own words" contains "$out" "ERR_UNSAFE_PORT"
expect "the message gives the fix" contains "$out" "LAB_HTTPS_PORT=8443"

printf 'LAB_HTTP_PORT=6000\n' > .env
status=0
out=$(dash scripts/check-ports.sh 2>&1) || status=$?
expect "LAB_HTTP_PORT=6000 (x11) in .env is refused" test "$status" = 1
expect "and named" contains "$out" "LAB_HTTP_PORT=6000"
rm .env

# Rows across the standard's table, and their neighbours, which are not on it.
for port in 1 22 587 2049 5060 6665 6669 6697; do
  expect "bad port $port is refused" refused 8443 "$port"
done
for port in 2 3000 5062 6664 6670 8000 10081; do
  expect "port $port, not on the list, passes" accepted 8443 "$port"
done

expect "a name is not a port" refused https 8080
expect "neither is 0" refused 0 8080
expect "nor 70000" refused 70000 8080
expect "nor 08443, which compose and the origins would read differently" refused 08443 8080
expect "the same port twice is refused" refused 8443 8443
expect "and explained" contains "$out" "nginx needs two ports"

wiring=$(make -C "$repo" -n env 2>/dev/null) || wiring=""
expect "make env (so make up, make dev and make test) runs check-ports.sh" contains "$wiring" "scripts/check-ports.sh"
finish
