#!/bin/sh
# Runs the browser suite in every named backend setting (e2e/backend-settings/<name>.env). Each
# setting is a few .env values a learner could set by hand. Every setting starts from
# .env.example's backend behaviour section, not from your .env, so your own settings never change
# what a test proves.
#
# Three parts run at once, so that the machine's cores are busy and nothing waits on another:
# - on your lab, whose backend keeps the default setting for the whole run (it is recreated with
#   .env.example's values if your .env differs, and goes back to your .env's values at the end):
#   - the slow test, which waits out Chromium's 2-minute "Lax-allowing-unsafe" window;
#   - the default setting's tests, on 2 xdist workers;
#   - the cross-engine tests (marker `engines`: Chromium, Firefox and WebKit, e2e/test_engines.py);
# - on a throwaway lab of its own (scripts/throwaway-lab.sh, your ports + 11000), the other named
#   settings one after another: its proxy and backend are recreated with each one's values;
# - on another (your ports + 13000), the exact-hostname run (scripts/exact-run.sh): the
#   cross-engine tests on the article's layout under reserved names (example.com), then the tests
#   of the sites on a pair under a private suffix (github.io), each set under a CA of its own
#   that only the e2e container trusts.
# Your lab is never restarted during the run, so no test meets a backend that is restarting.
#
# LAB_E2E_ENGINES_ONLY=1 (make test-engines) runs only the cross-engine tests.
# LAB_E2E_NAMED_ONLY=1 runs only the named settings other than default, one after another, on the
# lab that compose points at (this script runs itself that way on the throwaway lab).
# LAB_E2E_EXACT_ONLY=1 runs the tests it is given, with the default setting, on the lab that
# compose points at, on the names and CA that scripts/exact-run.sh set up there (which runs it).
set -eu
cd "$(dirname "$0")/.."

settings_dir=e2e/backend-settings
pinned=$(sed -n '/^# --- Backend behaviour/,/^# --- End of the backend behaviour/p' .env.example | grep -E '^[A-Z_]+=' || true)
[ -n "$pinned" ] || { echo "run-e2e: .env.example has no backend behaviour section" >&2; exit 1; }

values_of() {  # the pinned values, then the named setting's own lines (later ones win)
  printf '%s\n' "$pinned"
  grep -E '^[A-Z_]+=' "$settings_dir/$1.env" || true
}

start_lab() {  # $1: a setting name, or nothing for your .env. Recreates what the values change.
  # shellcheck disable=SC2046  # one NAME=value word per line is the point; values hold no spaces
  set -- $(if [ -n "${1:-}" ]; then values_of "$1"; fi)
  # Recreates only the containers whose values changed (the backend's, mostly).
  env "$@" docker compose up -d --no-build proxy backend >/dev/null 2>&1 || true
  scripts/wait-healthy.sh
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
failed=0
# The logs of every part, for the closing count (the named settings' part writes here too).
logs=${LAB_E2E_LOGS:-$(mktemp -d)}

if [ "${LAB_E2E_NAMED_ONLY:-}" = 1 ]; then
  for file in "$settings_dir"/*.env; do
    name=$(basename "$file" .env)
    [ "$name" = default ] && continue
    echo "=== e2e with backend setting: $name: $(grep -E '^[A-Z_]+=' "$file" | tr '\n' ' ')"
    start_lab "$name"
    run_tests "$name" "$logs/$name.log" -m "not slow and not engines" "$@" || failed=1
    tail -n 1 "$logs/$name.log"
  done
  exit "$failed"
fi

if [ "${LAB_E2E_EXACT_ONLY:-}" = 1 ]; then
  mkdir -p e2e/test-results e2e/engine-results
  start_lab default
  run_tests default "$logs/exact-$LAB_E2E_NAME_SET.log" "$@" || failed=1
  tail -n 1 "$logs/exact-$LAB_E2E_NAME_SET.log"
  exit "$failed"
fi

# The playground's differential test draws its cases from this seed: chosen here, so that every
# run prints it, and LAB_DIFF_SEED=<n> make test-e2e replays one (compose.yaml passes it on).
LAB_DIFF_SEED=${LAB_DIFF_SEED:-$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')}
export LAB_DIFF_SEED
echo "=== e2e: the playground's differential test draws its cases from LAB_DIFF_SEED=$LAB_DIFF_SEED"
mkdir -p e2e/test-results e2e/engine-results
rm -rf e2e/test-results/leaks
trap 'start_lab ""; rm -rf "$logs"' EXIT

if [ "${LAB_E2E_ENGINES_ONLY:-}" = 1 ]; then
  start_lab default
  echo "=== e2e in Chromium, Firefox and WebKit, with backend setting: default"
  run_tests default "$logs/engines.log" -m engines "$@" || failed=1
  tail -n 1 "$logs/engines.log"
  exit "$failed"
fi

echo "=== e2e, all at once: on your lab with backend setting default, the slow test (2-minute window), the tests on 2 workers, and Firefox, WebKit and Chromium; on a throwaway lab, the other settings; on another, the three engines on exact hostnames"
start_lab default
run_tests default "$logs/slow.log" -m slow -s "$@" &
slow=$!
run_tests default "$logs/engines.log" -m engines "$@" &
engines=$!
LAB_E2E_NAMED_ONLY=1 LAB_E2E_LOGS="$logs" scripts/throwaway-lab.sh settings 11000 scripts/run-e2e.sh "$@" >"$logs/named.out" 2>&1 &
named=$!
# Only for the whole suite: a subset (arguments given) is run on your lab's names.
exact=""
if [ -z "$user_args" ]; then
  LAB_E2E_LOGS="$logs" scripts/throwaway-lab.sh exact 13000 scripts/exact-run.sh article private-suffix >"$logs/exact.out" 2>&1 &
  exact=$!
fi
run_tests default "$logs/default.log" -m "not slow and not engines" -n 2 --dist load "$@" || failed=1
echo "=== e2e with backend setting: default, on 2 workers"
tail -n 1 "$logs/default.log"
wait "$engines" || failed=1
echo "=== e2e in three engines (e2e/engine-results/engines.json; make engines-doc)"
tail -n 1 "$logs/engines.log"
wait "$named" || failed=1
cat "$logs/named.out"
if [ -n "$exact" ]; then
  wait "$exact" || failed=1
  cat "$logs/exact.out"
fi
wait "$slow" || failed=1
echo "=== e2e: the slow test, which ran beside the others"
tail -n 1 "$logs/slow.log"
# The leak tables of docs/sibling-and-leaks.md, from every setting's runs (e2e/test_leaks.py saved one table each).
python3 scripts/leak-tables.py

# pytest's summary line ("56 passed, 10 deselected in 57.74s", framed by === unless -q).
count() { cat "$logs"/*.log | grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' | grep -oE "[0-9]+ $1" | awk '{n += $1} END {print n + 0}'; }
echo "All backend settings together:"
echo "e2e: $(count passed) passed, $(( $(count failed) + $(count error) )) failed"
exit "$failed"
