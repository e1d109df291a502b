#!/usr/bin/env bash
# Runs the browser suite once per backend setting. Each setting is a few .env values the learner
# could set by hand; the backend is recreated with them (no rebuild), the tests marked for that
# setting run, and the backend goes back to .env's values at the end.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."

# The tests expect .env.example's values, whatever your own .env says; each setting changes a few.
defaults="LAB_SESSION_COOKIE_SAMESITE=Lax LAB_CSRF_COOKIE_SAMESITE=Lax LAB_COOKIE_SECURE=true \
LAB_CSRF_TRUSTED_ORIGINS= LAB_DISPLAY_NAME_CSRF_EXEMPT=false LAB_EXPOSE_CORS_HEADERS=true"
declare -A settings=(
  [default]=""
  [samesite-none]="LAB_SESSION_COOKIE_SAMESITE=None LAB_CSRF_COOKIE_SAMESITE=None"
  [samesite-none-csrf-exempt]="LAB_SESSION_COOKIE_SAMESITE=None LAB_CSRF_COOKIE_SAMESITE=None LAB_DISPLAY_NAME_CSRF_EXEMPT=true"
)
order=(default samesite-none samesite-none-csrf-exempt)

start_backend() {
  # shellcheck disable=SC2086  # word splitting of "NAME=value NAME=value" is the point
  env $1 docker compose up -d --no-build --wait backend >/dev/null 2>&1 || true
  scripts/assert-healthy.sh
}
trap 'start_backend ""' EXIT  # back to your .env

mkdir -p e2e/test-results
# Not in test-results/: pytest-playwright empties that folder when each run starts.
logs=$(mktemp -d)
status=0
for name in "${order[@]}"; do
  echo "=== e2e with backend setting: $name ${settings[$name]:-(the .env.example values)}"
  start_backend "$defaults ${settings[$name]}"
  # --no-deps: otherwise compose "updates" the backend back to .env's values before the run.
  scripts/compose-run.sh --no-deps -e LAB_E2E_BACKEND_CONFIG="$name" e2e \
    pytest "$@" 2>&1 | tee "$logs/$name.log" && rc=0 || rc=$?  # pipefail: pytest's status, not tee's
  # pytest's 5 means "no test selected": fine for a subset (arguments given), never for the full suite.
  if [ "$rc" != 0 ] && ! { [ "$rc" = 5 ] && [ $# -gt 0 ]; }; then status=1; fi
done

# pytest's summary line ("56 passed, 10 deselected in 57.74s", framed by === unless -q).
count() { cat "$logs"/*.log | grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' | grep -oE "[0-9]+ $1" | awk '{n += $1} END {print n + 0}'; }
echo "All backend settings together:"
echo "e2e: $(count passed) passed, $(( $(count failed) + $(count error) )) failed"
rm -rf "$logs"
exit $status
