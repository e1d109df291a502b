#!/bin/sh
# `docker compose run ARGS...`, exiting with the container's own status.
# Why not plain `docker compose run`: with compose v2 on a Docker 20.10 engine it exits 0
# whatever the container did, so a failing test would not fail `make test`. The engine's
# `docker wait` reports the real status.
set -eu
cd "$(dirname "$0")/.."

container=$(docker compose --profile test run --detach "$@")
trap 'docker rm --force "$container" >/dev/null 2>&1 || true' EXIT
# dash runs the EXIT trap on `exit` only: turn Ctrl-C into one, so the container goes too.
trap 'exit 130' INT TERM
docker logs --follow "$container"
exit "$(docker wait "$container")"
