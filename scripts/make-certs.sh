#!/usr/bin/env bash
# Creates, only if missing, the lab's certificate authority and one leaf certificate for the
# three hostnames. Runs as the one-shot `certs` service (compose.yaml), so it needs only the
# openssl inside that image, not on your machine.
#
#   certs/ca.pem        the CA certificate: this is what you trust (make trust)
#   certs/ca-key.pem    the CA private key, mode 0600; it never leaves certs/
#   certs/lab.pem       leaf certificate (server) served by nginx
#   certs/lab-key.pem   leaf private key
set -o errexit -o nounset -o pipefail

dir=${CERTS_DIR:-/certs}
hosts=("$LAB_APP_HOST" "$LAB_API_HOST" "$LAB_ATTACKER_HOST")
umask 077

for host in "${hosts[@]}"; do
  case "$host" in
    *.localhost) ;;
    *) echo "make-certs: $host does not end in .localhost; the lab CA only signs *.localhost names." >&2
       exit 1 ;;
  esac
done

if [ ! -f "$dir/ca.pem" ] || [ ! -f "$dir/ca-key.pem" ]; then
  echo "make-certs: creating a new lab CA in certs/"
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" -days 3650 -sha256 \
    -subj "/O=CORS Django Lab/CN=CORS Django Lab local CA $(date +%Y-%m-%d)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "nameConstraints=critical,permitted;DNS:localhost"
  # Why the name constraint: you are asked to trust this CA; even if its key leaked, it could
  # not vouch for any real site, only for names under .localhost.
  rm -f "$dir/lab.pem"
fi

san=$(printf 'DNS:%s,' "${hosts[@]}")
san=${san%,}

leaf_matches_hosts() {
  [ -f "$dir/lab.pem" ] && [ -f "$dir/lab-key.pem" ] || return 1
  local names
  names=$(openssl x509 -in "$dir/lab.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1 | tr -d ' ')
  [ "$names" = "$san" ] && openssl x509 -in "$dir/lab.pem" -noout -checkend 86400 >/dev/null
}

if leaf_matches_hosts; then
  echo "make-certs: certs/lab.pem already covers ${hosts[*]}"
else
  echo "make-certs: issuing certs/lab.pem for ${hosts[*]}"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/lab-key.pem" -out "$dir/lab.csr" -subj "/CN=$LAB_APP_HOST"
  openssl x509 -req -in "$dir/lab.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -out "$dir/lab.pem" -days 397 -sha256 \
    -extfile <(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=$san")
  rm -f "$dir/lab.csr" "$dir/ca.srl"
fi
chmod 0644 "$dir/ca.pem" "$dir/lab.pem"
chmod 0600 "$dir/ca-key.pem" "$dir/lab-key.pem"
