#!/bin/sh
# Runs a command against a throwaway lab of its own, then removes that lab with its database
# volume, whatever the command did. The throwaway lab is compose project <yours>-NAME, on your
# ports plus OFFSET (127.0.0.1 only), with your images, .env and certs/; the command starts it
# (make up, or compose with --wait). Offsets of 11000 and more keep every port above 10080, the
# highest of the ports browsers refuse (scripts/check-ports.sh). `make test` runs the parts that
# must not share your lab with the browser suite this way, beside it: the named backend settings
# restart the backend, the fuzzing trips the login throttle, the faults crash the backend.
# Usage: throwaway-lab.sh NAME OFFSET COMMAND [ARGS...]
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

name=$1 offset=$2
shift 2
COMPOSE_PROJECT_NAME="$(lab_env COMPOSE_PROJECT_NAME cors-django-lab)-$name"
LAB_HTTPS_PORT=$(( $(lab_env LAB_HTTPS_PORT 443) + offset ))
LAB_HTTP_PORT=$(( $(lab_env LAB_HTTP_PORT 80) + offset ))
export COMPOSE_PROJECT_NAME LAB_HTTPS_PORT LAB_HTTP_PORT
# An offset may land on a port browsers refuse (80 + 10000 is one): say so now, not in a test.
scripts/check-ports.sh
trap 'docker compose --profile test down --volumes --remove-orphans >/dev/null 2>&1 || true' EXIT
# dash runs the EXIT trap on `exit` only: turn Ctrl-C into one, so the lab goes too.
trap 'exit 130' INT TERM
status=0
"$@" || status=$?
exit "$status"
