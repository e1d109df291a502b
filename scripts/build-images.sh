#!/usr/bin/env bash
# Builds the lab's three images with `docker build`, under the names compose.yaml uses.
# Why not `docker compose build`: with compose v2 on a Docker 20.10 engine without buildx, a
# failed build still exits 0, and `make` would carry on with a stale image.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."
# As in compose, a variable set in the environment wins over .env.
if [ -z "${LAB_EXTRA_CA_BUNDLE:-}" ] && [ -f .env ]; then
  LAB_EXTRA_CA_BUNDLE=$(sed -n 's/^LAB_EXTRA_CA_BUNDLE=//p' .env)
fi

secret=()
if [ -n "${LAB_EXTRA_CA_BUNDLE:-}" ]; then
  [ -r "$LAB_EXTRA_CA_BUNDLE" ] || { echo "LAB_EXTRA_CA_BUNDLE=$LAB_EXTRA_CA_BUNDLE is not a readable file." >&2; exit 1; }
  secret=(--secret "id=extra_ca,src=$LAB_EXTRA_CA_BUNDLE")
fi

# The build secret needs BuildKit: the buildx plugin on Docker 23 and later, built into older
# clients such as Debian's docker.io 20.10 (/usr/bin/docker, which CI installs).
docker_cli=docker
if ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then
  docker_cli=/usr/bin/docker
fi

build() {
  local image=$1 context=$2
  echo "building $image"
  DOCKER_BUILDKIT=1 "$docker_cli" build --quiet "${secret[@]}" --tag "$image" "$context" >/dev/null
}

build cors-django-lab/proxy nginx
build cors-django-lab/backend backend
if [ "${1:-}" = --with-e2e ]; then
  build cors-django-lab/e2e e2e
fi
