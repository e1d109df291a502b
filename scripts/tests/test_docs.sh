#!/bin/sh
# shellcheck disable=SC2317  # the checks are functions that expect() calls
# The docs' checks (scripts/check-docs.py) on this repository; then, on a copy of it, each defect
# they exist for, planted one at a time: the check must name it, and must stop naming it once the
# defect is undone. So a check that cannot fail fails here.
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need python3
need git

# The repository itself: one "ok" or "not ok" line per check, counted by run.sh.
python3 "$repo/scripts/check-docs.py" "$repo" || failures=$((failures + 1))

# A copy of the files git would see (tracked, and new ones not ignored), in a git work tree of its
# own so that the checker lists them the same way.
tree=$sandbox/tree
mkdir -p "$tree"
(cd "$repo" && git ls-files --cached --others --exclude-standard | while IFS= read -r name; do
  [ -f "$name" ] && printf '%s\n' "$name"
done | tar -cf - -T -) | tar -xf - -C "$tree"
git -C "$tree" init -q

report() { python3 "$repo/scripts/check-docs.py" "$tree" 2>&1 || true; }
names() { printf '%s\n' "$(report)" | grep '^not ok' | grep -qF "$1"; }
clean_of() { ! names "$1"; }

# planted WHAT MESSAGE: the checker names the defect (MESSAGE, a part of its "not ok" line).
planted() { expect "planted $1: the check says so" names "$2"; }
# undone WHAT MESSAGE: once the defect is undone, it says so no more.
undone() { expect "undone $1: the check passes again" clean_of "$2"; }

expect "the copy has the repository's docs" test -f "$tree/docs/ja/testing.md"

# A page without its Japanese twin.
mv "$tree/docs/ja/testing.md" "$sandbox/twin"
planted "a page without its twin" "docs/testing.md has its Japanese twin docs/ja/testing.md: it is missing"
mv "$sandbox/twin" "$tree/docs/ja/testing.md"
undone "a page without its twin" "docs/ja/testing.md: it is missing"

# A twin that lost its last section.
cp "$tree/docs/ja/hardening.md" "$sandbox/twin"
last=$(grep -n '^## ' "$sandbox/twin" | tail -n 1 | cut -d: -f1)
head -n "$((last - 1))" "$sandbox/twin" > "$tree/docs/ja/hardening.md"
planted "a twin without its last section" "docs/ja/hardening.md keeps up with docs/hardening.md: it lags behind (section headings"
cp "$sandbox/twin" "$tree/docs/ja/hardening.md"
undone "a twin without its last section" "docs/ja/hardening.md keeps up with docs/hardening.md: it lags behind"

# A README of 301 lines.
cp "$tree/README.md" "$sandbox/readme"
while [ "$(wc -l < "$tree/README.md")" -lt 301 ]; do echo "A line a newcomer reads." >> "$tree/README.md"; done
planted "a README of 301 lines" "README.md is under 300 lines (301)"
cp "$sandbox/readme" "$tree/README.md"
undone "a README of 301 lines" "README.md is under 300 lines"

# A comment that names a file the repository lacks, in Python, shell and JavaScript, and a doc
# that does.
cp "$tree/backend/lab/api.py" "$sandbox/api.py"
echo "# The reasons are explained in lab/reasons.py." >> "$tree/backend/lab/api.py"
planted "a dangling path in a Python comment" "backend/lab/api.py:$(wc -l < "$tree/backend/lab/api.py" | tr -d ' ') names lab/reasons.py"
cp "$sandbox/api.py" "$tree/backend/lab/api.py"
undone "a dangling path in a Python comment" "names lab/reasons.py"

cp "$tree/scripts/print-hosts.sh" "$sandbox/print-hosts.sh"
echo "# See docs/hosts.md." >> "$tree/scripts/print-hosts.sh"
planted "a dangling path in a shell comment" "scripts/print-hosts.sh:$(wc -l < "$tree/scripts/print-hosts.sh" | tr -d ' ') names docs/hosts.md"
cp "$sandbox/print-hosts.sh" "$tree/scripts/print-hosts.sh"
undone "a dangling path in a shell comment" "names docs/hosts.md"

cp "$tree/frontend/js/lab.js" "$sandbox/lab.js"
echo "// The French words would live in js/i18n/fr.js." >> "$tree/frontend/js/lab.js"
planted "a dangling path in a JavaScript comment" "frontend/js/lab.js:$(wc -l < "$tree/frontend/js/lab.js" | tr -d ' ') names js/i18n/fr.js"
cp "$sandbox/lab.js" "$tree/frontend/js/lab.js"
undone "a dangling path in a JavaScript comment" "names js/i18n/fr.js"

cp "$tree/docs/testing.md" "$sandbox/doc"
echo "The checks live in \`scripts/check-everything.py\`." >> "$tree/docs/testing.md"
planted "a dangling path in a doc" "names scripts/check-everything.py"
cp "$sandbox/doc" "$tree/docs/testing.md"
undone "a dangling path in a doc" "names scripts/check-everything.py"

# An issue number (written in two pieces here, or this file would hold one).
cp "$tree/backend/lab/api.py" "$sandbox/api.py"
printf '# Fixed for issu%s %s.\n' e 12 >> "$tree/backend/lab/api.py"
planted "an issue number in a comment" "no issue number anywhere (say what a thing does, not which ticket asked for it): backend/lab/api.py:"
cp "$sandbox/api.py" "$tree/backend/lab/api.py"
undone "an issue number in a comment" "backend/lab/api.py:"

# A transcript whose browser total is below the parts it shows, and one above all the parts of
# the run (docs/testing.md has each).
cp "$tree/README.md" "$sandbox/readme"
sed 's/^e2e: \([0-9]*\) passed/e2e: 1 passed/' "$sandbox/readme" > "$tree/README.md"
planted "a transcript whose total is below its parts" "README.md: the transcript's counts agree with each other: the browser suite's parts shown add up to"
sed 's/^e2e: \([0-9]*\) passed/e2e: 1\1 passed/' "$sandbox/readme" > "$tree/README.md"
planted "a transcript whose total is above the run's parts" "docs/testing.md's test times come from the README's run: e2e"
cp "$sandbox/readme" "$tree/README.md"
undone "a transcript whose total disagrees with its parts" "README.md: the transcript's counts agree with each other: the browser suite's parts"
undone "a transcript whose total disagrees with the run's parts" "docs/testing.md's test times come from the README's run: e2e"
finish
