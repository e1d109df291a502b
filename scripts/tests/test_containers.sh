#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# What each container of the lab may do (docs/containers.md), read back from the engine: a
# throwaway lab (its own compose project, free ports, throwaway secrets, your images and certs/)
# is started as `make up` starts yours, and `docker inspect` of every container must show no
# capability, no-new-privileges, a read-only root filesystem where the lab says so, memory and pid
# limits, a user other than root, and no secret in its environment (docker inspect prints every
# variable). Needs the images (`make build`) and certs/ (`make certs`).
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need docker
need curl
cd "$repo"
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh
tag=$(lab_env LAB_IMAGE_TAG latest)
for needed in "image cors-django-lab/proxy:$tag" "image cors-django-lab/backend:$tag" "file certs/ca.pem"; do
  case "$needed" in
    image*) docker image inspect "${needed#image }" >/dev/null 2>&1 && continue ;;
    file*) [ -f "${needed#file }" ] && continue ;;
  esac
  if [ "${CI:-}" = true ]; then
    not_ok "$(basename "$0"): no $needed (CI=true never skips); make certs first"
    exit 1
  fi
  echo "skipped: $(basename "$0") needs the $needed: make certs"
  exit 0
done

random_hex() { od -A n -N "$1" -t x1 /dev/urandom | tr -d ' \n'; }
DJANGO_SECRET_KEY=$(random_hex 40)
LAB_JWT_SIGNING_KEY=$(random_hex 32)
LAB_DEMO_PASSWORD=$(random_hex 6)
LAB_HTTPS_PORT=$(free_port)
LAB_HTTP_PORT=$(free_port)
LAB_UID=$(id -u)
LAB_GID=$(id -g)
# .env.example's settings, your images (LAB_IMAGE_TAG), throwaway secrets and ports: the
# environment wins over the env files in compose.
COMPOSE_PROJECT_NAME=lab-containers-$(random_hex 3)
export COMPOSE_PROJECT_NAME COMPOSE_ENV_FILES=.env.example LAB_IMAGE_TAG="$tag" \
  DJANGO_SECRET_KEY LAB_JWT_SIGNING_KEY LAB_DEMO_PASSWORD LAB_HTTPS_PORT LAB_HTTP_PORT LAB_UID LAB_GID
remove_project() {
  docker compose down --volumes --timeout 5 >/dev/null 2>&1 || true
  cleanup
}
trap remove_project EXIT

if ! out=$(docker compose up -d --no-build proxy backend 2>&1) || ! out=$(scripts/wait-healthy.sh 2>&1); then
  not_ok "the throwaway lab did not start:"
  printf '%s\n' "$out" | sed 's/^/    /'
  exit 1
fi

inspect() {  # inspect SERVICE FORMAT: the Go template FORMAT over its container's docker inspect
  docker inspect --format "$2" "$(docker compose ps --all -q "$1")"
}
for service in certs backend-secrets backend proxy; do
  expect "$service drops every capability" test "$(inspect "$service" '{{json .HostConfig.CapDrop}}')" = '["ALL"]'
  expect "$service adds none back" test "$(inspect "$service" '{{len .HostConfig.CapAdd}}')" = 0
  expect "$service may gain no privilege (no-new-privileges)" \
    contains "$(inspect "$service" '{{json .HostConfig.SecurityOpt}}')" '"no-new-privileges:true"'
  expect "$service has a memory limit" test "$(inspect "$service" '{{.HostConfig.Memory}}')" -gt 0
  expect "$service has a pid limit" test "$(inspect "$service" '{{.HostConfig.PidsLimit}}')" -gt 0
  environment=$(inspect "$service" '{{json .Config.Env}}')
  expect "docker inspect of $service does not show the value of DJANGO_SECRET_KEY" lacks "$environment" "$DJANGO_SECRET_KEY"
  expect "docker inspect of $service does not show the value of LAB_JWT_SIGNING_KEY" lacks "$environment" "$LAB_JWT_SIGNING_KEY"
  expect "docker inspect of $service does not show the value of LAB_DEMO_PASSWORD" lacks "$environment" "$LAB_DEMO_PASSWORD"
done
for service in certs backend proxy; do
  expect "$service has a read-only root filesystem" test "$(inspect "$service" '{{.HostConfig.ReadonlyRootfs}}')" = true
done
expect "the backend runs as lab, not root" test "$(inspect backend '{{.Config.User}}')" = lab
expect "the proxy runs as nginx, not root" test "$(inspect proxy '{{.Config.User}}')" = nginx
expect "the backend has no network" test "$(inspect backend '{{.HostConfig.NetworkMode}}')" = none
expect "every nginx process runs as uid 101" test \
  "$(docker compose exec -T proxy sh -c 'cat /proc/[0-9]*/status' | sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' | sort -u)" = 101
ports=$(inspect proxy '{{json .HostConfig.PortBindings}}')
expect "the proxy publishes its 8443 on 127.0.0.1:$LAB_HTTPS_PORT" \
  contains "$ports" "\"8443/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"$LAB_HTTPS_PORT\"}]"
expect "the proxy publishes its 8080 on 127.0.0.1:$LAB_HTTP_PORT" \
  contains "$ports" "\"8080/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"$LAB_HTTP_PORT\"}]"
# The e2e container (profile test), as make test-e2e runs it, but running nothing: its image is
# built only for the tests (make build E2E=1).
if docker image inspect "cors-django-lab/e2e:$tag" >/dev/null 2>&1; then
  e2e=$(docker compose --profile test run --detach --no-deps --entrypoint true e2e)
  docker wait "$e2e" >/dev/null
  e2e_inspect() { docker inspect --format "$1" "$e2e"; }
  expect "e2e drops every capability" test "$(e2e_inspect '{{json .HostConfig.CapDrop}}')" = '["ALL"]'
  expect "e2e adds back only CHOWN, DAC_OVERRIDE and NET_BIND_SERVICE" \
    test "$(e2e_inspect '{{json .HostConfig.CapAdd}}')" = '["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_NET_BIND_SERVICE"]'
  expect "e2e may gain no privilege (no-new-privileges)" \
    contains "$(e2e_inspect '{{json .HostConfig.SecurityOpt}}')" '"no-new-privileges:true"'
  expect "e2e has memory and pid limits" test "$(e2e_inspect '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}' | tr ' ' '\n' | grep -c '^[1-9]')" = 2
  expect "e2e has its own network namespace, not the proxy's" \
    test "$(e2e_inspect '{{.HostConfig.NetworkMode}}')" = "${COMPOSE_PROJECT_NAME}_default"
  expect "docker inspect of e2e does not show the value of LAB_DEMO_PASSWORD" \
    lacks "$(e2e_inspect '{{json .Config.Env}}')" "$LAB_DEMO_PASSWORD"
  docker rm -f "$e2e" >/dev/null
elif [ "${CI:-}" = true ]; then
  not_ok "no image cors-django-lab/e2e:$tag (CI=true never skips); make build E2E=1 first"
else
  echo "    (the e2e container's checks skipped: no image cors-django-lab/e2e:$tag; make build E2E=1)"
fi
expect "the backend's user cannot write its code" \
  docker compose exec -T backend sh -c '! touch /app/config/settings.py 2>/dev/null && ! touch /app/new 2>/dev/null'
# The secrets did arrive, as files: Django started with them (the demo user's password is the one
# given here), where a missing one stops it with ImproperlyConfigured.
login=$(curl -sS --cacert certs/ca.pem --resolve "api.lab.localhost:$LAB_HTTPS_PORT:127.0.0.1" \
  -H 'Content-Type: application/json' -d "{\"username\": \"alice\", \"password\": \"$LAB_DEMO_PASSWORD\"}" \
  "https://api.lab.localhost:$LAB_HTTPS_PORT/api/token/" 2>&1) || true
expect "the backend read its secrets from files: alice logs in with the demo password given" contains "$login" '"token_type": "Bearer"'
finish
