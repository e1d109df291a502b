#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# print-hosts.sh (make hosts) under dash: the exact /etc/hosts lines for the names in .env.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need dash
cd "$sandbox"
# .env.example holds the defaults; this one has just the three hostnames of every lab.
printf 'LAB_APP_HOST=app.lab.localhost\nLAB_API_HOST=api.lab.localhost\nLAB_ATTACKER_HOST=attacker.localhost\n' > .env.example

expect "without .env: .env.example's three names" test "$(dash scripts/print-hosts.sh 2>/dev/null)" = "127.0.0.1 app.lab.localhost # cors-django-lab
127.0.0.1 api.lab.localhost # cors-django-lab
127.0.0.1 attacker.localhost # cors-django-lab
::1 app.lab.localhost # cors-django-lab
::1 api.lab.localhost # cors-django-lab
::1 attacker.localhost # cors-django-lab"

# An .env saved with Windows line ends, with a quoted value and the fourth hostname.
printf 'LAB_APP_HOST=app.lab.localhost\r\nLAB_API_HOST="api.lab.localhost"\r\nLAB_ATTACKER_HOST=attacker.localhost\r\nLAB_SIBLING_HOST=evil.lab.localhost\r\n' > .env
expect "with LAB_SIBLING_HOST, a Windows .env and quotes: four clean names" test "$(dash scripts/print-hosts.sh 2>/dev/null)" = "127.0.0.1 app.lab.localhost # cors-django-lab
127.0.0.1 api.lab.localhost # cors-django-lab
127.0.0.1 attacker.localhost # cors-django-lab
127.0.0.1 evil.lab.localhost # cors-django-lab
::1 app.lab.localhost # cors-django-lab
::1 api.lab.localhost # cors-django-lab
::1 attacker.localhost # cors-django-lab
::1 evil.lab.localhost # cors-django-lab"

out=$(LAB_APP_HOST=page.lab.localhost dash scripts/print-hosts.sh 2>/dev/null | head -n 1)
expect "the environment wins over .env, as in compose" test "$out" = "127.0.0.1 page.lab.localhost # cors-django-lab"

printf 'LAB_APP_HOST=page.lab.localhost\n' > .env
out=$(dash scripts/print-hosts.sh 2>/dev/null | sed -n 2p)
expect "a name .env lacks comes from .env.example, as in compose" test "$out" = "127.0.0.1 api.lab.localhost # cors-django-lab"

explanation=$(dash scripts/print-hosts.sh 2>&1 >/dev/null)
expect "the explanation (stderr) names Safari" contains "$explanation" "Safari"

# The README's `make -s hosts | sudo tee -a /etc/hosts`, with the real Makefile: only the lines
# reach the pipe.
cp "$repo/Makefile" .
rm .env
lines=$(make -s --no-print-directory hosts 2>/dev/null)
only_lines() { ! printf '%s\n' "$lines" | grep -Eqv '^(127\.0\.0\.1|::1) [a-z0-9.-]+ # cors-django-lab$'; }
expect "make -s hosts writes six lines to stdout" test "$(printf '%s\n' "$lines" | wc -l | tr -d ' ')" = 6
expect "and nothing else: /etc/hosts gets only host lines" only_lines
finish
