#!/bin/sh
# Runs a command as usual and keeps a copy of everything it prints in logs/<name>.log (git-ignored),
# framed by what the docs say about the run: when it started, on which commit, on how many cores
# under what load, how long it took and how it ended. scripts/docs-from-run.py writes the README's
# transcript and the docs' figures from these logs, so no count or timing is typed by hand.
# Usage: record-run.sh NAME COMMAND [ARGS...]   (exits with COMMAND's status)
set -eu
cd "$(dirname "$0")/.."

name=$1
shift
mkdir -p logs
log=logs/$name.log
status_file=$(mktemp)
trap 'rm -f "$status_file"' EXIT

load() { if [ -r /proc/loadavg ]; then cut -d ' ' -f 1 /proc/loadavg; else uptime | sed 's/.*load averages*: *//; s/[, ].*//'; fi; }
cores() { getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?'; }
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
start=$(date +%s)
{
  echo "# record-run: $*"
  echo "# started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit: $commit"
  echo "# machine: $(cores) cores, load average $(load) at the start"
} >"$log"
# A pipe loses the command's status in POSIX sh (no pipefail): it travels through a file.
{ status=0; "$@" 2>&1 || status=$?; echo "$status" >"$status_file"; } | tee -a "$log"
status=$(cat "$status_file")
echo "# ended: status $status after $(( $(date +%s) - start )) s, load average $(load)" >>"$log"
exit "$status"
