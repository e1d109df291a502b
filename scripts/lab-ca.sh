# Sourced by trust-ca.sh and untrust-ca.sh, never run: what both know about the lab CA.
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
