#!/bin/sh
# Removes what `make trust` (scripts/trust-ca.sh) added, and nothing else: with mkcert,
# `mkcert -uninstall` of this very CA; without it, the NSS database entry trust-ca.sh made, if it
# is this CA. Then prints the exact removal steps for the stores you may have changed by hand.
# Run it before `make clean CA=1`: once certs/ca.pem is gone, nothing says which CA to remove.
# LAB_NSSDB and LAB_CA_PEM: see scripts/lab-ca.sh.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-ca.sh
. scripts/lab-ca.sh
if [ ! -f "$ca" ]; then
  echo "No $ca: nothing says which CA to remove. In your browser's or system's certificate list, delete the authorities named 'CORS Django Lab local CA <date>'." >&2
  exit 1
fi
abs=$(cd "$(dirname "$ca")" && pwd)/$(basename "$ca")

if command -v mkcert >/dev/null 2>&1; then
  with_mkcert -uninstall
  exit 0
fi

nss_done=""
if command -v certutil >/dev/null 2>&1 && [ -d "$nssdb" ]; then
  if ! in_db=$(certutil -L -d "sql:$nssdb" -n "$nickname" -a 2>/dev/null); then
    echo "The NSS database $nssdb holds no '$nickname' CA: nothing to remove there."
    nss_done=1
  elif [ "$(printf '%s' "$in_db" | pem_body)" = "$(pem_body < "$abs")" ]; then
    certutil -D -d "sql:$nssdb" -n "$nickname"
    echo "Removed $ca from the NSS database $nssdb. Restart the browser."
    nss_done=1
  else
    echo "The NSS database $nssdb holds a '$nickname' CA that is not $ca (an older lab's?), so it is left alone. If it is an old lab CA, remove it with:"
    echo "  certutil -D -d sql:$nssdb -n $nickname"
  fi
fi

# The Keychain and Windows find a certificate by its SHA-1 fingerprint (Windows calls it the
# thumbprint); the Keychain can also go by the common name.
sha1=$(openssl x509 -in "$ca" -noout -fingerprint -sha1 2>/dev/null | sed 's/.*=//; s/://g') || sha1=""
cn=$(openssl x509 -in "$ca" -noout -subject 2>/dev/null | sed -n 's/.*CN *= *//p') || cn=""
[ -n "$sha1" ] || sha1="<SHA-1 fingerprint of certs/ca.pem>"
[ -n "$cn" ] || cn="CORS Django Lab local CA"

echo
echo "If you added the CA to other stores by hand, these remove it (and only it):"
cat <<STEPS

  Debian/Ubuntu system store:
    sudo rm /usr/local/share/ca-certificates/$nickname.crt && sudo update-ca-certificates --fresh
STEPS
[ -n "$nss_done" ] || cat <<STEPS
  Chrome/Chromium on Linux (NSS):
    certutil -D -d sql:\$HOME/.pki/nssdb -n $nickname
STEPS
cat <<STEPS
  macOS (Keychain): first its trust setting, then the certificate ("$cn"):
    sudo security remove-trusted-cert -d $abs
    sudo security delete-certificate -Z $sha1 /Library/Keychains/System.keychain
  Windows (PowerShell as administrator):
    Remove-Item Cert:\\LocalMachine\\Root\\$sha1
  Firefox (its own store): Settings > Privacy & Security > Certificates > View Certificates >
    Authorities > "CORS Django Lab" > $cn > Delete or Distrust.
STEPS
