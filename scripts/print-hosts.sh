#!/bin/sh
# Prints the /etc/hosts lines for the lab's hostnames (from .env), IPv4 and IPv6 loopback.
# Chrome, Edge and Firefox resolve every *.localhost name by themselves and need none of this.
# Safari does not, nor do most other programs on macOS (and glibc on many Linux hosts); add
# the lines for them:  make -s hosts | sudo tee -a /etc/hosts
# The lines go to stdout and the explanation to stderr, so the pipe above copies only the lines.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

hosts=$(lab_hosts)
echo "# /etc/hosts lines for the lab (Safari and non-browser clients need them; Chrome, Edge and Firefox do not):" >&2
for host in $hosts; do
  printf '127.0.0.1 %s # cors-django-lab\n' "$host"
done
for host in $hosts; do
  printf '::1 %s # cors-django-lab\n' "$host"
done
echo "# On macOS, then flush the resolver cache: sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder" >&2
echo "# To remove them later: every line ending in '# cors-django-lab'." >&2
