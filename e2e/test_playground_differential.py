"""The Fetch model against Chromium, on random cases run through the playground.

A seeded generator draws (request, server) cases: methods (lower-case and non-standard tokens too),
safelisted and unsafe request headers (values at the edges of the model's rules), credentials,
modes, the three page origins, both server forms, Max-Age values and redirects. The playground page
runs each one in Chromium (its own JS entry point, many cases per evaluate, a URL of its own per
case, /playground/<slot>/ under a run id shared by a few: the preflight cache never mixes two cases). For each case the model and Chromium must
agree on the preflight count (the ledger's and DevTools'), readable or not, the reason (DevTools'
corsErrorStatus), and which response headers the script can read.

LAB_DIFF_SEED=<n> replays a run; a failure prints the seed, the case and a playground link for it.
"""

import json
import os
import random
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

import lab

CASES = 160
BATCH = 32
# Cases sharing one run id (each in a slot, so a URL of its own): the ledger keeps 500 runs, and
# the whole suite already starts about 150 in 2 minutes; 160 more at once would crowd them out.
# 12 cases stay under a run's 100 entries.
CASES_PER_RUN = 12
SEED = int(os.environ.get("LAB_DIFF_SEED") or random.SystemRandom().randrange(10**6))

# Reasons for which Chromium reports no corsError, as the model's NOT_CORS_ERRORS says
# (backend/crossorigin/fetch/engines.py) and this test checks in the browser: fetch() refused the
# request before the network service, or the answer is opaque.
NO_CORS_ERROR = {None, "Opaque", "ForbiddenMethod", "InvalidMethod", "NoCorsMethodNotSafelisted", "DisallowedByMode",
                 "TooManyRedirects"}

METHODS = ["GET"] * 4 + ["POST"] * 2 + ["get", "post", "HEAD", "head", "PUT", "put", "DELETE", "delete", "PATCH", "patch",
                                        "OPTIONS", "FOO", "x-custom", "TRACE", "connect", "BAD METHOD"]
REQUEST_HEADERS = [
    ("X-Lab-Trace", "42"), ("Authorization", "Bearer x"), ("Accept", "application/json"), ("Accept", "text/html(x)"),
    ("Accept", "a" * 129), ("Accept-Language", "en-US"), ("Accept-Language", "en_US"), ("Content-Language", "de"),
    ("Range", "bytes=0-"), ("Range", "bytes=-5"), ("DPR", "2"), ("Save-Data", "on"), ("Width", "100"),
    ("Device-Memory", "4"), ("Lang", "en"), ("Sec-Foo", "1"), ("Proxy-Foo", "1"), ("X-HTTP-Method-Override", "PUT"),
    ("X-HTTP-Method-Override", "TRACE"), ("Accept", "a" * 100)]
CONTENT_TYPES = ["", "", "text/plain", "application/json", 'text/plain; charset="utf-8"', "text /plain",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
ALLOW_ORIGIN = ["{origin}", "{origin}", "*", "{app}", "null", "https://other.lab.localhost", "{origin}, {origin}", None]
ALLOW_METHODS = [None, "PUT", "GET, PUT, PATCH, DELETE", "*", "patch", "Bad method", "GET, , PUT", "FOO, x-custom, OPTIONS"]
ALLOW_HEADERS = [None, "x-lab-trace", "*", "content-type", "authorization, x-lab-trace, content-type", "x-a x-b",
                 "x-lab-trace, content-type, lang, range, accept, accept-language, x-http-method-override"]


def maybe(rng, p: float, value):
    return value if rng.random() < p else None


def draw_request(rng) -> dict:
    method = rng.choice(METHODS)
    has_body = method.upper() not in ("GET", "HEAD") and rng.random() < 0.6
    headers = [list(rng.choice(REQUEST_HEADERS)) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]
    if rng.random() < 0.03:
        headers = [["Accept", "a" * 100], ["Accept", "b" * 100]]   # A4: joined before the safelist check
    return {"page": rng.choice(["app", "app", "attacker", "null"]), "method": method, "headers": headers,
            "body": '{"n": 1}' if has_body else None, "content_type": rng.choice(CONTENT_TYPES),
            "credentials": rng.choice(["omit", "same-origin", "include"]),
            "mode": rng.choice(["cors"] * 6 + ["no-cors", "same-origin"]), "repeat": 1}


def draw_cors(rng, repeat: int) -> dict:
    settings = {"CORS_ALLOWED_ORIGINS": rng.sample(["{app}", "{attacker}", "null"], rng.randint(0, 3))}
    if rng.random() < 0.2:
        settings["CORS_ALLOWED_ORIGIN_REGEXES"] = [r"^https://attacker\.localhost(:\d+)?$"]
    if rng.random() < 0.15:
        settings["CORS_ALLOW_ALL_ORIGINS"] = True
    if rng.random() < 0.4:
        settings["CORS_ALLOW_CREDENTIALS"] = True
    for name, choices in (("CORS_ALLOW_METHODS", [["GET", "POST"], ["GET", "PUT", "patch"], ["DELETE", "FOO", "x-custom"]]),
                          ("CORS_ALLOW_HEADERS", [["x-lab-trace"], ["*"], ["content-type", "authorization", "x-lab-trace"],
                                                  "x-lab-trace"]),
                          ("CORS_EXPOSE_HEADERS", [["X-Lab-Request-Id"], ["*"]])):
        if rng.random() < 0.4:
            settings[name] = rng.choice(choices)
    # Without a Max-Age the browser caches for 5 s (0 means "send none"): repeats must not depend on
    # how fast this machine is, so repeated cases get a long Max-Age.
    max_age = rng.choice([None, 0, 600]) if repeat == 1 else rng.choice([None, 600])
    if max_age is not None:
        settings["CORS_PREFLIGHT_MAX_AGE"] = max_age
    return {"cors": settings}


def draw_headers(rng, *, preflight: bool, repeat: int) -> list:
    headers = [["Access-Control-Allow-Origin", value] for value in [rng.choice(ALLOW_ORIGIN)] if value is not None]
    if rng.random() < 0.4:
        headers.append(["Access-Control-Allow-Credentials", rng.choice(["true", "true", "True"])])
    if preflight:
        for name, choices in (("Access-Control-Allow-Methods", ALLOW_METHODS), ("Access-Control-Allow-Headers", ALLOW_HEADERS)):
            value = rng.choice(choices)
            if value is not None:
                headers.append([name, value])
        # As above: with repeats, only values whose cache time does not depend on the clock.
        max_age = rng.choice([None, "0", "-1", "600", "abc"] if repeat == 1 else ["0", "-1", "600"])
        if max_age is not None:
            headers.append(["Access-Control-Max-Age", max_age])
    elif rng.random() < 0.4:
        headers.append(["Access-Control-Expose-Headers", rng.choice(["X-Lab-Request-Id", "*", "x-lab-request-id, vary"])])
    return headers


def draw_raw(rng, repeat: int) -> dict:
    preflight_status = rng.choice([200, 200, 200, 204, 403, 500, 300, 302])
    preflight = {"status": preflight_status, "headers": draw_headers(rng, preflight=True, repeat=repeat)}
    if preflight_status == 302:
        preflight["headers"].append(["Location", "/elsewhere/"])
    raw = {"preflight": preflight,
           "response": {"status": rng.choice([200, 200, 201, 404, 500]), "headers": draw_headers(rng, preflight=False, repeat=repeat)},
           "redirect": None}
    if repeat == 1 and rng.random() < 0.3:
        raw["redirect"] = {"status": rng.choice([301, 302, 303, 307, 308]), "to": rng.choice(["api", "attacker"]),
                           "headers": draw_headers(rng, preflight=False, repeat=1)[:1]}
    return {"raw": raw}


def draw_case(rng) -> dict:
    case = draw_request(rng)
    case["repeat"] = rng.choice([1] * 8 + [2, 3])
    case["server"] = draw_cors(rng, case["repeat"]) if rng.random() < 0.45 else draw_raw(rng, case["repeat"])
    if case["method"] != case["method"].upper() and case["method"].upper() not in NORMALIZED:
        keep_lower_case_methods_at_the_preflight(case)
    return case


NORMALIZED = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}


def keep_lower_case_methods_at_the_preflight(case: dict):
    """nginx, the lab's front, answers a request whose method is not upper-case (patch, x-custom)
    with its own 400, before Django: a case whose preflight lets such a method through would show
    nginx, not the server the case describes. So the preflight never allows it: the lesson of a
    lower-case method (fetch() sends 'patch' as written, which a preflight allowing 'PATCH' does not
    allow) stays, and is checked."""
    method = case["method"]
    if "cors" in case["server"]:
        settings = case["server"]["cors"]
        if "CORS_ALLOW_METHODS" in settings:
            settings["CORS_ALLOW_METHODS"] = [m for m in settings["CORS_ALLOW_METHODS"] if m != method]
        return
    for pair in case["server"]["raw"]["preflight"]["headers"]:
        if pair[0] == "Access-Control-Allow-Methods" and (method in pair[1] or "*" in pair[1]):
            pair[1] = method.upper()


def playground_link(case: dict) -> str:
    return f"{lab.APP}/playground.html#case={quote(json.dumps(case))}"


@pytest.fixture
def playground_page(context, page):
    page.goto(lab.APP + "/playground.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.evaluate("() => window.playground.frames(['attacker', 'null'])")
    logs = [lab.NetworkLog(context, page)]
    # Each iframe of another site runs in its own process: DevTools sees its requests only there.
    for frame in page.frames[1:]:
        try:
            logs.append(lab.NetworkLog(context, frame))
        except Exception as error:  # noqa: BLE001  (an in-process frame: the page's session sees it)
            assert "does not have a separate CDP session" in str(error), error
    return page, logs


def disagreements(case: dict, run: dict, logs, is_this_case) -> list[str]:
    """Every way Chromium and the model differ on this case; [] when they agree."""
    if "invalid" in run:
        return [f"the generator drew a case the playground refuses: {run['invalid']}"]
    verdict, result, entries = run["verdict"], run["result"], run["entries"]
    if "chromium" not in verdict:
        return [f"no verdict ({run['verdictStatus']}): {verdict}"]
    model = verdict["chromium"]
    problems = []
    # DevTools' account is complete once it holds at least the requests the server received
    # (nginx refuses some before Django: DevTools may hold more), and the end of each.
    if not lab.wait_for_devtools(logs, is_this_case, requests=len(entries)):
        problems.append(f"DevTools did not report {len(entries)} request(s) and the end of each within {lab.WAIT_SECONDS} s")

    ledger_preflights = sum(1 for e in entries if e["kind"] == "preflight")
    # DevTools gives a preflight the type "Other"; an OPTIONS the page itself asked for is a "Fetch".
    devtools_preflights = sum(1 for log in logs for r in log.sent
                              if r["method"] == "OPTIONS" and r["type"] != "Fetch" and is_this_case(r["url"]))
    if not ledger_preflights == devtools_preflights == verdict["preflights_expected"]:
        problems.append(f"preflights: ledger {ledger_preflights}, DevTools {devtools_preflights}, "
                        f"model {verdict['preflights_expected']}")

    readable = not result["threw"] and result.get("type") != "opaque"
    if readable != model["readable"]:
        problems.append(f"readable: Chromium {readable} ({result.get('error') or result.get('type')}), "
                        f"model {model['readable']} ({model['reason']})")
    if (result.get("type") == "opaque") != (model["reason"] == "Opaque"):
        problems.append(f"opaque: Chromium {result.get('type')}, model {model['reason']}")

    cors_errors = {f["cors_error"] for log in logs for f in log.failed if f["cors_error"] and is_this_case(f["url"])}
    expected = set() if model["reason"] in NO_CORS_ERROR else {model["reason"]}
    if cors_errors != expected:
        problems.append(f"reason: Chromium {sorted(cors_errors)}, model {model['reason']} (failed at {model['failed_at']})")
    if model["failed_at"] == "request" and model["reason"] != "DisallowedByMode" and \
            "Failed to execute 'fetch'" not in (result.get("error") or ""):
        problems.append(f"fetch() should have refused the request itself: {result}")

    if readable and model["readable"]:
        if verdict["final_response_cut"]:
            problems.append("the ledger cut the final response's headers: the case's answers are too large")
        seen = set(result["headers"]) & set(verdict["final_response_headers"])
        if seen != set(model["readable_headers"]):
            problems.append(f"readable headers: Chromium {sorted(seen)}, model {sorted(model['readable_headers'])}")
    return problems


RUN_BATCH = "jobs => Promise.all(jobs.map(([c, runId, slot]) => window.playground.runCase(c, {runId, slot})))"


def test_model_agrees_with_chromium_on_random_cases(playground_page):
    page, logs = playground_page
    print(f"\nLAB_DIFF_SEED={SEED}")
    rng = random.Random(SEED)
    cases = [draw_case(rng) for _ in range(CASES)]
    runs = [lab.new_run_id("diff") for _ in range(0, CASES, CASES_PER_RUN)]
    jobs = [[case, runs[n // CASES_PER_RUN], n % CASES_PER_RUN] for n, case in enumerate(cases)]
    started = time.monotonic()
    failures = []
    for start in range(0, CASES, BATCH):
        batch = jobs[start:start + BATCH]
        for (case, run_id, slot), run in zip(batch, page.evaluate(RUN_BATCH, batch)):
            problems = disagreements(case, run, logs, lambda url: f"/playground/{slot}/" in url and f"run={run_id}" in url)
            if problems:
                failures.append(f"case {cases.index(case)}: {'; '.join(problems)}\n  case: {json.dumps(case)}\n"
                                f"  replay: LAB_DIFF_SEED={SEED}, or open {playground_link(case)}")
    print(f"{CASES} cases in {time.monotonic() - started:.1f} s (seed {SEED})")
    assert not failures, f"LAB_DIFF_SEED={SEED}: {len(failures)} of {CASES} cases disagree\n" + "\n".join(failures)


def test_screenshot_of_a_redirect_case_for_the_readme(page):
    """docs/playground-redirect.png: a PUT redirected (307) from the API to the attacker host,
    where the second preflight carries Origin: null. Written to test-results/docs/ for committing."""
    screenshot_of_the_redirect_case(page, "test-results/docs/playground-redirect.png")


def screenshot_of_the_redirect_case(page, path):
    """Runs the redirect case of docs/playground.md in the playground, checks its lesson, and photographs it
    (test_i18n.py takes the Japanese twin with this too)."""
    case = {"page": "app", "method": "PUT", "headers": [["X-Lab-Trace", "42"]], "body": '{"n": 1}',
            "content_type": "application/json", "credentials": "omit", "mode": "cors", "repeat": 1,
            "server": {"raw": {
                "preflight": {"status": 200, "headers": [["Access-Control-Allow-Origin", "*"],
                                                         ["Access-Control-Allow-Methods", "PUT"],
                                                         ["Access-Control-Allow-Headers", "content-type, x-lab-trace"]]},
                "response": {"status": 200, "headers": [["Access-Control-Allow-Origin", "{app}"]]},
                "redirect": {"status": 307, "to": "attacker", "headers": [["Access-Control-Allow-Origin", "*"]]}}}}
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(playground_link(case))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator('[data-action="run"]').click()
    area = page.get_by_test_id("result")
    expect(area).to_have_attribute("data-state", "done")
    verdict = area.get_by_test_id("verdict")
    # The lesson of the 307 hop: the second request says Origin: null, and the app origin is not 'null'.
    expect(verdict).to_have_attribute("data-reason", "AllowOriginMismatch")
    expect(verdict).to_have_attribute("data-agrees", "true")
    kinds = [entry["kind"] for entry in lab.ledger(area.get_attribute("data-run-id"))]
    assert kinds == ["preflight", "request", "preflight", "request"]
    area.locator("xpath=..").screenshot(path=path)
