#!/bin/sh
# The fault tests (tests/faults/): they kill and restart containers, so they run from the host,
# with its python3 (standard library only), against the running lab. Ends with one line:
#   faults: N passed, M failed
set -eu
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
(cd tests/faults && python3 -m unittest -v test_faults) >"$log" 2>&1 || status=$?
cat "$log"
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$log")
failed=$(sed -n 's/^FAILED (\(.*\))$/\1/p' "$log" | tr ',' '\n' | sed -n 's/.*=\([0-9]*\)$/\1/p' | awk '{n += $1} END {print n + 0}')
echo "faults: $(( ${ran:-0} - failed )) passed, $failed failed"
[ "$status" -eq 0 ] && [ "${ran:-0}" -gt 0 ]
