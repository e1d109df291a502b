# Sourced by the scripts' tests, never run. Each test works in a throwaway copy of the scripts
# (a "sandbox" with the layout of the repository), so it never touches your .env or certs/.
# A test prints "ok - ..." or "not ok - ..." lines; scripts/tests/run.sh counts them.

repo=$(cd "$(dirname "$0")/../.." && pwd)
sandbox=$(mktemp -d)
# Background helpers a test starts (listeners); ended by PID when the test exits.
pids=""
stop_helpers() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  wait
  pids=""
}
cleanup() {
  stop_helpers
  rm -rf "$sandbox"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$sandbox/scripts" "$sandbox/certs"
cp "$repo"/scripts/*.sh "$sandbox/scripts/"
cp "$repo/.env.example" "$sandbox/"

failures=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }

# expect NAME CONDITION...: ok when the command CONDITION succeeds.
expect() {
  name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# contains TEXT PART: does TEXT contain PART?
contains() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }
lacks() { ! contains "$1" "$2"; }

# need TOOL: a test that needs a missing tool fails, naming the tool. A skip would leave the
# closing count all green with the test's checks never run.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  not_ok "$(basename "$0"): needs $1, which is not installed here: install it and run again"
  exit 1
}

# skip REASON: ends a test that must not run here, saying why; run.sh counts it in its last line.
skip() {
  echo "skip - $(basename "$0"): $*"
  exit 0
}

# use_the_certs_tools NAME=value...: defines make_certs (scripts/make-certs.sh, with those variables)
# and ossl (openssl). They run in the proxy image when it is built, the one the `certs` service
# runs: one container for every command, each run by docker exec (a docker run each would cost the
# test five times the CPU), mounted as the certs service mounts them (compose.yaml). Else on this
# machine, make-certs.sh under dash. Call it from the sandbox.
# shellcheck disable=SC2317  # make_certs and ossl are called by the tests that source this file
use_the_certs_tools() {
  image=cors-django-lab/proxy:$(cd "$repo" && . scripts/lab-env.sh && lab_env LAB_IMAGE_TAG latest)
  certs_settings="$*"
  if command -v docker >/dev/null 2>&1 && docker image inspect "$image" >/dev/null 2>&1; then
    echo "using the openssl of $image"
    # shellcheck disable=SC2046  # one -e NAME=value pair per setting; values hold no spaces
    box=$(docker run -d --rm --user "$(id -u):$(id -g)" --entrypoint sleep $(printf -- '-e %s ' "$@") \
      -v "$sandbox/scripts:/scripts:ro" -v "$sandbox/certs:/certs" -v "$sandbox:/w" -w /w "$image" infinity)
    trap 'docker rm -f "$box" >/dev/null 2>&1; cleanup' EXIT
    make_certs() { docker exec "$box" /scripts/make-certs.sh; }
    ossl() { docker exec "$box" openssl "$@"; }
  else
    need openssl
    need dash
    echo "using this machine's openssl ($image is not built)"
    # shellcheck disable=SC2086  # the settings, one NAME=value word each
    make_certs() { env CERTS_DIR=certs $certs_settings dash scripts/make-certs.sh; }
    ossl() { openssl "$@"; }
  fi
}

# A port nothing listens on right now, on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listening PORT: returns as soon as something accepts connections there. Up to 30 s, for a
# program starting on a machine busy with the other tests; then the test fails.
wait_listening() {
  deadline=$(( $(date +%s) + 30 ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  not_ok "$(basename "$0"): nothing listened on 127.0.0.1:$1 within 30 s"
  exit 1
}

finish() { exit "$((failures > 0))"; }
