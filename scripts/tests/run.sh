#!/bin/sh
# Runs the scripts' lint and every scripts/tests/test_*.sh, and ends with one line:
#   scripts: N passed, M failed
# Each "ok -" / "not ok -" line is one check. A test that fails without saying which check
# counts as one failure. A test that must not run here says "skip - why"; the line then ends
# with ", K skipped" too. Exits non-zero when anything failed.
set -eu
cd "$(dirname "$0")/../.."

log=$(mktemp)
trap 'rm -f "$log" "$log.all"' EXIT
: >"$log.all"
for test in scripts/lint-scripts.sh scripts/tests/test_*.sh; do
  echo "=== $test"
  if sh "$test" >"$log" 2>&1; then status=0; else status=$?; fi
  cat "$log"
  cat "$log" >>"$log.all"
  if [ "$status" != 0 ] && ! grep -q '^not ok ' "$log"; then
    echo "not ok - $test exited with status $status" | tee -a "$log.all"
  fi
done
passed=$(grep -c '^ok ' "$log.all" || true)
failed=$(grep -c '^not ok ' "$log.all" || true)
skipped=$(grep -c '^skip - ' "$log.all" || true)
echo "scripts: $passed passed, $failed failed$(if [ "$skipped" != 0 ]; then echo ", $skipped skipped (see their \"skip -\" lines)"; fi)"
[ "$failed" = 0 ]
