#!/bin/sh
# Builds the lab's images with `docker build`, under the names compose.yaml uses.
# Why not `docker compose build`: with compose v2 on a Docker 20.10 engine without buildx, a
# failed build still exits 0, and `make` would carry on with a stale image.
# Usage: build-images.sh [--with-e2e]
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

with_e2e=${1:-}
extra_ca=$(lab_env LAB_EXTRA_CA_BUNDLE "")
# From here on "$@" holds the secret's arguments, or nothing: sh has no arrays.
set --
if [ -n "$extra_ca" ]; then
  if [ ! -r "$extra_ca" ]; then
    echo "LAB_EXTRA_CA_BUNDLE=$extra_ca is not a readable file. Fix the path (in .env or the environment), or empty it if you are not behind a TLS-intercepting proxy." >&2
    exit 1
  fi
  set -- --secret "id=extra_ca,src=$extra_ca"
fi

# The build secret needs BuildKit: the buildx plugin on Docker 23 and later, built into older
# clients such as Debian's docker.io 20.10 (/usr/bin/docker, which CI installs).
docker_cli=docker
if ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then
  docker_cli=/usr/bin/docker
fi

# build IMAGE CONTEXT [SECRET ARGS...]. In a terminal you see BuildKit's progress (the first
# build installs Debian packages and Python wheels: minutes, not seconds); in a log, one line
# per image with its duration.
build() {
  image=$1 context=$2
  shift 2
  started=$(date +%s)
  if [ -t 1 ]; then
    echo "building $image"
    DOCKER_BUILDKIT=1 "$docker_cli" build "$@" --tag "$image" "$context"
  else
    echo "building $image (progress is shown when run in a terminal)"
    DOCKER_BUILDKIT=1 "$docker_cli" build --quiet "$@" --tag "$image" "$context" >/dev/null
  fi
  echo "built $image in $(( $(date +%s) - started )) s"
}

tag=$(lab_env LAB_IMAGE_TAG latest)
build "cors-django-lab/proxy:$tag" nginx "$@"
build "cors-django-lab/backend:$tag" backend "$@"
if [ "$with_e2e" = --with-e2e ]; then
  build "cors-django-lab/e2e:$tag" e2e "$@"
fi
