#!/bin/sh
# Lints the lab's shell scripts: runs shellcheck in POSIX mode on every #!/bin/sh script (plain
# for a bash one), and a syntax check of the POSIX ones under dash, the strictest
# common /bin/sh (Debian's; macOS ships it too). POSIX sh is what runs the same on macOS's
# bash 3.2, on dash and on a recent bash.
# Prints "ok - ..." or "not ok - ..." per check, which scripts/tests/run.sh counts.
# Without shellcheck it installs it (root with apt-get) or skips, except under CI=true.
set -eu
cd "$(dirname "$0")/.."

# have TOOL PACKAGE: is TOOL there, after installing PACKAGE with apt-get if we may?
have() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "lint-scripts: installing $2 with apt-get" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; }; } >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1
}

for tool in shellcheck dash; do
  if ! have "$tool" "$tool"; then
    if [ "${CI:-}" = true ]; then
      echo "not ok - lint-scripts: $tool is missing and could not be installed (CI=true never skips). Install it: apt-get install $tool"
      exit 1
    fi
    echo "lint-scripts: skipped: $tool is not installed. Install it (apt-get install $tool, brew install $tool) to lint the scripts."
    exit 0
  fi
done

status=0
for script in scripts/*.sh scripts/tests/*.sh .ci/run; do
  [ -f "$script" ] || continue
  case "$(head -n 1 "$script")" in
    '#!/bin/sh'*)
      # -x follows `. scripts/lab-env.sh`, which is why this runs from the repository root.
      if out=$(shellcheck -x -s sh "$script" 2>&1) && out=$(dash -n "$script" 2>&1); then
        echo "ok - POSIX sh: $script (shellcheck -s sh, dash -n)"
      else
        echo "not ok - POSIX sh: $script"; printf '%s\n' "$out"; status=1
      fi ;;
    *bash*)
      if out=$(shellcheck -x "$script" 2>&1); then
        echo "ok - bash: $script (shellcheck)"
      else
        echo "not ok - bash: $script"; printf '%s\n' "$out"; status=1
      fi ;;
    *)
      # lab-env.sh and tests/lib.sh are sourced, never run: they have no #! line.
      if out=$(shellcheck -x -s sh "$script" 2>&1) && out=$(dash -n "$script" 2>&1); then
        echo "ok - sourced POSIX sh: $script (shellcheck -s sh, dash -n)"
      else
        echo "not ok - sourced POSIX sh: $script"; printf '%s\n' "$out"; status=1
      fi ;;
  esac
done
exit $status
