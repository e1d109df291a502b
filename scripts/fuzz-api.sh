#!/bin/sh
# Fuzzes the running API with schemathesis, from the e2e container (it trusts the lab CA and
# reaches the lab's origins as your browser does, e2e/docker-entrypoint.sh), against the lab's own
# OpenAPI document /api/openapi.json, in three passes, so that the generated data reaches the
# views instead of stopping at the login:
#   session  logged in as the demo user: the session cookie, the CSRF token and the app's Origin
#            (Django's CSRF check over HTTPS wants one); the operations that read the session;
#   bearer   with a token from /api/token/; the operation that reads it;
#   anyone   every other operation, with a CSRF token and the app's Origin but no session: the
#            unsafe methods reach their views instead of the CSRF check (the unit and e2e tests
#            prove that check), the two logins among them. The three that need a login are left
#            to the passes above: as anyone they can only answer 401 (experiments/tests prove it).
# The logins come first, as the app page makes them: the last pass sends wrong passwords, and
# after 10 a minute the login throttle answers 429 (which the document describes). The logged-in
# passes leave out the logins and the logout, which would end their session.
# What no document can hold comes from a schemathesis config file written in the container: the
# demo user's name and password, sent in half the login attempts of the last pass (so that some
# succeed, and the failures still meet the throttle), and a run id the app recorded a request in,
# for the views that read a run (a random id would only find nothing: 404).
# Bounded: LAB_FUZZ_EXAMPLES examples per operation (default 30); 30 s for each logged-in pass and
# 90 s for the last one.
# Checks: no 5xx, and every status, content type and body is one the document describes.
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

port=$(lab_env LAB_HTTPS_PORT 443)
api="https://$(lab_env LAB_API_HOST api.lab.localhost)"
app="https://$(lab_env LAB_APP_HOST app.lab.localhost)"
if [ "$port" != 443 ]; then
  api="$api:$port"
  app="$app:$port"
fi

# The demo user's session and token, and a CSRF token without a session, one per line; and the
# config file.
# shellcheck disable=SC2016  # run by the container's shell
logins='
import json, os, secrets, time
import requests

api, app = os.environ["LAB_FUZZ_API"], os.environ["LAB_FUZZ_APP"]


def answer(method, session, path, **kwargs):
    """The JSON answer; waits out the login throttle of an earlier run once."""
    for _attempt in range(2):
        response = session.request(method, api + path, timeout=60, **kwargs)
        if response.status_code != 429:
            break
        time.sleep(int(response.headers["Retry-After"]) + 1)
    response.raise_for_status()
    return response.json()


def with_csrf():
    session = requests.Session()
    session.headers["Origin"] = app
    csrf = answer("GET", session, "/api/csrf/")
    return session, csrf["csrfToken"], csrf["header"]


def cookies(session):
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


credentials = {"username": answer("GET", requests, "/api/config/")["demo_username"],
               "password": os.environ["LAB_DEMO_PASSWORD"]}
user, csrf, header = with_csrf()
logged_in = answer("POST", user, "/api/login/", json=credentials, headers={header: csrf})
token = answer("POST", requests, "/api/token/", json=credentials)["token"]
anyone, anyone_csrf, _header = with_csrf()
run = "fuzz-" + secrets.token_hex(8)
answer("GET", anyone, "/api/hello/?run=" + run)
print(header, cookies(user), logged_in["csrfToken"], token, cookies(anyone), anyone_csrf, sep="\n")
with open("/tmp/schemathesis.toml", "w") as config:  # JSON strings are TOML strings
    config.write(f"""
[dictionaries.demo-username]
values = [{json.dumps(credentials["username"])}]
[dictionaries.demo-password]
values = [{json.dumps(credentials["password"])}]
[parameters]
"query.run" = "{run}"
"query.column" = "fuzz:{run}"
"body.username" = {{ dictionary = "demo-username", probability = 0.5 }}
"body.password" = {{ dictionary = "demo-password", probability = 0.5 }}
""")
'

# shellcheck disable=SC2016  # run by the container's shell
passes='
set -eu
fuzz() {  # $1: what the pass is, $2: its time budget in seconds, then schemathesis options
  echo "=== schemathesis: $1 ==="
  what=$1 budget=$2
  shift 2
  timeout 300 schemathesis --config-file /tmp/schemathesis.toml run "$LAB_FUZZ_API/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,fuzzing --max-examples "$LAB_FUZZ_EXAMPLES" --max-time "$budget" --workers 1 --seed 10 \
    --generation-database none \
    --tls-verify /certs/ca.pem --no-color "$@" || { echo "schemathesis failed: $what"; return 1; }
}
python3 -c "$LAB_FUZZ_LOGINS" > /tmp/logins
{ read -r header; read -r session; read -r csrf; read -r token; read -r anyone; read -r anyone_csrf; } < /tmp/logins
status=0
fuzz "logged in over a session" 30 --include-path-regex "^/api/(me|display-name)/\$" \
  -H "Cookie: $session" -H "$header: $csrf" -H "Origin: $LAB_FUZZ_APP" || status=1
fuzz "logged in over Bearer" 30 --include-path /api/protected/ -H "Authorization: Bearer $token" || status=1
fuzz "anyone, with a CSRF token" 90 --exclude-path-regex "^/api/(me|display-name|protected)/\$" -H "Cookie: $anyone" -H "$header: $anyone_csrf" -H "Origin: $LAB_FUZZ_APP" || status=1
exit "$status"
'

scripts/compose-run.sh --no-deps -e REQUESTS_CA_BUNDLE=/certs/ca.pem -e SSL_CERT_FILE=/certs/ca.pem \
  -e LAB_FUZZ_API="$api" -e LAB_FUZZ_APP="$app" -e LAB_FUZZ_LOGINS="$logins" \
  -e LAB_FUZZ_EXAMPLES="${LAB_FUZZ_EXAMPLES:-30}" e2e sh -c "$passes"
