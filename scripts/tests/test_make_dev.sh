#!/bin/sh
# shellcheck disable=SC2317  # the checks and the cleanup are functions that expect() and trap call
# make dev, for real: the backend of compose.yaml + compose.dev.yaml (what `make dev` starts), in
# a throwaway compose project, serving a throwaway COPY of ./backend (never your files).
# backend/config/settings.py is edited in the copy, and the next requests must show the edit
# within a bounded poll, without a container restart, and /healthz/ must still answer. And the
# API speaks Japanese there too, from the catalogue `make dev` compiles (make dev-messages).
# Why settings.py and not a view: every gunicorn worker loads the settings when it starts, but a
# view only on its first request, so an edited view can show through a worker that never loaded
# the old one, even with no --reload at all. Only the settings prove that the workers reloaded.
# Only the backend runs: it publishes no port, so nothing clashes with your lab or another
# checkout. Requests go straight to gunicorn's unix socket, from inside the container, with the
# headers nginx adds (as backend/healthcheck.py does). Needs the backend image (`make build`).
set -eu
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"
need docker
cd "$repo"
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh
# Exported: compose below reads .env.example alone, and must run the image checked here.
LAB_IMAGE_TAG=$(lab_env LAB_IMAGE_TAG latest)
export LAB_IMAGE_TAG
image=cors-django-lab/backend:$LAB_IMAGE_TAG
if ! docker image inspect "$image" >/dev/null 2>&1; then
  # make test builds it first; make test-scripts alone does not.
  if [ "${CI:-}" = true ]; then
    not_ok "$(basename "$0"): no image $image (CI=true never skips); make build first"
    exit 1
  fi
  skip "needs the image $image, which is not built: make build, then run again"
fi

random_hex() { od -A n -N "$1" -t x1 /dev/urandom | tr -d ' \n'; }
project=lab-devtest-$(random_hex 3)
# .env.example's settings, and throwaway secrets: your .env plays no part beyond the image tag,
# which is passed on (compose reads only .env.example here, and would run the "latest" image).
# The environment wins over the env files in compose, as it does for the project name.
DJANGO_SECRET_KEY=$(random_hex 40)
LAB_JWT_SIGNING_KEY=$(random_hex 32)
LAB_DEMO_PASSWORD=$(random_hex 6)
export COMPOSE_PROJECT_NAME="$project" COMPOSE_ENV_FILES=.env.example LAB_DEV_BACKEND_DIR="$sandbox/backend" \
  LAB_IMAGE_TAG DJANGO_SECRET_KEY LAB_JWT_SIGNING_KEY LAB_DEMO_PASSWORD
dev_compose() { docker compose -f compose.yaml -f compose.dev.yaml "$@"; }
remove_project() {
  dev_compose down --volumes --timeout 5 >/dev/null 2>&1 || true
  cleanup
}
trap remove_project EXIT

# Runs in the container: GET PATH over gunicorn's socket until the answer contains TEXT (on
# TIMES requests in a row, default 1), for at most SECONDS; prints "found" or "missing" and the
# last answer ("STATUS BODY", JSON with its \u escapes undone). LANGUAGE: its Accept-Language.
client='
import http.client, json, os, socket, sys, time

class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect("/run/gunicorn/gunicorn.sock")

path, text, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
times = int(sys.argv[4]) if len(sys.argv) > 4 else 1
language = sys.argv[5] if len(sys.argv) > 5 else "en"
deadline, in_a_row = time.monotonic() + seconds, 0
while True:
    try:
        connection = UnixConnection("localhost", timeout=5)
        connection.request("GET", path, headers={"Host": os.environ["LAB_API_HOST"], "X-Forwarded-Proto": "https",
                                                 "Accept-Language": language})
        response = connection.getresponse()
        body = response.read().decode()
        try:
            body = json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            pass
        answer = f"{response.status} {body}"
    except OSError as error:
        answer = f"no answer: {error}"
    in_a_row = in_a_row + 1 if text in answer else 0
    if in_a_row == times or time.monotonic() > deadline:
        print("found" if in_a_row == times else "missing", answer)
        sys.exit(0)
    time.sleep(0.2)
'
# poll PATH TEXT SECONDS [TIMES [LANGUAGE]]: the client above, in the backend container; its answer in $answer.
# Judged by what the client printed: `docker compose exec` on a Docker 20.10 engine can exit 0
# whatever the command did (see scripts/compose-run.sh).
poll() {
  answer=$(dev_compose exec -T backend python3 -c "$client" "$@" 2>&1) || true
  case "$answer" in found*) return 0 ;; esac
  printf '    GET %s, last answer: %s\n' "$1" "$(printf '%s' "$answer" | cut -c 1-300)"
  return 1
}
started_at() {
  docker inspect --format '{{.State.StartedAt}} {{.RestartCount}}' "$(dev_compose ps -q backend)" 2>/dev/null || echo gone
}

cp -R backend "$sandbox/backend"
# Your checkout may hold a catalogue compiled by an earlier make dev: the copy starts without.
find "$sandbox/backend" -name '*.mo' -exec rm {} +
chmod -R a+rX "$sandbox"
settings=config/settings.py
real_settings_before=$(cksum < "backend/$settings")
token=https://edited-$(random_hex 4).localhost

begin=$(date +%s)
if ! out=$(make -s --no-print-directory dev-messages 2>&1); then
  not_ok "make dev-messages (the catalogue step of make dev) failed:"
  printf '%s\n' "$out" | sed 's/^/    /'
  exit 1
fi
if ! out=$(dev_compose up -d --no-build backend 2>&1); then
  not_ok "docker compose -f compose.yaml -f compose.dev.yaml up backend failed:"
  printf '%s\n' "$out" | sed 's/^/    /'
  exit 1
fi
expect "the dev backend answers /healthz/ within 90 s" poll /healthz/ '"ok": true' 90
expect "GET /api/config/ answers before the edit" poll /api/config/ '"CSRF_TRUSTED_ORIGINS"' 10
expect "and without the edit yet" lacks "$answer" "$token"
before=$(started_at)

# What a learner would write: one more origin that Django's CSRF check trusts.
printf '\nCSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, "%s"]\n' "$token" >> "$sandbox/backend/$settings"
edited=$(date +%s)
# Both workers reload on their own: the change counts once 5 answers in a row have it.
expect "after editing $settings, GET /api/config/ shows the new origin, 5 times in a row, within 30 s" poll /api/config/ "$token" 30 5
echo "    (seen $(( $(date +%s) - edited )) s after saving; the answer: $(printf '%s' "$answer" | grep -o '"CSRF_TRUSTED_ORIGINS": [^]]*]'))"
expect "the app still answers /healthz/ after the reload" poll /healthz/ '"ok": true' 10
japanese=$(sed -n '/^msgid "Hello from Django!"$/{n;s/^msgstr "\(.*\)"$/\1/p;}' backend/locale/ja/LC_MESSAGES/django.po)
expect "GET /api/hello/ in Japanese answers the catalogue's \"$japanese\"" poll /api/hello/ "\"${japanese:-no msgstr found}\"" 10 1 ja
expect "gunicorn reloaded in place: the container did not restart" test "$(started_at)" = "$before"
expect "your own backend/$settings was never touched" test "$(cksum < "backend/$settings")" = "$real_settings_before"
expect "make dev layers compose.dev.yaml, the file this test ran" contains "$(make -n dev 2>/dev/null)" "-f compose.dev.yaml"
if [ "$failures" -gt 0 ]; then
  echo "    the dev backend's last log lines, requests left out:"
  dev_compose logs backend 2>&1 | grep -v '"GET /' | tail -n 20 | sed 's/^/    /'
fi
echo "    (the dev check took $(( $(date +%s) - begin )) s, start to finish)"
finish
