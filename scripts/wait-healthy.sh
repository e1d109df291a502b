#!/bin/sh
# Waits until each service (default: backend proxy) passes its own health check: the very command
# Docker runs (backend/Dockerfile, compose.yaml), run every quarter second inside the container,
# by one `docker exec` (one per try cost about 0.1 CPU-second each, on a machine that make test
# keeps busy: 10 of its CPU-seconds). Fails with the service's last log lines if its container
# stops or restarts (a crash: that ends the exec too), or if it has not passed within 60 s.
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
# One compose call for every service (each costs about 0.2 CPU-second). It lists the services' own
# containers, never the one-off ones of `docker compose run`.
containers=$(docker compose ps --format '{{.Service}} {{.ID}}')
for service in "$@"; do
  container=$(printf '%s\n' "$containers" | awk -v service="$service" '$1 == service { print $2 }')
  [ -n "$container" ] || fail "$service" "is not running"
  check=$(docker inspect --format '{{if eq (index .Config.Healthcheck.Test 0) "CMD-SHELL"}}{{index .Config.Healthcheck.Test 1}}{{end}}' "$container")
  [ -n "$check" ] || fail "$service" "has no shell-form health check for this script to run"
  restarts=$(docker inspect --format '{{.RestartCount}}' "$container")
  # 240 tries a quarter second apart: 60 s.
  status=0
  docker exec "$container" sh -c "tries=0
    until { $check; } >/dev/null 2>&1; do
      tries=\$((tries + 1)); [ \$tries -lt 240 ] || exit 3; sleep 0.25
    done" || status=$?
  case $status in
    0) ;;
    3) fail "$service" "did not pass its health check within 60 s" ;;
    *) state=$(docker inspect --format '{{.State.Status}}, restarts {{.RestartCount}}' "$container" 2>/dev/null || echo gone)
       fail "$service" "stopped or restarted while starting (now: $state; restarts before: $restarts)" ;;
  esac
done
