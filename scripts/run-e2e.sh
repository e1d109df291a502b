#!/bin/sh
# Runs the browser suite once per named backend setting (e2e/backend-settings/NAME.env). Each
# setting is a few .env values a learner could set by hand: the backend is recreated with them
# (no rebuild), the tests marked for that setting run, and the backend goes back to .env's values
# at the end. Every setting starts from .env.example's backend behaviour section, not from your
# .env, so your own settings never change what a test proves.
#
# The cross-engine tests (marker `engines`: Chromium, Firefox and WebKit, e2e/test_engines.py)
# run in an invocation of their own, beside the Chromium default run, with the default setting.
# LAB_E2E_ENGINES_ONLY=1 (make test-engines) runs only them.
#
# One test waits out Chromium's 2-minute "Lax-allowing-unsafe" window. It runs in a container of
# its own, started first, so that its wait overlaps everything else; it touches only endpoints
# that no backend setting changes, and waits for the backend to be healthy before each request.
set -eu
cd "$(dirname "$0")/.."

settings_dir=e2e/backend-settings
pinned=$(sed -n '/^# --- Backend behaviour/,/^# --- End of the backend behaviour/p' .env.example | grep -E '^[A-Z_]+=' || true)
[ -n "$pinned" ] || { echo "run-e2e: .env.example has no backend behaviour section" >&2; exit 1; }

values_of() {  # the pinned values, then the named setting's own lines (later ones win)
  printf '%s\n' "$pinned"
  grep -E '^[A-Z_]+=' "$settings_dir/$1.env" || true
}

start_backend() {  # $1: a setting name, or nothing for your .env
  if [ -n "${1:-}" ]; then
    # shellcheck disable=SC2046  # one NAME=value word per line is the point; values hold no spaces
    env $(values_of "$1") docker compose up -d --no-build --wait backend >/dev/null 2>&1 || true
  else
    docker compose up -d --no-build --wait backend >/dev/null 2>&1 || true
  fi
  scripts/assert-healthy.sh
}

run_tests() {  # $1: setting name, $2: log file, then pytest's arguments. Fails as pytest does.
  name=$1 log=$2
  shift 2
  status=0
  # --no-deps: otherwise compose "updates" the backend back to .env's values before the run.
  scripts/compose-run.sh --no-deps -e LAB_E2E_BACKEND_SETTING="$name" e2e pytest "$@" >"$log" 2>&1 || status=$?
  # pytest's 5 means "no test selected": fine for a subset (arguments given), never for the full suite.
  if [ "$status" -eq 5 ] && [ -n "$user_args" ]; then status=0; fi
  [ "$status" -eq 0 ] || { echo "--- $name failed; its whole log:"; cat "$log"; }
  return "$status"
}

user_args="$*"
# The playground's differential test draws its cases from this seed: chosen here, so that every
# run prints it, and LAB_DIFF_SEED=<n> make test-e2e replays one (compose.yaml passes it on).
LAB_DIFF_SEED=${LAB_DIFF_SEED:-$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')}
export LAB_DIFF_SEED
echo "=== e2e: the playground's differential test draws its cases from LAB_DIFF_SEED=$LAB_DIFF_SEED"
failed=0
logs=$(mktemp -d)
mkdir -p e2e/test-results e2e/engine-results
trap 'start_backend ""; rm -rf "$logs"' EXIT

if [ "${LAB_E2E_ENGINES_ONLY:-}" = 1 ]; then
  start_backend default
  echo "=== e2e in Chromium, Firefox and WebKit, with backend setting: default"
  run_tests default "$logs/engines.log" -m engines "$@" || failed=1
  tail -n 1 "$logs/engines.log"
  exit "$failed"
fi

start_backend default
echo "=== e2e: the slow test (2-minute window) starts in the background, with backend setting: default"
run_tests default "$logs/slow.log" -m slow -s "$@" &
slow=$!
# Its first request must reach the default backend before any restart: it prints this marker.
waited=0
until grep -q "LAB-E2E window started" "$logs/slow.log" 2>/dev/null || ! kill -0 "$slow" 2>/dev/null; do
  sleep 1
  waited=$((waited + 1))
  [ "$waited" -lt 90 ] || { echo "run-e2e: the slow test did not start within 90 s" >&2; break; }
done

for file in "$settings_dir"/*.env; do
  name=$(basename "$file" .env)
  [ "$name" = default ] && continue
  echo "=== e2e with backend setting: $name: $(grep -E '^[A-Z_]+=' "$file" | tr '\n' ' ')"
  start_backend "$name"
  run_tests "$name" "$logs/$name.log" -m "not slow and not engines" "$@" || failed=1
  tail -n 1 "$logs/$name.log"
done

echo "=== e2e with backend setting: default (the .env.example values), on 2 workers; beside it, Firefox, WebKit and Chromium"
start_backend default
run_tests default "$logs/engines.log" -m engines "$@" &
engines=$!
# loadgroup: tests marked xdist_group("display-name") share one worker (they change stored data).
run_tests default "$logs/default.log" -m "not slow and not engines" -n 2 --dist loadgroup "$@" || failed=1
tail -n 1 "$logs/default.log"
wait "$engines" || failed=1
echo "=== e2e in three engines (e2e/engine-results/engines.json; make engines-doc)"
tail -n 1 "$logs/engines.log"
wait "$slow" || failed=1
echo "=== e2e: the slow test, which ran beside the others"
tail -n 1 "$logs/slow.log"

# pytest's summary line ("56 passed, 10 deselected in 57.74s", framed by === unless -q).
count() { cat "$logs"/*.log | grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' | grep -oE "[0-9]+ $1" | awk '{n += $1} END {print n + 0}'; }
echo "All backend settings together:"
echo "e2e: $(count passed) passed, $(( $(count failed) + $(count error) )) failed"
exit "$failed"
