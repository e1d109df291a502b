#!/usr/bin/env bash
# Writes .env from .env.example with fresh random secrets. Never touches an existing .env.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."

if [ -f .env ]; then
  exit 0
fi

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

umask 077
sed \
  -e "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$(random_hex 40)/" \
  -e "s/^LAB_JWT_SIGNING_KEY=.*/LAB_JWT_SIGNING_KEY=$(random_hex 32)/" \
  -e "s/^LAB_DEMO_PASSWORD=.*/LAB_DEMO_PASSWORD=$(random_hex 6)/" \
  .env.example > .env
echo "Wrote .env with fresh secrets (git-ignored)."
