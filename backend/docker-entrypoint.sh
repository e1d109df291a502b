#!/usr/bin/env bash
set -o errexit -o nounset -o pipefail

# migrate runs Django's system checks first: a dangerous setting stops the start here.
python3 manage.py migrate --noinput
python3 manage.py ensure_demo_user
# nginx reaches gunicorn through a unix socket on a volume only the two of them mount: nothing
# else can connect, so the forwarded headers nginx sets are trusted (gunicorn trusts a unix
# socket peer; no TCP address is trusted, as --forwarded-allow-ips stays at its default). And no
# TCP connection per request: no ephemeral ports, no TIME_WAIT pile-up under load.
# gthread (config/gunicorn_worker.py subclasses it): each worker serves several requests at once,
# so a slow password check (PBKDF2) does not hold up the cheap endpoints. Safe because no request
# switches shared state (see lab/cors_runner.py).
# The request limits are nginx's (a URL or a header line up to 16 KiB, 64 KiB of header lines,
# answered with JSON: nginx/nginx.conf.template); gunicorn's are set above them, so that it never
# refuses what nginx passed: no limit of its own on the request line (0; a number may not exceed
# 8190 here), header lines up to 32 KiB (0 would mean gunicorn's default, 8190: too short for
# nginx's 16 KiB lines, and for the cookie nginx joins from HTTP/2's crumbs), and more fields than
# 64 KiB can hold. What gunicorn still refuses by itself (a control character in a header value,
# which nginx passes on) its worker class answers with JSON, not gunicorn's HTML page
# (config/gunicorn_worker.py).
# --timeout: gunicorn replaces a worker that has not checked in for 15 s, whatever holds it (a
# thread that keeps the GIL, say). nginx gives up after 10 s (nginx/django-proxy.conf), so the
# client has its JSON 504 first; 15 s then frees the worker for the next requests.
# The heartbeat file of each worker lands in /tmp, a tmpfs: the root filesystem is read-only.
# Keep-alive: nginx reuses its connections to gunicorn (the upstream block of
# nginx/nginx.conf.template). gunicorn keeps an idle one longer (75 s) than nginx does (60 s), so
# gunicorn never closes a connection at the moment nginx sends a request on it: nginx does not
# retry a POST, and that would be a 502.
# No access log here: nginx's access log (make logs, service proxy) already has one line per API
# request. gunicorn's second line cost a quarter of a stored POST's time under load, measured with
# py-spy: threads queued on the log's lock while Docker read the pipe (docs/performance.md).
# --config: what gunicorn has no command-line flag for (config/gunicorn_conf.py).
exec gunicorn config.wsgi \
  --config python:config.gunicorn_conf \
  --limit-request-line 0 \
  --limit-request-field_size 32768 \
  --limit-request-fields 32768 \
  --timeout 15 \
  --bind unix:/run/gunicorn/gunicorn.sock \
  --umask 0o111 \
  --worker-class config.gunicorn_worker.JsonErrorThreadWorker \
  --workers 2 \
  --threads 8 \
  --keep-alive 75 \
  --no-control-socket ${LAB_GUNICORN_RELOAD:+--reload}
