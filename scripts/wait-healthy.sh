#!/bin/sh
# Waits until each service (default: backend proxy) passes its own health check: the very command
# Docker runs (backend/Dockerfile, compose.yaml), run here by `docker exec` every quarter second.
# Fails with the service's last log lines if its container stops or restarts (a crash), or if it
# has not passed within 60 s.
# Why not `docker compose up --wait`: Docker 20.10 runs a container's first health check one
# interval after it starts, as it has no start_interval (5 s then, 30 s now), so every lab start
# sat out that interval doing nothing; and on a 20.10 engine `up --wait` can exit 0 while a
# container has exited.
# Docker's own status catches up at its next check; `docker compose ps` shows it.
set -eu
cd "$(dirname "$0")/.."

fail() {  # $1: service, $2: what happened
  echo "$1 $2. Its last log lines:" >&2
  docker compose logs --tail 20 "$1" >&2
  exit 1
}

[ "$#" -gt 0 ] || set -- backend proxy
for service in "$@"; do
  # -q lists the service's own container, never the one-off ones of `docker compose run`.
  container=$(docker compose ps -q "$service")
  [ -n "$container" ] || fail "$service" "is not running"
  check=$(docker inspect --format '{{if eq (index .Config.Healthcheck.Test 0) "CMD-SHELL"}}{{index .Config.Healthcheck.Test 1}}{{end}}' "$container")
  [ -n "$check" ] || fail "$service" "has no shell-form health check for this script to run"
  restarts=$(docker inspect --format '{{.RestartCount}}' "$container")
  tries=0
  until docker exec "$container" sh -c "$check" >/dev/null 2>&1; do
    state=$(docker inspect --format '{{.State.Status}} {{.RestartCount}}' "$container" 2>/dev/null || echo gone)
    [ "$state" = "running $restarts" ] || fail "$service" "stopped or restarted while starting (state: $state)"
    tries=$((tries + 1))
    [ "$tries" -lt 240 ] || fail "$service" "did not pass its health check within 60 s"
    sleep 0.25
  done
done
