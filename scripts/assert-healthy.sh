#!/bin/sh
# Fails, with the logs, unless every long-running service is running and healthy.
# `docker compose up --wait` should do this, but on a Docker 20.10 engine it can exit 0 while a
# container has exited.
set -eu
cd "$(dirname "$0")/.."

status=0
for service in backend proxy; do
  # One-off containers of `docker compose run` (named ...-run-...; the unit tests run in one) are
  # not the service.
  state=$(docker compose ps --all --format '{{.Name}} {{.State}}/{{.Health}}' "$service" 2>/dev/null \
    | grep -v -- '-run-' | cut -d ' ' -f 2) || state=""
  if [ "$state" != "running/healthy" ]; then
    echo "$service is ${state:-missing}, not running/healthy. Its last log lines:" >&2
    docker compose logs --tail 20 "$service" >&2
    status=1
  fi
done
exit $status
