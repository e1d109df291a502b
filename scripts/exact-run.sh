#!/bin/sh
# An exact-hostname run: the cross-engine tests (Chromium, Firefox, WebKit) on names under real
# public suffixes instead of the lab's .localhost ones, because some engines draw a site's bounds
# by the Public Suffix List (docs/exact-hostnames.md). For each name set given, one after another,
# on the lab that compose points at (a throwaway lab: make test and make test-exact start one,
# scripts/throwaway-lab.sh):
#   1. a temporary directory of its own, where the certs service makes a CA for exactly the set's
#      names (scripts/make-certs.sh with LAB_PER_RUN_CA=true), whose key is deleted as soon as it
#      has signed the leaf;
#   2. the lab started on those names, with .env.example's backend behaviour (scripts/run-e2e.sh);
#   3. the tests, in the e2e container, the one place that trusts that CA and resolves those names
#      (e2e/docker-entrypoint.sh writes its /etc/hosts; e2e/lab.py gives Chromium resolver rules);
#   4. this machine checked while the CA exists: its /etc/hosts and its resolver know nothing the
#      run added, and none of its trust stores holds that CA;
#   5. the lab taken down with its volumes, and the directory deleted, the CA with it.
# Usage: exact-run.sh SET... where SET names a file of e2e/name-sets/ (article, private-suffix), or
# is "yours": the names of LAB_EXACT_NAMES, "front=HOST api=HOST [attacker=HOST] [sibling=HOST]"
# (make test-exact NAMES=...). Each set's report: e2e/engine-results/engines-SET.json.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-ca.sh
. scripts/lab-ca.sh

sets_dir=e2e/name-sets
logs=${LAB_E2E_LOGS:-$(mktemp -d)}
failed=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=1; }
# check NAME COMMAND...: ok when COMMAND succeeds.
check() {
  name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# The set's lines: LAB_*_HOST=name, and LAB_E2E_MARKERS= (the tests to run) if it says.
set_lines() {
  if [ "$1" = yours ]; then
    your_lines
  elif [ -f "$sets_dir/$1.env" ]; then
    grep -E '^LAB_[A-Z0-9_]+=' "$sets_dir/$1.env"
  else
    echo "exact-run: no name set $1: the sets are the files of $sets_dir/ (article, private-suffix), and yours." >&2
    return 1
  fi
}

# LAB_EXACT_NAMES as a set: your front and API, the attacker and the sibling you name or these
# defaults (an attacker on a reserved name, a sibling under your API's own name, so of its site
# whatever its suffix), and the roles the tests do not use on reserved names.
your_lines() {
  front="" api="" attacker=attacker.example.org sibling=""
  for pair in ${LAB_EXACT_NAMES:-}; do
    host=$(printf '%s' "${pair#*=}" | tr '[:upper:]' '[:lower:]')
    case ${pair%%=*} in
      front) front=$host ;;
      api) api=$host ;;
      attacker) attacker=$host ;;
      sibling) sibling=$host ;;
      *) echo "exact-run: NAMES holds $pair; the roles are front=, api=, attacker= and sibling=." >&2
         return 1 ;;
    esac
  done
  if [ -z "$front" ] || [ -z "$api" ]; then
    echo "exact-run: NAMES needs front= and api= at least: make test-exact NAMES=\"front=kikuichige.com api=django6.kikuichige.com\"" >&2
    return 1
  fi
  printf '%s\n' "LAB_APP_HOST=$front" "LAB_API_HOST=$api" "LAB_ATTACKER_HOST=$attacker" \
    "LAB_SIBLING_HOST=${sibling:-evil.$api}" "LAB_CROSS_SITE_APP_HOST=front.example.net" \
    "LAB_LOOKALIKE_DOT_HOST=dot.example.org" "LAB_LOOKALIKE_PREFIX_HOST=$front.example.org" \
    "LAB_LOOKALIKE_SUFFIX_HOST=suffix.example.org"
}

# What this machine's resolver says of each name: the run must change none of it.
resolved() {
  for name in $names; do printf '%s: %s\n' "$name" "$(getent hosts "$name" | tr -s ' \n' ' ')"; done
}

run_set() {
  set_name=$1
  lines=$(set_lines "$set_name") || return 1
  markers=$(printf '%s\n' "$lines" | sed -n 's/^LAB_E2E_MARKERS=//p')
  hosts=$(printf '%s\n' "$lines" | grep -E '^LAB_[A-Z_]+_HOST=')
  names=$(printf '%s\n' "$hosts" | cut -d= -f2)
  twice=$(printf '%s\n' "$names" | sort | uniq -d)
  if [ -n "$twice" ]; then
    echo "exact-run: $set_name names $twice for two roles; each role needs a name of its own." >&2
    return 1
  fi
  echo "=== exact hostnames, set $set_name: $(printf '%s\n' "$hosts" | sed 's/^LAB_//; s/_HOST=/=/' | tr '[:upper:]' '[:lower:]' | tr '\n' ' ')"

  hosts_before=$(cksum </etc/hosts)
  resolved_before=$(resolved)
  run_dir=$(mktemp -d "${TMPDIR:-/tmp}/lab-exact-run.XXXXXX")
  # shellcheck disable=SC2046  # one NAME=value word per line; names hold no spaces
  export $(printf '%s\n' "$hosts") LAB_PER_RUN_CA=true LAB_CERTS_DIR="$run_dir" LAB_E2E_NAME_SET="$set_name"
  status=0
  scripts/compose-run.sh --no-deps certs || status=$?
  if [ "$status" = 0 ]; then
    check "the per-run CA's key is gone once its one leaf is signed" test ! -e "$run_dir/ca-key.pem"
    LAB_E2E_EXACT_ONLY=1 LAB_E2E_LOGS="$logs" scripts/run-e2e.sh -m "${markers:-engines or exact}" || status=$?

    # While the CA exists and the lab runs on its names: nothing of it on this machine.
    check "this machine's /etc/hosts is as it was before the run" test "$(cksum </etc/hosts)" = "$hosts_before"
    check "this machine resolves the run's names as it did before the run (getent hosts)" test "$(resolved)" = "$resolved_before"
    if stores=$(trust_stores_holding "$run_dir/ca.pem"); then
      not_ok "the per-run CA is in this machine's trust stores: $stores"
    else
      ok "the per-run CA is in none of this machine's trust stores"
    fi
  fi
  docker compose --profile test down --volumes --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$run_dir"
  check "the run's directory is deleted, the CA with it" test ! -e "$run_dir"
  [ "$status" = 0 ] || failed=1
}

[ "$#" -gt 0 ] || set -- article
for set_name in "$@"; do
  run_set "$set_name" || failed=1
done
exit "$failed"
