#!/bin/sh
# Creates, only if missing, the lab's certificate authority and one leaf certificate for the
# lab's hostnames. Runs as the one-shot `certs` service (compose.yaml), so it needs only the
# openssl inside that image, not on your machine.
#
#   certs/ca.pem        the CA certificate: this is what you trust (make trust)
#   certs/ca-key.pem    the CA private key, mode 0600; it never leaves certs/
#   certs/lab.pem       leaf certificate (server) served by nginx
#   certs/lab-key.pem   leaf private key
#
# LAB_PER_RUN_CA=true, set by scripts/exact-run.sh and nowhere else: an exact-hostname run, whose
# names are real or reserved ones (example.com, your own). CERTS_DIR is then that run's own
# temporary directory, and the CA made there is not the lab CA: constrained to exactly the run's
# names, valid for a day, trusted only inside the run's e2e container, its key deleted as soon as
# the leaf is signed (docs/exact-hostnames.md says why no such CA goes into your trust store).
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

per_run=""
[ "${LAB_PER_RUN_CA:-false}" = true ] && per_run=1

for host in "$@"; do
  if [ -n "$per_run" ]; then
    # Any DNS name: labels of letters, digits and hyphens, the last one not all digits (no IP
    # address: the CA excludes every address).
    printf '%s\n' "$host" | grep -Eqx '([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?' && continue
    echo "make-certs: $host is not a hostname (lower-case letters, digits, hyphens, at least one dot)." >&2
    exit 1
  fi
  case "$host" in
    *.localhost) ;;
    *) echo "make-certs: $host does not end in .localhost; the lab CA only signs *.localhost names. Fix the hostname in .env (other names run only in make test-exact: docs/exact-hostnames.md)." >&2
       exit 1 ;;
  esac
done

# Both CAs vouch for no IP address (all of IPv4 and IPv6 excluded), no e-mail address or URI (only
# those under .invalid, which cannot exist, RFC 6761), and only for TLS servers (extendedKeyUsage),
# not for signing code or mail.
no_address="permitted;email:.invalid,permitted;URI:.invalid,excluded;IP:0.0.0.0/0.0.0.0,excluded;IP:::/::"
if [ -n "$per_run" ]; then
  # Exactly the run's names. RFC 5280 (4.2.1.10) cannot permit a name without its subdomains: a
  # permitted dNSName is a subtree, so django6.example.com permits a.django6.example.com too. So
  # the key signs one leaf, for the run's names, and is deleted right after.
  # shellcheck disable=SC2046  # one word per name; set -f is on
  name_constraints="critical,$(printf 'permitted;DNS:%s,' $(printf '%s\n' "$@" | sort -u))$no_address"
  ca_subject="/O=CORS Django Lab/OU=exact-hostname run, deleted with it/CN=CORS Django Lab per-run CA $(date +%Y-%m-%dT%H:%M)"
  ca_days=1 leaf_days=1 renew_within=3600
else
  # Why these constraints: you are asked to trust this CA. Even if its key leaked, it could vouch
  # for nothing but names under .localhost: no real site.
  name_constraints="critical,permitted;DNS:localhost,$no_address"
  ca_subject="/O=CORS Django Lab/CN=CORS Django Lab local CA $(date +%Y-%m-%d)"
  ca_days=3650 leaf_days=397 renew_within=86400
fi

make_ca() {
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" -days "$ca_days" -sha256 -subj "$ca_subject" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "extendedKeyUsage=serverAuth" \
    -addext "nameConstraints=$name_constraints"
  rm -f "$dir/lab.pem"
}

if [ -n "$per_run" ]; then
  # A per-run CA's key never outlives this script: a key here is a lab CA's, never to be touched.
  if [ -f "$dir/ca-key.pem" ]; then
    echo "make-certs: LAB_PER_RUN_CA=true, but $dir holds a CA key: that is a lab CA, not a per-run one. LAB_PER_RUN_CA is scripts/exact-run.sh's switch; never set it in .env." >&2
    exit 1
  fi
  # Made once, in the run's empty directory; nothing ever replaces it.
  if [ ! -f "$dir/ca.pem" ]; then
    echo "make-certs: creating a per-run CA for exactly $* (trusted only in this run's e2e container)"
    make_ca
  fi
elif [ ! -f "$dir/ca.pem" ] || [ ! -f "$dir/ca-key.pem" ]; then
  echo "make-certs: creating a new lab CA in certs/"
  make_ca
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

# Reused only if it names exactly these hosts, is valid for a while yet, and chains to this CA.
leaf_is_current() {
  [ -f "$dir/lab.pem" ] && [ -f "$dir/lab-key.pem" ] || return 1
  names=$(openssl x509 -in "$dir/lab.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1 | tr -d ' ')
  [ "$names" = "$san" ] \
    && openssl x509 -in "$dir/lab.pem" -noout -checkend "$renew_within" >/dev/null \
    && openssl verify -CAfile "$dir/ca.pem" "$dir/lab.pem" >/dev/null 2>&1
}

if leaf_is_current; then
  echo "make-certs: $(basename "$dir")/lab.pem already covers $*"
elif [ ! -f "$dir/ca-key.pem" ]; then
  echo "make-certs: $dir/ca.pem is a per-run CA whose key is gone (deleted once it signed its leaf), and the leaf does not name $*: start a new run (scripts/exact-run.sh)." >&2
  exit 1
else
  echo "make-certs: issuing $(basename "$dir")/lab.pem for $*"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/lab-key.pem" -out "$dir/lab.csr" -subj "/CN=$LAB_APP_HOST"
  printf '%s\n' \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=$san" > "$dir/lab.ext"
  openssl x509 -req -in "$dir/lab.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -out "$dir/lab.pem" -days "$leaf_days" -sha256 -extfile "$dir/lab.ext"
  rm -f "$dir/lab.csr" "$dir/lab.ext" "$dir/ca.srl"
fi
# The per-run CA has signed the one leaf it was made for: its key goes, so nothing else ever is.
if [ -n "$per_run" ]; then rm -f "$dir/ca-key.pem"; else chmod 0600 "$dir/ca-key.pem"; fi
chmod 0644 "$dir/ca.pem" "$dir/lab.pem"
chmod 0600 "$dir/lab-key.pem"

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
