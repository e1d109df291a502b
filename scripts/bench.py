"""Throughput, latency and memory of the running lab under real load, printed, never asserted.

Each case is loaded with wrk (Debian's, from the e2e image), 2 threads and 50 connections for a
few seconds. wrk runs in the host's network namespace with the lab's names pinned to 127.0.0.1,
so it goes through the port published on 127.0.0.1, as your browser does, with the hostname's
SNI and Host (this host's resolver does not resolve *.localhost by itself). wrk does not verify
certificates; the tests do.
The cases run in 3 rounds, each round every case once, and the median is shown, because a 2-core
machine is noisy: the ratio column is the median of each round's ratio to the static page,
measured seconds apart, and the drift column the last round against the first, beside the static
page's own change (a table or a queue that grows under load shows there; a machine that slows
down for everything does not). Then the lab's load goals are checked against these figures, as
ratios, so that a busy machine does not decide them; the load average is printed beside them.
Usage: python3 scripts/bench.py   (make bench)
"""

import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
SECONDS = 4
WARM_UP = 1
CONNECTIONS = 50


def compose(*args, capture=True) -> str:
    result = subprocess.run(["docker", "compose", *args], cwd=ROOT, capture_output=capture, text=True)
    if result.returncode != 0:
        sys.exit(f"docker compose {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


ORIGINS = json.loads(compose("exec", "-T", "proxy", "cat", "/run/nginx/lab-config.json"))
IMAGE = "cors-django-lab/e2e:" + (re.search(r"^LAB_IMAGE_TAG=(.*)$", (ROOT / ".env").read_text(), re.M) or [0, "latest"])[1]
PASSWORD = re.search(r"^LAB_DEMO_PASSWORD=(.*)$", (ROOT / ".env").read_text(), re.M).group(1)
JSON = "Content-Type: application/json"
APP = f"Origin: {ORIGINS['app']}"

CASES = {
    "static page (app host)": (ORIGINS["app"], "GET", "/", "", ""),
    "GET /api/hello/ (simple)": (ORIGINS["api"], "GET", "/api/hello/", APP, ""),
    "OPTIONS /api/users/ (preflight)": (ORIGINS["api"], "OPTIONS", "/api/users/",
                                        f"{APP}\nAccess-Control-Request-Method: POST\n"
                                        "Access-Control-Request-Headers: content-type", ""),
    "POST /api/users/ (JSON, stored)": (ORIGINS["api"], "POST", "/api/users/", f"{APP}\n{JSON}",
                                        json.dumps({"username": "bench", "email": "bench@example.com"})),
    "GET /api/hello/?run= (ledger write)": (ORIGINS["api"], "GET", "/api/hello/", APP, ""),
}


def with_port(origin: str) -> str:
    """wrk needs the port spelled out (the container has no /etc/services to look "https" up)."""
    parts = urlsplit(origin)
    return f"https://{parts.hostname}:{parts.port or 443}/"


def start_wrk_box() -> str:
    """One container holds wrk for the whole bench, and each run is a `docker exec` into it: a
    container start per run cost the bench about 15 s of its 2 minutes on a busy machine."""
    origins = [o for o in ORIGINS.values() if isinstance(o, str)] + list(ORIGINS.get("lookalikes", {}).values())
    hosts = [f"--add-host={urlsplit(o).hostname}:127.0.0.1" for o in origins]
    return subprocess.run(["docker", "run", "-d", "--rm", "--network", "host", *hosts, "--entrypoint", "sleep",
                           "-v", f"{ROOT / 'scripts' / 'bench'}:/bench:ro", IMAGE, "infinity"],
                          capture_output=True, text=True, check=True).stdout.strip()


def stop_wrk_box(box: str) -> None:
    subprocess.run(["docker", "rm", "-f", box], capture_output=True)


def wrk_command(box, method, path, headers, body, runs, threads, connections, seconds, origin, warm_up=False) -> list[str]:
    # A warm-up of WARM_UP seconds, left out of the figures: a case's first run was the cold one,
    # often 10 to 35 % slower than its third, which the drift column then showed as a gain.
    warm = f'wrk "$@" -d{WARM_UP}s || exit; ' if warm_up else ""
    return ["docker", "exec", "-e", f"BENCH_METHOD={method}", "-e", f"BENCH_PATH={path}",
            "-e", f"BENCH_HEADERS={headers}", "-e", f"BENCH_BODY={body}", "-e", f"BENCH_RUNS={runs}", box,
            "sh", "-c", warm + 'exec wrk "$@"', "wrk",
            # nginx gives up on the backend after 10 s; wrk's own 2 s would leave slow answers out of p99.
            f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
            "-s", "/bench/request.lua", with_port(origin)]


def parse_one(output: str) -> dict:
    figures = dict(re.findall(r"(\w+)=([\d.]+)", re.search(r"^BENCH .*$", output, re.M).group(0)))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {key: float(value) for key, value in figures.items()} | {"non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def wrk(box, origin, method, path, headers, body, connections=CONNECTIONS, seconds=SECONDS, runs=0,
        warm_up=False) -> dict:
    command = wrk_command(box, method, path, headers, body, runs, 2, connections, seconds, origin, warm_up)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    # Each wrk run starts with "Running 4s test @ ...": a warm-up's figures are left out, but its
    # stored writes are counted with the others (no write lost).
    *warm, measured = (parse_one(run) for run in re.split(r"^Running ", output, flags=re.M)[1:])
    return measured | {"warm_up_acknowledged": sum(run["requests"] - run["non_2xx"] for run in warm)}


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def stored_records() -> int:
    return int(compose("exec", "-T", "backend", "python3", "manage.py", "shell", "-c",
                       "from experiments.models import UserRecord; print(UserRecord.objects.count())").split()[-1])


def forget_bench_runs() -> None:
    """The ledger keeps at most 100 entries per run, so the bench's 150 runs (bench-00000000...) are
    full after a run or two of make bench, and its ledger row would measure refused writes. Each
    make bench starts them empty, so that row measures real writes every time."""
    compose("exec", "-T", "backend", "python3", "manage.py", "shell", "-c",
            "from ledger.models import Run; Run.objects.filter(run_id__startswith='bench-').delete()")


def hello_while_logging_in(box: str, password: str) -> tuple[dict, dict]:
    """GET /api/hello/ at 10 connections while 8 connections keep POSTing /api/token/. With the
    right password each login is a PBKDF2 check; with a wrong one, the login throttle answers 429
    after the first few, with no password check (people/throttle.py)."""
    body = json.dumps({"username": "alice", "password": password})
    login = subprocess.Popen(wrk_command(box, "POST", "/api/token/", f"{APP}\n{JSON}", body, 0, 1, 8, SECONDS + 4,
                                         ORIGINS["api"]), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(3)  # let the logins start before measuring
    hello = wrk(box, *CASES["GET /api/hello/ (simple)"], connections=10)
    logins = parse_one(login.communicate()[0])
    return hello, logins


def ratio(runs: list[dict], base: list[dict]) -> float:
    """The median of the per-round ratios: each round measured both within a few seconds."""
    return statistics.median(run["rps"] / other["rps"] for run, other in zip(runs, base))


def drift(runs: list[dict], static: list[dict]) -> float:
    """The last round against the first, beside the static page's own change over the same rounds:
    negative when a case got slower as the rounds went on (a table or a queue that grows under
    load), while a machine that slows down for everything moves the static page alike."""
    return (runs[-1]["rps"] / runs[0]["rps"]) / (static[-1]["rps"] / static[0]["rps"]) - 1


def load_average() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def goals(measured: dict, writes_kept: bool) -> list[tuple[str, str, bool]]:
    """The lab's load goals: (what, the figure, met), every one a ratio or a latency of this run."""
    static, hello, preflight, stored = (measured[name] for name in (
        "static page (app host)", "GET /api/hello/ (simple)", "OPTIONS /api/users/ (preflight)",
        "POST /api/users/ (JSON, stored)"))
    decays = {name.split(" (")[0]: drift(measured[name], static) for name in (
        "GET /api/hello/ (simple)", "OPTIONS /api/users/ (preflight)", "POST /api/users/ (JSON, stored)")}
    hello_p99, stored_p99 = (median_of(case)["p99_ms"] for case in (hello, stored))
    return [
        ("simple GET >= 25 % of the static page", f"{ratio(hello, static):.0%}", ratio(hello, static) >= 0.25),
        (f"simple GET p99 < 50 ms at {CONNECTIONS} connections", f"{hello_p99:.1f} ms", hello_p99 < 50),
        ("no decay: round 3 within 10 % of round 1, beside the static page's",
         ", ".join(f"{name} {value:+.0%}" for name, value in decays.items()), all(abs(v) <= 0.10 for v in decays.values())),
        ("preflight at least as fast as the simple GET", f"{ratio(preflight, hello):.0%}", ratio(preflight, hello) >= 1),
        ("stored POST >= 50 % of the simple GET", f"{ratio(stored, hello):.0%}", ratio(stored, hello) >= 0.5),
        ("stored POST p99 < 100 ms", f"{stored_p99:.1f} ms", stored_p99 < 100),
        ("no write lost: rows added >= writes acknowledged", "yes" if writes_kept else "NO", writes_kept),
    ]


def memory() -> str:
    containers = compose("ps", "-q", "backend", "proxy").split()
    return subprocess.run(["docker", "stats", "--no-stream", "--format", "  {{.Name}}: {{.MemUsage}}", *containers],
                          capture_output=True, text=True, check=True).stdout


def main():
    started = time.monotonic()
    print(f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s; {REPEATS} rounds, each running every case once, so that each ratio")
    print("compares figures taken seconds apart (median shown; 'runs' lists each round's req/s)")
    print(f"at the start: {load_average()}")
    box = start_wrk_box()
    try:
        measured = {name: [] for name in CASES}
        records_before = stored_records()
        for round_number in range(REPEATS):
            for name, case in CASES.items():
                if "ledger" in name:
                    forget_bench_runs()
                measured[name].append(wrk(box, *case, runs=150 if "ledger" in name else 0, warm_up=round_number == 0))
        # ...and leaves none behind: runs used in the last 2 minutes are never evicted, so 150 of
        # them would leave a browser suite started right after a ledger too full to record its own.
        forget_bench_runs()
        rows_added = stored_records() - records_before
        logins = [(label, *hello_while_logging_in(box, password))
                  for label, password in (("8 logins", PASSWORD), ("8 wrong-password logins", "wrong-password"))]
    finally:
        stop_wrk_box(box)

    static, writes_kept = measured["static page (app host)"], True
    print(f"{'':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>9} {'drift':>6}  runs")
    for name, case_runs in measured.items():
        result = median_of(case_runs)
        # The static page's drift is the machine's: every other case's is read beside it.
        change = case_runs[-1]["rps"] / case_runs[0]["rps"] - 1 if case_runs is static else drift(case_runs, static)
        print(f"{name:38} {result['rps']:8.0f} {result['p50_ms']:8.2f} {result['p99_ms']:8.2f} "
              f"{ratio(case_runs, static):8.0%} {change:+6.0%}  " + " ".join(f"{run['rps']:.0f}" for run in case_runs))
        if "stored" in name:
            acknowledged = int(sum(run["requests"] - run["non_2xx"] + run["warm_up_acknowledged"] for run in case_runs))
            # wrk stops with requests in flight: those are stored but not acknowledged, so
            # rows >= acknowledged.
            writes_kept = rows_added >= acknowledged
            refused = int(sum(run["non_2xx"] + run["errors"] for run in case_runs))
            print(f"{'':38} writes acknowledged {acknowledged}, rows added {rows_added}, not acknowledged {refused}")
    for label, hello, login in logins:
        print(f"{'GET /api/hello/ during ' + label:38} {hello['rps']:8.0f} {hello['p50_ms']:8.2f} "
              f"{hello['p99_ms']:8.2f} {'':16}  (logins: {login['rps']:.0f}/s, p99 {login['p99_ms']:.0f} ms, "
              f"{login['status_429']:.0f} answered 429)")
    print(f"at the end: {load_average()} (the figures are only comparable on a quiet machine; the ratios hold better)")
    print("goals, from this run:")
    results = goals(measured, writes_kept)
    for what, figure, met in results:
        print(f"  {'met   ' if met else 'MISSED'} {what}: {figure}")
    print(f"{sum(met for _, _, met in results)} of {len(results)} goals met")
    print("memory after the run:")
    print(memory(), end="")
    print(f"({time.monotonic() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
