#!/bin/sh
# From this machine, not from a container, opens each lab hostname the way your browser will:
# https on the published port, verified against the lab CA. `make up` runs it last, so a lab
# that is healthy inside Docker but unreachable from your browser is caught here, with the
# reason and the fix, rather than as a browser error page.
#
# Reads LAB_HTTPS_PORT and the LAB_*_HOST names from the environment, else from .env.
# LAB_CA_PEM: the CA to verify against (default certs/ca.pem).
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

port=$(lab_env LAB_HTTPS_PORT 443)
ca=${LAB_CA_PEM:-certs/ca.pem}
suffix=""
[ "$port" = 443 ] || suffix=":$port"

if ! command -v curl >/dev/null 2>&1; then
  echo "check-host: skipped: curl is not installed on this machine, so the lab was not tried from outside Docker. Install curl to get this check."
  exit 0
fi
if [ ! -f "$ca" ]; then
  echo "check-host: $ca is missing: run 'make up', which creates the lab CA." >&2
  exit 1
fi

err=$(mktemp)
trap 'rm -f "$err"' EXIT

# Who holds 127.0.0.1:$port: the container that publishes it, else the program that listens.
port_owner() {
  owner=$(docker ps --format '{{.Names}} {{.Ports}}' 2>/dev/null | grep -F ":$port->" | cut -d' ' -f1 | head -n 1) || owner=""
  if [ -n "$owner" ]; then
    echo "the container $owner"
    return
  fi
  if command -v ss >/dev/null 2>&1; then
    # users:(("python3",pid=1234,fd=3)) -> python3 (pid 1234); only root sees others' programs.
    owner=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -n 1 \
      | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p')
  elif command -v lsof >/dev/null 2>&1; then
    # lsof -F prints fields one a line: p<pid>, then c<command>.
    owner=$(lsof -nP -iTCP:"$port" -sTCP:LISTEN -Fpc 2>/dev/null \
      | sed -n 's/^p//p; s/^c//p' | head -n 2 | paste -s -d ' ' - | sed 's/^\([0-9]*\) \(.*\)/\2 (pid \1)/')
  fi
  if [ -n "$owner" ]; then
    echo "$owner"
  else
    echo "a program this user cannot see (sudo lsof -nP -iTCP:$port -sTCP:LISTEN names it)"
  fi
}

move_the_lab="set LAB_HTTPS_PORT=8443 and LAB_HTTP_PORT=8080 in .env, then make up"

# Explains why `curl https://HOST` failed with exit status $2; curl's own words are in $err.
explain() {
  host=$1 status=$2
  echo "check-host: https://$host$suffix/ failed from this machine: $(head -n 1 "$err")"
  case "$status" in
    7)
      publisher=$(docker ps --format '{{.Names}} {{.Ports}}' 2>/dev/null | grep -F ":$port->" | cut -d' ' -f1 | head -n 1) || publisher=""
      proxy=$(docker compose ps --format '{{.State}} {{.Ports}}' proxy 2>/dev/null) || proxy=""
      if [ -n "$publisher" ]; then
        echo "  Docker says the container $publisher publishes 127.0.0.1:$port, but nothing answers there: Docker could not bind the port on this machine."
        if [ "$port" -lt 1024 ]; then
          echo "  Ports below 1024 need Docker Desktop's privileged-port helper (macOS: Settings > Advanced >"
          echo "  'Allow privileged port mapping', then restart Docker Desktop); rootless Docker cannot bind them at all."
          echo "  Fix: $move_the_lab."
        else
          echo "  Fix: restart Docker (Desktop), then make up."
        fi
      else
        case "$proxy" in
          running*)
            echo "  The lab's nginx runs, published on ${proxy#running }, not on $port: LAB_HTTPS_PORT changed since it started."
            echo "  Fix: make up (it recreates the proxy with the new port)." ;;
          *)
            echo "  Nothing listens on 127.0.0.1:$port and the lab's nginx is not running."
            echo "  Fix: make up (if it fails, its last lines say why)." ;;
        esac
      fi ;;
    35|52|56)
      owner=$(port_owner)
      case "$owner" in
        *cors-django-lab-proxy*)
          echo "  The lab's nginx holds 127.0.0.1:$port but refused TLS for $host: it was started with other"
          echo "  hostnames or ports than .env now says. Fix: make up (it recreates the proxy with .env's values)." ;;
        *)
          echo "  127.0.0.1:$port answers, but not with the lab's TLS: the port is taken by another program, $owner, not the lab's nginx."
          echo "  Fix: stop that program, or $move_the_lab." ;;
      esac ;;
    28)
      echo "  127.0.0.1:$port accepted the connection but did not answer within 10 s: it is held by $(port_owner)."
      echo "  Fix: if that is not the lab, stop it, or $move_the_lab." ;;
    51|58|60|77|90|91)
      issuer=$(openssl s_client -connect "127.0.0.1:$port" -servername "$host" </dev/null 2>/dev/null \
        | openssl x509 -noout -issuer 2>/dev/null) || issuer=""
      case "$issuer" in
        *"CORS Django Lab"*)
          echo "  The lab's nginx answers, but its certificate does not verify against $ca ($issuer)."
          echo "  certs/ was made again while the lab ran, and nginx still serves the old files, or the"
          echo "  certificate lacks this hostname. Fix: make up && docker compose up -d --force-recreate proxy" ;;
        *)
          echo "  127.0.0.1:$port is served by $(port_owner), whose certificate is not from the lab CA${issuer:+ ($issuer)}."
          echo "  Fix: stop that program, or $move_the_lab." ;;
      esac ;;
    *)
      echo "  Fix: see curl's message above; 'curl -v --cacert $ca https://$host$suffix/' shows more." ;;
  esac
}

# fetch HOST [CURL OPTIONS...]: curl's exit status; the HTTP status lands in $code.
fetch() {
  url="https://$1$suffix/"
  shift
  code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$ca" "$@" "$url" 2>"$err")
}

pin=""
for host in $(lab_hosts); do
  if [ -z "$pin" ]; then fetch "$host"; else fetch "$host" --resolve "$host:$port:127.0.0.1"; fi \
    && status=0 || status=$?
  if [ "$status" = 6 ] && [ -z "$pin" ]; then
    echo "check-host: curl on this machine does not resolve $host (curl before 7.85 asks the system, which does not know *.localhost here)."
    echo "  Chrome, Edge and Firefox resolve it by themselves; Safari and most other programs need /etc/hosts lines: make hosts prints them."
    echo "  The checks go on with the names pinned to 127.0.0.1."
    pin=1
    fetch "$host" --resolve "$host:$port:127.0.0.1" && status=0 || status=$?
  fi
  if [ "$status" != 0 ]; then
    # One explanation is enough: the hostnames share the port, so they share the cause.
    explain "$host" "$status"
    exit 1
  elif [ "$code" -ge 500 ]; then
    echo "check-host: https://$host$suffix/ answered $code: nginx is up but Django is not answering. Fix: make logs shows why."
    exit 1
  fi
done
echo "check-host: every lab hostname answers over https on 127.0.0.1:$port from this machine, verified with $ca."
