#!/bin/sh
# The fault tests (tests/faults/): they kill and restart containers, so they run from the host,
# with its python3 (standard library only), against the running lab. Ends with one line:
#   faults: N passed, M failed
# First the tests that stop and pause the backend, alone: one of them needs a backend that
# Docker's freezer holds still. Then the crash, the concurrent writes and the busy database (one
# after the other: each needs the backend to itself), and beside them the persistence test, which
# brings up a lab of its own and need not wait for them.
set -eu
cd "$(dirname "$0")/.."

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
run() {  # $1: log name, then unittest's names. Fails as unittest does.
  log=$logs/$1.log
  shift
  (cd tests/faults && python3 -m unittest -v "$@") >"$log" 2>&1
}
status=0
run 1-down test_faults.BackendDownTests test_faults.LateWriteTests || status=1
run 3-persistence test_faults.PersistenceTests &
persistence=$!
run 2-this-lab test_faults.BackendCrashTests test_faults.ConcurrentWriteTests test_busy_database || status=1
wait "$persistence" || status=1
cat "$logs"/*.log
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$logs"/*.log | awk '{n += $1} END {print n + 0}')
failed=$(sed -n 's/^FAILED (\(.*\))$/\1/p' "$logs"/*.log | tr ',' '\n' | sed -n 's/.*=\([0-9]*\)$/\1/p' | awk '{n += $1} END {print n + 0}')
echo "faults: $(( ran - failed )) passed, $failed failed"
[ "$status" -eq 0 ] && [ "$ran" -gt 0 ]
