"""The probe's requests against the playground's crafted answers: for random cases of the
playground's differential test (the same generator, another draw of LAB_DIFF_SEED), the probe
sends from this container what a browser would send, the Fetch model judges what it recorded,
and that verdict must equal both the playground's own verdict (the model on the ledger of
Chromium's run) and what Chromium did.

/playground/<slot>/<hop>/?s=<server JSON> answers as the case's server describes, whoever asks, so
the probe and Chromium meet the same server."""

import json
import random
from urllib.parse import quote

import lab  # first: it puts the mounted backend/ on the path
from cors_doctor import probe
from crossorigin.fetch import PageRequest, RecordedResponse, judge
from crossorigin.fetch.request import method_error, sent_headers
from test_playground_differential import SEED, draw_case, playground_page  # noqa: F401  (a fixture)

CASES = 48
RUN_BATCH = "jobs => Promise.all(jobs.map(([c, runId, slot]) => window.playground.runCase(c, {runId, slot})))"


def probe_can_send(case: dict) -> bool:
    """A CORS request from the app page, with no redirect and no repeat: what the probe sends (it
    follows no redirect, and has no preflight cache to repeat against)."""
    raw = case["server"].get("raw")
    request = PageRequest(lab.APP, case["method"], {}, case["credentials"], case["mode"])
    return (case["page"] == "app" and case["mode"] == "cors" and case["repeat"] == 1 and not (raw and raw["redirect"])
            and method_error(request) is None)


def checked(case: dict) -> dict:
    """The case with the playground's defaults, as the page runs it."""
    status, body = lab.api_get("/api/playground/check/?case=" + quote(json.dumps(case)))
    assert status == 200, body
    return body["case"]


def probe_verdict(case: dict, client, run_id: str, slot: int):
    """The probe's recording of the case's request, judged by the Fetch model for Chromium."""
    url = f"{lab.API}/playground/{slot}/0/?run={run_id}&s={quote(json.dumps(case['server']))}"
    headers = {}
    for name, value in case["headers"] + ([["Content-Type", case["content_type"]]] if case["content_type"] else []):
        headers.setdefault(name, []).append(value)
    request = PageRequest(lab.APP, case["method"], headers, case["credentials"], "cors", url)
    # What fetch() puts on the wire: forbidden names dropped, repeated names joined (as Chromium does).
    wire = {}
    for name, value in sent_headers(request):
        wire[name] = f"{wire[name]}, {value}" if name in wire else value
    body = case["body"].encode() if case["body"] is not None else None
    recording = probe.send_like_browser(client, request, wire, body)
    preflight = recording.preflight.response() if recording.preflight else None
    response = recording.response.response() if recording.response else RecordedResponse(0, {})
    return judge(request, preflight, response, engine="chromium"), recording


def test_the_probes_verdicts_are_the_models_and_chromiums(playground_page):
    page, _logs = playground_page
    rng = random.Random(SEED + 1)
    cases = []
    while len(cases) < CASES:
        case = draw_case(rng)
        if probe_can_send(case):
            cases.append(checked(case))
    client = probe.Client(lab.API, cafile=lab.CA_FILE, timeout=lab.WAIT_SECONDS)
    browser_run, probe_run = lab.new_run_id("doctor-diff"), lab.new_run_id("doctor-probe")
    failures = []
    for start in range(0, CASES, 12):
        batch = [[case, browser_run if start == 0 else f"{browser_run}-{start}", n] for n, case in enumerate(cases[start:start + 12])]
        for (case, run_id, slot), run in zip(batch, page.evaluate(RUN_BATCH, batch)):
            chromium = not run["result"]["threw"] and run["result"].get("type") != "opaque"
            model = run["verdict"]["chromium"]
            verdict, recording = probe_verdict(case, client, f"{probe_run}-{start}", slot)
            seen = {"probe": (verdict.readable, verdict.reason, recording.preflight is not None),
                    "model": (model["readable"], model["reason"], run["verdict"]["preflights_expected"] > 0),
                    "chromium": chromium}
            if not seen["probe"] == seen["model"] or verdict.readable != chromium:
                failures.append(f"{seen}\n  case: {json.dumps(case)}")
    assert not failures, f"LAB_DIFF_SEED={SEED}: {len(failures)} of {CASES} cases disagree\n" + "\n".join(failures)
