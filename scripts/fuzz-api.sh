#!/bin/sh
# Fuzzes the running API with schemathesis, from the e2e container (it trusts the lab CA and
# reaches the lab's origins as your browser does, e2e/docker-entrypoint.sh), against the lab's own
# OpenAPI document /api/openapi.json.
# Bounded: LAB_FUZZ_EXAMPLES examples per operation (default 30), 90 s at most.
# Checks: no 5xx, and every status, content type and body is one the document describes.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

port=$(lab_env LAB_HTTPS_PORT 443)
api="https://$(lab_env LAB_API_HOST api.lab.localhost)"
[ "$port" = 443 ] || api="$api:$port"
examples=${LAB_FUZZ_EXAMPLES:-30}

scripts/compose-run.sh --no-deps -e REQUESTS_CA_BUNDLE=/certs/ca.pem -e SSL_CERT_FILE=/certs/ca.pem e2e \
  timeout 300 schemathesis run "$api/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,fuzzing --max-examples "$examples" --max-time 90 --workers 1 --seed 10 \
    --generation-database none \
    --tls-verify /certs/ca.pem --no-color
