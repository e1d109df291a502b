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
