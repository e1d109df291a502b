#!/bin/sh
# Refuses LAB_HTTPS_PORT and LAB_HTTP_PORT values that no browser can use, before anything is
# built or started: not a TCP port, the same port twice, or a "bad port" of the Fetch standard.
# Browsers refuse to fetch a bad port whatever the server does (Chrome and Edge show
# ERR_UNSAFE_PORT, Firefox "This address is restricted", Safari blocks it too), so a lab there
# would be healthy inside Docker and unreachable from every page.
# `make env` runs it, so every make command that builds or starts the lab does.
# Reads the ports from the environment, else .env, else .env.example (as compose does).
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

# The bad ports: the first column of the table in https://fetch.spec.whatwg.org/#port-blocking
# (whatwg/fetch, fetch.bs at commit 586cd2a, July 2026). Copy it again if the standard grows.
bad_ports="0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109
110 111 113 115 117 119 123 135 137 139 143 161 179 389 427 465 512 513 514 515 526 530 531 532
540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 5060 5061
6000 6566 6665 6666 6667 6668 6669 6679 6697 10080"

is_bad_port() {
  for bad in $bad_ports; do
    [ "$1" = "$bad" ] && return 0
  done
  return 1
}

fix="Pick another in .env, e.g. LAB_HTTPS_PORT=8443 and LAB_HTTP_PORT=8080, then run the command again."
status=0
for name in LAB_HTTPS_PORT LAB_HTTP_PORT; do
  port=$(lab_env "$name" "")
  case "$port" in
    [1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9] | [1-9][0-9][0-9][0-9][0-9]) ;;
    *) port="" ;;
  esac
  if [ -z "$port" ] || [ "$port" -gt 65535 ]; then
    echo "check-ports: $name='$(lab_env "$name" "")' is not a TCP port (1 to 65535, no leading zero). $fix" >&2
    status=1
  elif is_bad_port "$port"; then
    echo "check-ports: $name=$port is one of the ports that browsers refuse to open (the Fetch standard's \"bad ports\": Chrome and Edge say ERR_UNSAFE_PORT, Firefox \"This address is restricted\"). $fix" >&2
    status=1
  fi
done
if [ "$status" = 0 ] && [ "$(lab_env LAB_HTTPS_PORT "")" = "$(lab_env LAB_HTTP_PORT "")" ]; then
  echo "check-ports: LAB_HTTPS_PORT and LAB_HTTP_PORT are both $(lab_env LAB_HTTPS_PORT ""): nginx needs two ports, one for https and one for the http redirect. $fix" >&2
  status=1
fi
exit "$status"
