#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# make-env.sh under dash: writes a private .env with fresh hex secrets, changes nothing else,
# and never overwrites an existing .env.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need dash
cd "$sandbox"

out=$(dash scripts/make-env.sh)
expect "make-env.sh under dash says it wrote .env" contains "$out" "Wrote .env"
expect "the .env is readable by you alone (mode 600)" contains "$(ls -l .env)" "-rw-------"
expect "no half-written .env.tmp is left" test ! -e .env.tmp

value() { sed -n "s/^$1=//p" .env; }
is_hex() { [ "${#1}" = "$2" ] && ! printf '%s' "$1" | grep -q '[^0-9a-f]'; }
expect "DJANGO_SECRET_KEY is 80 hex characters" is_hex "$(value DJANGO_SECRET_KEY)" 80
expect "LAB_JWT_SIGNING_KEY is 64 hex characters (32 bytes)" is_hex "$(value LAB_JWT_SIGNING_KEY)" 64
expect "LAB_DEMO_PASSWORD is 12 hex characters" is_hex "$(value LAB_DEMO_PASSWORD)" 12

secrets='^(DJANGO_SECRET_KEY|LAB_JWT_SIGNING_KEY|LAB_DEMO_PASSWORD)='
grep -Ev "$secrets" .env.example > expected
grep -Ev "$secrets" .env > actual
expect "every other line is .env.example's" cmp -s expected actual

before=$(cksum < .env)
out=$(dash scripts/make-env.sh)
expect "a second run keeps the existing .env" test "$before" = "$(cksum < .env)"
expect "a second run says nothing" test -z "$out"
finish
