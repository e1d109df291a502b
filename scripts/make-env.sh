#!/bin/sh
# Writes .env from .env.example with fresh random secrets. Never touches an existing .env.
set -eu
cd "$(dirname "$0")/.."

if [ -f .env ]; then
  exit 0
fi

# od, not xxd or openssl: od is in every POSIX userland, macOS's included.
random_hex() { od -A n -N "$1" -t x1 /dev/urandom | tr -d ' \n'; }

umask 077
# Written beside and then renamed, so an interrupted run never leaves half a .env behind.
sed \
  -e "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$(random_hex 40)/" \
  -e "s/^LAB_JWT_SIGNING_KEY=.*/LAB_JWT_SIGNING_KEY=$(random_hex 32)/" \
  -e "s/^LAB_DEMO_PASSWORD=.*/LAB_DEMO_PASSWORD=$(random_hex 6)/" \
  .env.example > .env.tmp
mv .env.tmp .env
echo "Wrote .env with fresh secrets (git-ignored)."
