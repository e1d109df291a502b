#!/bin/sh
# Adds certs/ca.pem to this machine's trust stores, so your browser opens the lab's https pages
# without a warning. With mkcert installed, mkcert does it (system, NSS and Java stores).
# Without it, the CA goes into your NSS database when certutil is there (Chrome/Chromium on
# Linux), and the steps for every other store are printed.
# `make untrust` (scripts/untrust-ca.sh) removes exactly what this adds.
# LAB_NSSDB and LAB_CA_PEM: see scripts/lab-ca.sh.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-ca.sh
. scripts/lab-ca.sh
if [ ! -f "$ca" ]; then
  echo "No $ca yet: run 'make up' first, it creates the lab CA." >&2
  exit 1
fi
abs=$(cd "$(dirname "$ca")" && pwd)/$(basename "$ca")
# Only a CA that can vouch for .localhost names alone goes into your trust stores: never a per-run
# CA of an exact-hostname run (example.com, your own names), nor one without name constraints.
if command -v openssl >/dev/null 2>&1 && ! only_localhost "$abs"; then
  echo "$ca may vouch for $(permitted_dns_names "$abs" | tr '\n' ' ' | sed 's/ $//' | grep . || echo 'any name'), not for .localhost names alone: it is not the lab CA that make-certs.sh makes, and the lab never asks you to trust such a CA (docs/exact-hostnames.md says why)." >&2
  exit 1
fi

if command -v mkcert >/dev/null 2>&1; then
  with_mkcert -install
  exit 0
fi

nss_done=""
if command -v certutil >/dev/null 2>&1; then
  if [ ! -d "$nssdb" ]; then
    echo "No NSS database at $nssdb: Chrome creates it when it first starts. Start Chrome once and run 'make trust' again (or set LAB_NSSDB to another database)."
  elif ! in_db=$(certutil -L -d "sql:$nssdb" -n "$nickname" -a 2>/dev/null); then
    certutil -A -d "sql:$nssdb" -t "C,," -n "$nickname" -i "$abs"
    echo "Added $ca to the NSS database $nssdb as '$nickname' (Chrome/Chromium on Linux). Restart the browser."
    nss_done=1
  elif [ "$(printf '%s' "$in_db" | pem_body)" = "$(pem_body < "$abs")" ]; then
    echo "$ca is already trusted in the NSS database $nssdb."
    nss_done=1
  else
    echo "The NSS database $nssdb already trusts another '$nickname' CA, an older lab's. Remove it, then run 'make trust' again:" >&2
    echo "  certutil -D -d sql:$nssdb -n $nickname" >&2
    exit 1
  fi
fi

echo
echo "For the other trust stores, mkcert (https://github.com/FiloSottile/mkcert) would do it all; without it, here are the steps by hand. The CA only signs *.localhost names."
cat <<STEPS

  Debian/Ubuntu system store (curl, Python, WebKit):
    sudo cp $abs /usr/local/share/ca-certificates/$nickname.crt && sudo update-ca-certificates
STEPS
[ -n "$nss_done" ] || cat <<STEPS
  Chrome/Chromium on Linux (NSS; package libnss3-tools):
    certutil -A -d sql:\$HOME/.pki/nssdb -t "C,," -n $nickname -i $abs
STEPS
cat <<STEPS
  macOS (Keychain; Safari and Chrome use it), trusted for TLS only:
    sudo security add-trusted-cert -d -r trustRoot -p ssl -k /Library/Keychains/System.keychain $abs
  Windows (PowerShell as administrator; Chrome and Edge use it):
    Import-Certificate -FilePath $abs -CertStoreLocation Cert:\\LocalMachine\\Root
  Firefox (its own store, on every system): Settings > Privacy & Security > Certificates >
    View Certificates > Authorities > Import, then tick "Trust this CA to identify websites".
STEPS

# Under WSL the browsers run on Windows, which cannot open a Linux path: give it one it can read.
if grep -qi microsoft /proc/version 2>/dev/null && command -v wslpath >/dev/null 2>&1; then
  winpath=$(wslpath -w "$abs")
  cat <<STEPS

  You are in WSL: Edge and Chrome run on Windows and read the Windows store. In PowerShell as
  administrator:
    Import-Certificate -FilePath '$winpath' -CertStoreLocation Cert:\\LocalMachine\\Root
  If PowerShell cannot read that path, copy the file to Windows first
  (cp $abs /mnt/c/Users/<you>/cors-django-lab-ca.pem) and import C:\\Users\\<you>\\cors-django-lab-ca.pem.
STEPS
fi

echo
echo "Then restart the browser."
