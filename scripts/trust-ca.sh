#!/usr/bin/env bash
# Adds certs/ca.pem to this machine's trust stores, so your browser opens the lab's https pages
# without a warning. Uses mkcert when it is installed; otherwise prints the exact steps.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."

ca=certs/ca.pem
if [ ! -f "$ca" ]; then
  echo "No $ca yet: run 'make up' first." >&2
  exit 1
fi

if command -v mkcert >/dev/null 2>&1; then
  # mkcert installs whatever CA sits in CAROOT as rootCA.pem into the system, NSS and Java stores.
  caroot=$(mktemp -d)
  cp "$ca" "$caroot/rootCA.pem"
  CAROOT=$caroot mkcert -install
  rm -rf "$caroot"
  exit 0
fi

abs=$(pwd)/$ca
cat <<STEPS
mkcert is not installed, so here are the steps by hand (the CA only signs *.localhost names):

  Debian/Ubuntu system store (curl, Python):
    sudo cp $abs /usr/local/share/ca-certificates/cors-django-lab.crt && sudo update-ca-certificates
  Chrome/Chromium and Firefox on Linux (NSS; package libnss3-tools):
    certutil -A -d sql:\$HOME/.pki/nssdb -t "C,," -n cors-django-lab -i $abs
  macOS (Keychain; Chrome and Safari use it):
    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain $abs
  Windows (PowerShell as administrator; Chrome and Edge use it):
    Import-Certificate -FilePath $abs -CertStoreLocation Cert:\\LocalMachine\\Root
  Firefox on macOS/Windows: Settings > Privacy & Security > Certificates > View Certificates >
    Authorities > Import, then tick "Trust this CA to identify websites".

Then restart the browser.
STEPS
