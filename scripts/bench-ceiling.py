"""How fast can anything behind this nginx and this gunicorn answer GET /api/hello/ here?

make bench compares the simple GET with the static page. This prints the ladder between the two,
each rung loaded as make bench loads the simple GET (wrk, 50 connections, median of 3 runs), in
the same run as the static page:
  - the static page, which nginx serves by itself;
  - a WSGI app with no Django in it (scripts/bench/ceiling/bare_wsgi.py), in the lab's gunicorn:
    what nginx, the unix socket and gunicorn cost;
  - Django with no middleware at all (scripts/bench/ceiling/no_middleware.py): Django's own
    request cycle, URL routing and the view;
  - the lab as it is: the same plus its middlewares (the ledger, CORS, sessions, the language, CSRF).
Each rung recreates the backend with a compose override (scripts/bench/ceiling/*.yaml); the lab's
own backend is recreated at the end, whatever happened, as make up starts it.
Usage: python3 scripts/bench-ceiling.py   (make bench-ceiling; about a minute and a half)
"""

import json
import os
import subprocess
import time

from bench import CASES, ORIGINS, ROOT, load_average, median_of, start_wrk_box, stop_wrk_box, wrk

RUNGS = {
    "a WSGI app with no Django": ["-f", "compose.yaml", "-f", "scripts/bench/ceiling/bare-wsgi.yaml"],
    "Django with no middleware": ["-f", "compose.yaml", "-f", "scripts/bench/ceiling/no-middleware.yaml"],
    "the lab (GET /api/hello/)": ["-f", "compose.yaml"],
}


def start_backend(files: list[str]) -> None:
    subprocess.run(["docker", "compose", *files, "up", "-d", "--no-build", "--force-recreate", "backend"],
                   cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["scripts/wait-healthy.sh", "backend"], cwd=ROOT, check=True)


def what_answered() -> str:
    """Proof that the rung ran what it says: only the lab's middlewares add CORS headers, and only
    Django's view echoes the request's Origin. curl runs in the proxy's container, with the lab CA,
    and connects to nginx's own port there (8443) with the URL and Host of the API's origin."""
    answer = subprocess.run(
        ["docker", "compose", "exec", "-T", "proxy", "curl", "-sS", "-i", "--cacert", "/certs/ca.pem",
         "--connect-to", "::127.0.0.1:8443", "-H", f"Origin: {ORIGINS['app']}",
         f"{ORIGINS['api']}/api/hello/"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    head, _, body = answer.partition("\n\n")  # text=True reads \r\n as \n
    cors = "access-control-allow-origin:" in head.lower()
    echoed = "origin" in json.loads(body).get("received", {})
    return f"CORS header {'yes' if cors else 'no '}, Origin echoed {'yes' if echoed else 'no'}"


def show(name: str, runs: list[dict], static: float, proof: str = "") -> None:
    result = median_of(runs)
    print(f"{name:30} {result['rps']:8.0f} {result['p50_ms']:8.2f} {result['p99_ms']:8.2f} "
          f"{result['rps'] / static:9.0%}  {proof}")


def three_runs(box: str, case: str) -> list[dict]:
    return [wrk(box, *CASES[case], warm_up=run == 0) for run in range(3)]


def main():
    # The values make up gives the lab: the Makefile exports this, but run by hand it may be unset.
    os.environ.setdefault("COMPOSE_ENV_FILES", ".env.example,.env")
    started = time.monotonic()
    print(f"each rung: wrk -t2 -c50, 3 runs, median; at the start: {load_average()}")
    print(f"{'':30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>9}  what answered")
    box = start_wrk_box()
    try:
        static_runs = three_runs(box, "static page (app host)")
        static = median_of(static_runs)["rps"]
        show("the static page", static_runs, static)
        for name, files in RUNGS.items():
            start_backend(files)
            show(name, three_runs(box, "GET /api/hello/ (simple)"), static, what_answered())
    finally:
        stop_wrk_box(box)
        start_backend(RUNGS["the lab (GET /api/hello/)"])
    print(f"at the end: {load_average()} ({time.monotonic() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
