#!/bin/sh
# Creates, only if missing, the lab's certificate authority and one leaf certificate for the
# lab's hostnames. Runs as the one-shot `certs` service (compose.yaml), so it needs only the
# openssl inside that image, not on your machine.
#
#   certs/ca.pem        the CA certificate: this is what you trust (make trust)
#   certs/ca-key.pem    the CA private key, mode 0600; it never leaves certs/
#   certs/lab.pem       leaf certificate (server) served by nginx
#   certs/lab-key.pem   leaf private key
set -eu

dir=${CERTS_DIR:-/certs}
# sh has no arrays: the hostnames become the positional parameters. They never contain spaces,
# and set -f keeps a stray * from being globbed.
set -f
# shellcheck disable=SC2086  # splitting is the point; an unset optional host adds nothing
set -- $LAB_APP_HOST $LAB_API_HOST $LAB_ATTACKER_HOST ${LAB_SIBLING_HOST:-} \
  ${LAB_LOOKALIKE_DOT_HOST:-} ${LAB_LOOKALIKE_PREFIX_HOST:-} ${LAB_LOOKALIKE_SUFFIX_HOST:-} \
  ${LAB_CROSS_SITE_APP_HOST:-}
umask 077

for host in "$@"; do
  case "$host" in
    *.localhost) ;;
    *) echo "make-certs: $host does not end in .localhost; the lab CA only signs *.localhost names. Fix the hostname in .env." >&2
       exit 1 ;;
  esac
done

# Why these constraints: you are asked to trust this CA. Even if its key leaked, it could vouch
# for nothing but names under .localhost: no real site, no IP address (all of IPv4 and IPv6
# excluded), no e-mail address or URI (only those under .invalid, which cannot exist, RFC 6761),
# and only for TLS servers (extendedKeyUsage), not for signing code or mail.
name_constraints="critical,permitted;DNS:localhost,permitted;email:.invalid,permitted;URI:.invalid,excluded;IP:0.0.0.0/0.0.0.0,excluded;IP:::/::"

if [ ! -f "$dir/ca.pem" ] || [ ! -f "$dir/ca-key.pem" ]; then
  echo "make-certs: creating a new lab CA in certs/"
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" -days 3650 -sha256 \
    -subj "/O=CORS Django Lab/CN=CORS Django Lab local CA $(date +%Y-%m-%d)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "extendedKeyUsage=serverAuth" \
    -addext "nameConstraints=$name_constraints"
  rm -f "$dir/lab.pem"
fi

# A CA made by an older version of this script permits IP addresses, e-mail and any key usage.
# It is the one you trusted, so it is not replaced behind your back: you are told how to renew.
ca_ext=$(openssl x509 -in "$dir/ca.pem" -noout -ext nameConstraints,extendedKeyUsage 2>/dev/null) || ca_ext=""
case "$ca_ext" in *"IP:0.0.0.0/0.0.0.0"*) has_ip_limit=1 ;; *) has_ip_limit="" ;; esac
case "$ca_ext" in *"TLS Web Server Authentication"*) has_eku=1 ;; *) has_eku="" ;; esac
if [ -z "$has_ip_limit" ] || [ -z "$has_eku" ]; then
  cat >&2 <<MSG
make-certs: warning: certs/ca.pem was made by an older version of the lab and lacks today's
  limits (no IP addresses, no e-mail or URI names, TLS servers only). It still works, and it is
  the CA you trusted, so it is kept. To renew it (this also empties the lab's database):
    make untrust && make clean CA=1 && make up && make trust
MSG
fi

san=$(printf 'DNS:%s,' "$@")
san=${san%,}

# Reused only if it names exactly these hosts, is valid for another day, and chains to this CA.
leaf_is_current() {
  [ -f "$dir/lab.pem" ] && [ -f "$dir/lab-key.pem" ] || return 1
  names=$(openssl x509 -in "$dir/lab.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1 | tr -d ' ')
  [ "$names" = "$san" ] \
    && openssl x509 -in "$dir/lab.pem" -noout -checkend 86400 >/dev/null \
    && openssl verify -CAfile "$dir/ca.pem" "$dir/lab.pem" >/dev/null 2>&1
}

if leaf_is_current; then
  echo "make-certs: certs/lab.pem already covers $*"
else
  echo "make-certs: issuing certs/lab.pem for $*"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/lab-key.pem" -out "$dir/lab.csr" -subj "/CN=$LAB_APP_HOST"
  printf '%s\n' \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=$san" > "$dir/lab.ext"
  openssl x509 -req -in "$dir/lab.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -out "$dir/lab.pem" -days 397 -sha256 -extfile "$dir/lab.ext"
  rm -f "$dir/lab.csr" "$dir/lab.ext" "$dir/ca.srl"
fi
chmod 0644 "$dir/ca.pem" "$dir/lab.pem"
chmod 0600 "$dir/ca-key.pem" "$dir/lab-key.pem"

# The proxy's copy, every time (a renewed leaf replaces the old one): nginx runs as its own
# unprivileged user, which may not read your certs/lab-key.pem (0600, yours). So the leaf and its
# key go to a volume that only this service and the proxy mount, readable by the proxy's group
# (compose.yaml gives this service that group too). The CA's key never leaves certs/.
if [ -n "${PROXY_TLS_DIR:-}" ]; then
  for file in lab.pem lab-key.pem ca.pem; do
    rm -f "$PROXY_TLS_DIR/$file"
    cp "$dir/$file" "$PROXY_TLS_DIR/$file"
    chgrp "$PROXY_GID" "$PROXY_TLS_DIR/$file"
    chmod 0440 "$PROXY_TLS_DIR/$file"
  done
fi
