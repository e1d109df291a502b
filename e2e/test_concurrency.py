"""The real stack (nginx, then gunicorn's threaded workers) answers scenario and /api/ requests
at the same time without one's CORS configuration leaking into the other's answer.

No browser: Python sends the Origin a page would send, 240 requests on 8 threads, interleaved.
backend/playground/tests/test_concurrency.py checks the same on Django's threaded test server."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import lab


def cases() -> list[tuple]:
    """(path, Origin sent, the Access-Control-Allow-Origin the answer must carry, or None)."""
    servers = {s["slug"]: s["case"]["server"] for s in lab.scenario_catalogue()}

    def scenario(slug: str) -> str:  # a scenario's case is answered at the playground's endpoint
        return f"/playground/0/0/?s={quote(json.dumps(servers[slug]))}"

    return [
        (scenario("wildcard-headers-cover-authorization"), lab.ATTACKER, "*"),
        ("/api/hello/", lab.ATTACKER, None),
        (scenario("no-allow-origin"), lab.APP, None),
        ("/api/hello/", lab.APP, lab.APP),
        (scenario("missing-allow-credentials"), lab.APP, lab.APP),
    ]


def allow_origin(path: str, origin: str) -> tuple[int, str | None]:
    request = urllib.request.Request(lab.API + path, headers={"Origin": origin})
    with urllib.request.urlopen(request, context=lab.TLS, timeout=lab.WAIT_SECONDS) as response:
        return response.status, response.headers.get("Access-Control-Allow-Origin")


def test_no_cors_configuration_leaks_between_concurrent_requests():
    every = cases()
    jobs = [every[n % len(every)] for n in range(240)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda job: allow_origin(job[0], job[1]), jobs))

    wrong = [(path, origin, expected, got) for (path, origin, expected), (status, got) in zip(jobs, answers)
             if status != 200 or got != expected]
    assert wrong == []
