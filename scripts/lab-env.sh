# Sourced by the other scripts, never run: reads a lab setting the way docker compose does.
# Plain POSIX sh, so it works with macOS's bash 3.2 and with dash.

# lab_file_value NAME FILE: NAME's last value in FILE, without quotes or a Windows line end (an
# .env edited in Notepad).
lab_file_value() {
  [ -f "$2" ] || return 0
  sed -n "s/^$1=//p" "$2" | tail -n 1 | tr -d '\r' \
    | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

# lab_env NAME DEFAULT prints NAME's value. As for compose (the Makefile's COMPOSE_ENV_FILES):
# the environment wins over .env, which wins over .env.example; DEFAULT if none sets it.
# Run from the repository root.
lab_env() {
  eval "lab_env_value=\${$1:-}"
  [ -n "$lab_env_value" ] || lab_env_value=$(lab_file_value "$1" .env)
  [ -n "$lab_env_value" ] || lab_env_value=$(lab_file_value "$1" .env.example)
  printf '%s\n' "${lab_env_value:-$2}"
}

# The lab's hostnames, one per line: the three of every lab, plus the sibling, the look-alike
# attackers and the cross-site app when set.
lab_hosts() {
  lab_env LAB_APP_HOST app.lab.localhost
  lab_env LAB_API_HOST api.lab.localhost
  lab_env LAB_ATTACKER_HOST attacker.localhost
  for optional in LAB_SIBLING_HOST LAB_LOOKALIKE_DOT_HOST LAB_LOOKALIKE_PREFIX_HOST LAB_LOOKALIKE_SUFFIX_HOST LAB_CROSS_SITE_APP_HOST; do
    extra=$(lab_env "$optional" "")
    [ -z "$extra" ] || printf '%s\n' "$extra"
  done
}
