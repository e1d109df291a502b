# Sourced by trust-ca.sh, untrust-ca.sh and exact-run.sh, never run: what they know about CAs.
# LAB_NSSDB: the NSS database to use (default $HOME/.pki/nssdb, Chrome's on Linux).
# LAB_CA_PEM: the CA (default certs/ca.pem).

# Read by the scripts that source this file.
ca=${LAB_CA_PEM:-certs/ca.pem}
# shellcheck disable=SC2034
nssdb=${LAB_NSSDB:-$HOME/.pki/nssdb}
# shellcheck disable=SC2034
nickname=cors-django-lab

# The certificate's base64 without line breaks: how two copies of one CA are compared.
pem_body() { tr -d '\r\n'; }

# mkcert -install or -uninstall acts on whatever CA sits in CAROOT as rootCA.pem: this one.
with_mkcert() {
  caroot=$(mktemp -d)
  cp "$ca" "$caroot/rootCA.pem"
  CAROOT=$caroot mkcert "$1"
  rm -rf "$caroot"
}

# permitted_dns_names PEM: the DNS names a CA's name constraints permit, one per line; nothing for
# a CA without constraints. From -text, which OpenSSL and macOS's LibreSSL both print.
permitted_dns_names() {
  openssl x509 -in "$1" -noout -text | sed -n '/Permitted:/,/Excluded:/p' | sed -n 's/^ *DNS://p'
}

# only_localhost PEM: may this CA vouch for names under .localhost alone, as the lab CA made by
# make-certs.sh? A per-run CA of an exact-hostname run, or any CA without constraints, may not.
only_localhost() {
  [ "$(permitted_dns_names "$1")" = localhost ]
}

# trust_stores_holding PEM: prints each trust store of this machine that holds this certificate,
# of those a script can read: the system bundles and the certificates waiting to join them, the
# NSS database (Chrome and Chromium on Linux), the macOS keychains. Fails when none does.
trust_stores_holding() {
  body=$(sed '/^-----/d' "$1" | tr -d '\r\n')
  found=$(
    for bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/cert.pem; do
      [ -f "$bundle" ] && tr -d '\r\n' <"$bundle" | grep -qF "$body" && echo "$bundle"
    done
    for file in /usr/local/share/ca-certificates/* /etc/pki/ca-trust/source/anchors/*; do
      [ -f "$file" ] && sed '/^-----/d' "$file" | tr -d '\r\n' | grep -qxF "$body" && echo "$file"
    done
    if command -v certutil >/dev/null 2>&1 && [ -d "$nssdb" ]; then
      # After its 4 lines of header, one certificate a line: its nickname, then its trust flags.
      certutil -L -d "sql:$nssdb" | sed -n '5,$p' | sed -E 's/[[:space:]]+[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*[[:space:]]*$//' |
        while IFS= read -r name; do
          certutil -L -d "sql:$nssdb" -n "$name" -a 2>/dev/null | sed '/^-----/d' | tr -d '\r\n' | grep -qF "$body" \
            && echo "$nssdb ($name)"
        done
    fi
    if command -v security >/dev/null 2>&1; then
      security find-certificate -a -p 2>/dev/null | tr -d '\r\n' | grep -qF "$body" && echo "a macOS keychain"
    fi
  )
  [ -n "$found" ] && printf '%s\n' "$found"
}
