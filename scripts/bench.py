"""Latency and memory figures of the running lab, printed, never asserted.

Each endpoint gets a bounded number of requests over one keep-alive TLS connection to the port
nginx publishes on 127.0.0.1, with the Host and Origin a browser would send.
Usage: python3 scripts/bench.py [requests per endpoint]
"""

import http.client
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(line.split("=", 1) for line in (ROOT / ".env").read_text().splitlines() if "=" in line and not line.startswith("#"))
API_HOST = ENV.get("LAB_API_HOST", "api.lab.localhost")
APP_HOST = ENV.get("LAB_APP_HOST", "app.lab.localhost")
PORT = int(ENV.get("LAB_HTTPS_PORT", "443"))
APP_ORIGIN = f"https://{APP_HOST}" + ("" if PORT == 443 else f":{PORT}")
COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 300

CASES = [
    ("static page (app host)", APP_HOST, "GET", "/", {}, None),
    ("GET /api/hello/ (simple)", API_HOST, "GET", "/api/hello/", {}, None),
    ("OPTIONS /api/users/ (preflight)", API_HOST, "OPTIONS", "/api/users/",
     {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}, None),
    ("POST /api/users/ (JSON, stored)", API_HOST, "POST", "/api/users/",
     {"Content-Type": "application/json"}, json.dumps({"username": "bench", "email": "bench@example.com"})),
    ("GET /api/hello/?run= (ledger write)", API_HOST, "GET", "/api/hello/?run=bench-0000", {}, None),
]


class LoopbackHTTPS(http.client.HTTPSConnection):
    """Connects to 127.0.0.1 but checks the certificate for the lab hostname, as a browser would."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def measure(host, method, path, headers, body) -> list[float]:
    context = ssl.create_default_context(cafile=str(ROOT / "certs" / "ca.pem"))
    connection = LoopbackHTTPS(host, PORT, context=context, timeout=10)
    timings = []
    for _ in range(COUNT):
        start = time.perf_counter()
        connection.request(method, path, body=body, headers={"Origin": APP_ORIGIN, **headers})
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status < 400, (path, response.status)
    connection.close()
    return timings


def hello_during_login_attack(attackers: int = 8) -> None:
    """GET /api/hello/ latency while `attackers` clients keep POSTing wrong passwords to
    /api/token/. Without the login throttle each guess costs a PBKDF2 check on the backend's two
    cores; with it, a throttled guess is a 429 that costs a database read."""
    context = ssl.create_default_context(cafile=str(ROOT / "certs" / "ca.pem"))
    stop, attack_answers = threading.Event(), []
    guess = json.dumps({"username": "alice", "password": "wrong-password"})

    def attack():
        connection = LoopbackHTTPS(API_HOST, PORT, context=context, timeout=30)
        while not stop.is_set():
            connection.request("POST", "/api/token/", body=guess, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            attack_answers.append(response.status)
        connection.close()

    threads = [threading.Thread(target=attack) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    try:
        timings = sorted(measure(API_HOST, "GET", "/api/hello/", {}, None))
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    p = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))]
    answers = ", ".join(f"{attack_answers.count(status)} x {status}" for status in sorted(set(attack_answers)))
    print(f"{'GET /api/hello/ during ' + str(attackers) + ' bad logins':38} {p(.50):8.2f} {p(.95):8.2f} {p(.99):8.2f}"
          f" {1000 / statistics.mean(timings):8.0f}")
    print(f"  the attackers' answers meanwhile: {answers} (429: throttled, no password check)")


def memory() -> str:
    return subprocess.run(["docker", "stats", "--no-stream", "--format", "  {{.Name}}: {{.MemUsage}}"],
                          capture_output=True, text=True, check=True).stdout


def main():
    print(f"{COUNT} requests per line, one keep-alive connection, https://...:{PORT} on 127.0.0.1")
    print(f"{'':38} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name, host, method, path, headers, body in CASES:
        timings = sorted(measure(host, method, path, headers, body))
        p = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))]
        print(f"{name:38} {p(.50):8.2f} {p(.95):8.2f} {p(.99):8.2f} {1000 / statistics.mean(timings):8.0f}")
    hello_during_login_attack()
    print("memory after the run:")
    print(memory(), end="")


if __name__ == "__main__":
    main()
