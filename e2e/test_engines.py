"""The lab's truth tables in three engines: Chromium, Firefox and WebKit (e2e/engines.py).

Every case runs through the lab's own pages, in each engine, and must match that engine's profile
in the models: backend/crossorigin/fetch/ for CORS (verdict[engine], and the engine's own
name for the reason where it tells one) and backend/crossorigin/cookies.py for cookies
(expected_by_engine). What each engine did is recorded (engines_report.py) and becomes
docs/engines.md and the app's engines page (make engines-doc).

Marked `engines`: scripts/run-e2e.sh runs them in an invocation of their own, beside the
Chromium default run, on the lab's .localhost names; an exact-hostname run (scripts/exact-run.sh)
runs them on real-suffix names, and those marked `sites` on a pair under a private suffix too.
"""

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

import engines
import lab

pytestmark = pytest.mark.engines

# The docs' picture of the table's key rows (README.md); test_i18n.py takes its Japanese twin.
SCREENSHOT = Path(__file__).parent / "test-results" / "docs" / "engines-key-rows.png"
KEY_ROWS = '[data-testid="engine-table"] .scroll >> nth=0'


@pytest.fixture(scope="session", params=engines.ENGINES)
def shared_engine(request, browser, engine_versions):
    """One engine per session, for cases that leave nothing behind (the CORS scenarios)."""
    engine = engines.start(request.param, browser)
    engine_versions[engine.name] = engine.version
    yield engine
    engine.close()


@pytest.fixture(params=engines.ENGINES)
def fresh_engine(request, browser, engine_versions):
    """A new profile: no cookie of an earlier test."""
    engine = engines.start(request.param, browser)
    engine_versions[engine.name] = engine.version
    yield engine
    engine.close()


def pytest_generate_tests(metafunc):
    if "scenario" in metafunc.fixturenames:
        scenarios = lab.scenario_catalogue()
        metafunc.parametrize("scenario", scenarios, ids=[s["slug"] for s in scenarios])


def test_scenario_outcome_matches_the_engine_profile(shared_engine, scenario, record_truth):
    engine, slug = shared_engine, scenario["slug"]
    engine.open_ready(lab.APP + "/scenarios.html")

    engine.click(f'button[data-run="{slug}"]')
    area = f'[data-result="{slug}"]'
    engine.wait_for_attribute(area, "data-state", "done")
    run_id = engine.attribute(area, "data-run-id")
    outcome = engine.attribute(f'{area} [data-testid="outcome"]', "data-outcome")
    error = engine.text(f'{area} [data-testid="outcome"] code')
    entries = lab.ledger(run_id)
    url = lab.scenario_url_part(run_id)
    reasons = sorted(set(engine.block_reasons(url, len(entries)))) if outcome == "blocked" else []
    warnings = sorted(set(engine.warnings(url)))
    record_truth(engine, f"cors/{slug}", outcome, " ".join(reasons + [f"warning: {w}" for w in warnings]) or error)

    predicted = lab.scenario_verdict(scenario, run_id)["engines"][engine.name]
    assert outcome == ("readable" if predicted["readable"] else "blocked"), predicted["why"]
    # The engine's own reason, where it tells one: Chromium's DevTools, Firefox's console.
    assert reasons == sorted(predicted["reported_as"]), predicted
    assert len(lab.preflights(entries)) == predicted["preflights_expected"]


def test_webkit_tells_the_page_nothing_but_load_failed(shared_engine):
    """What each engine puts in the TypeError a blocked fetch() rejects with."""
    result = shared_engine.fetch(lab.API + "/api/no-cors/hello/")
    assert result["threw"] is True
    assert result["error"] == {
        "chromium": "TypeError: Failed to fetch",
        "firefox": "TypeError: NetworkError when attempting to fetch resource.",
        "webkit": "TypeError: Load failed",
    }[shared_engine.name]


def run_matrix(engine) -> dict:
    """The cookies page's matrix, clicked through in one tab as a person would."""
    engine.open_ready(lab.APP + "/cookies.html")
    run_id = engine.text('[data-testid="run-id"]')
    engine.click('button[data-action="set-probes"]')
    engine.wait_for_attribute('button[data-action="set-probes"]', "data-state", "done")

    engine.open_ready(f"{lab.ATTACKER}/?run={run_id}")
    engine.click('button[data-action="run-probes"]')
    engine.wait_for_attribute('button[data-action="run-probes"]', "data-state", "done")
    engine.click('[data-link="navigate-probe"]')
    engine.wait_for_url(lab.API + "/api/cookies/probe/cross-site-navigation/")
    engine.open(f"{lab.ATTACKER}/form.html?target=probe&run={run_id}")
    engine.wait_for_url(lab.API + "/api/cookies/probe/cross-site-form-post/")

    engine.open_ready(f"{lab.APP}/cookies.html?run={run_id}")
    engine.click('button[data-action="show-matrix"]')
    engine.wait_for_attribute('button[data-action="show-matrix"]', "data-state", "done")
    # The one column the server cannot see: what the app page's own script read (cookies.js).
    seen = engine.evaluate("async (key) => sessionStorage.getItem(key)", f"document-cookie-{run_id}")
    query = urlencode({"run": run_id, "app_script_saw": ",".join(json.loads(seen or "[]"))})
    status, matrix = lab.api_get(f"/api/cookies/matrix/?{query}")
    assert status == 200, matrix
    return matrix


def app_and_api_are_one_site() -> bool:
    """What the API's site model (crossorigin/sites.py, the Public Suffix List) says of the app page
    and the API on the names the lab runs under."""
    status, config = lab.api_get("/api/config/")
    assert status == 200, config
    return config["relations"]["app"]["same_site"]


def test_samesite_matrix_matches_the_engine_profile(fresh_engine, record_truth):
    engine = fresh_engine
    if not app_and_api_are_one_site():
        pytest.skip(f"the matrix is the article's, an app and an API of one site; {lab.APP} and {lab.API} are two "
                    "(test_cookie_login_follows_the_site shows what that does)")

    matrix = run_matrix(engine)

    mismatches = []
    for row in matrix["rows"]:
        for cell in row["cells"]:
            assert cell["ran"], (row["probe"]["name"], cell["context"])
            predicted = cell["expected_by_engine"][engine.name]
            record_truth(engine, f"cookie/{row['probe']['name']}/{cell['context']}",
                         "sent" if cell["sent"] else "not sent", predicted["why"])
            if cell["sent"] != predicted["sent"]:
                mismatches.append((row["probe"]["name"], cell["context"], cell["sent"]))
    assert mismatches == []
    age = next(c for r in matrix["rows"] if r["probe"]["name"] == "probe_unspecified"
               for c in r["cells"] if c["context"] == "cross-site-form-post")["cookie_age_seconds"]
    assert age < matrix["lax_allowing_unsafe_seconds"]  # inside Chromium's window, as the model assumed


def test_attacker_can_never_read_me(shared_engine, record_truth):
    """The attack page's read of /api/me/: blocked in every engine, whatever the cookie did (so
    the shared engine will do: a fresh one costs Firefox a new process)."""
    engine = shared_engine
    engine.open_ready(lab.APP + "/cookies.html")
    run_id = engine.text('[data-testid="run-id"]')
    engine.open_ready(f"{lab.ATTACKER}/?run={run_id}")

    engine.click('button[data-attack="read-me"]')
    engine.wait_until(lambda: "fetch() threw TypeError" in engine.text('[data-seen="read-me"]'), "the attack's result")

    [entry] = [e for e in lab.ledger(run_id) if e["request"]["path"] == "/api/me/"]
    assert "access-control-allow-origin" not in entry["response"]["headers"]
    record_truth(engine, "attack/read-me", "blocked", " ".join(engine.block_reasons("/api/me/")))


def login_step(engine, step: str) -> dict:
    """Clicks one step of the app page's cookie login card: what the server received and answered."""
    engine.click(f'button[data-step="{step}"]')
    area = f'[data-result="{step}"]'
    engine.wait_for_attribute(area, "data-state", "done")
    run_id = engine.attribute(area, "data-run-id")
    [entry] = lab.requests_(lab.ledger(run_id))
    return {"run_id": run_id, "status": entry["response"]["status"], "cookies": entry["request"]["cookies"],
            "sec_fetch_site": entry["request"]["sec_fetch_site"],
            "set_cookies": {cookie["name"]: cookie for cookie in entry["response"]["set_cookies"]}}


def predicted_login(engine, one_site: bool, csrf_step: dict) -> dict:
    """Whether the login's cookies come back, as the models say. Django's csrftoken and sessionid are
    Lax and host-only (.env.example), set by the API in answer to the app page's fetch: the
    matrix's probe_host_only, whose cell for the app page's next fetch (same-site-fetch) the
    cookie model gives. On two sites that fetch is a cross-site one, where a Lax cookie never
    rides a fetch (RFC 6265bis, 5.8.3; nor is it stored, in Chromium)."""
    if not one_site:
        return {"sent": False, "why": "lax_not_top_level_get"}
    status, matrix = lab.api_get(f"/api/cookies/matrix/?run={csrf_step['run_id']}")
    assert status == 200, matrix
    [row] = [row for row in matrix["rows"] if row["probe"]["name"] == "probe_host_only"]
    assert (row["probe"]["samesite"], row["probe"]["shared_with_site"]) == ("Lax", False)
    [cell] = [cell for cell in row["cells"] if cell["context"] == "same-site-fetch"]
    return cell["expected_by_engine"][engine.name]


@pytest.mark.sites
def test_cookie_login_follows_the_site(shared_engine, record_truth):
    """The article's cookie login on the app page (a. GET /api/csrf/, b. POST /api/login/, c. GET
    /api/me/), and the Sec-Fetch-Site each request arrived with: on the names the lab runs under,
    whose sites the API's model reads from the Public Suffix List. It logs out at the end, so the
    shared engine's other tests see no session."""
    engine = shared_engine
    one_site = app_and_api_are_one_site()
    engine.open_ready(lab.APP + "/")
    engine.fill('#cookie-login [name="password"]', lab.DEMO_PASSWORD)

    steps = {step: login_step(engine, step) for step in ("csrf", "login", "me")}

    assert steps["csrf"]["set_cookies"]["csrftoken"]["samesite"] == "Lax"
    logged_in = steps["me"]["status"] == 200 and "sessionid" in steps["me"]["cookies"]
    predicted = predicted_login(engine, one_site, steps["csrf"])
    fetch_sites = {step["sec_fetch_site"] for step in steps.values()}
    record_truth(engine, "login/cookie-login", "logged in" if logged_in else "not logged in", predicted["why"])
    record_truth(engine, "site/app-to-api", " ".join(sorted(fetch_sites)), "Sec-Fetch-Site")
    if logged_in:
        assert login_step(engine, "logout")["status"] == 200
    assert fetch_sites == {"same-site" if one_site else "cross-site"}
    # The csrftoken came back with the login exactly when the model says it is kept; no login without it.
    assert ("csrftoken" in steps["login"]["cookies"]) is predicted["sent"]
    assert steps["login"]["status"] == (200 if predicted["sent"] else 403)
    assert logged_in is predicted["sent"]


def test_simple_get_is_readable_in_every_engine(shared_engine, record_truth):
    shared_engine.open_ready(lab.APP + "/")
    shared_engine.click('button[data-step="hello"]')
    shared_engine.wait_for_attribute('[data-result="hello"]', "data-state", "done")
    outcome = shared_engine.attribute('[data-result="hello"] [data-testid="outcome"]', "data-outcome")
    record_truth(shared_engine, "experiment/hello", outcome, "")
    assert outcome == "readable"


def test_engines_page_guesses_the_engine_and_runs_a_case_here(shared_engine):
    # Chromium photographs the table for the docs, which show the lab's own names.
    photograph = shared_engine.name == "chromium" and not lab.EXACT_RUN
    the_engines_page_runs_a_case_here(shared_engine, SCREENSHOT if photograph else None)


def the_engines_page_runs_a_case_here(engine, screenshot: Path | None = None):
    """Opens the engines page in the engine, checks its guess, runs a CORS case of the table's key
    rows here and compares it with the table. A Chromium engine photographs the key rows for the
    docs (screenshot: where to) before the run, whose result would stretch the last row."""
    engine.open_ready(lab.APP + "/engines.html")

    assert engine.attribute('[data-testid="your-engine"]', "data-engine") == engine.name
    assert engine.text(f'[data-version="{engine.name}"]').strip() != ""
    slug = "wildcard-headers-cover-authorization"
    # The committed table (make engines-doc) says what this engine did when the suite last ran.
    shown = engine.attribute(f'tr[data-case="cors/{slug}"] td:nth-of-type({engines.ENGINES.index(engine.name) + 1})',
                             "data-outcome")
    assert shown == "readable"
    if screenshot:
        lab.screenshot_for_the_docs(engine.page.locator(KEY_ROWS), screenshot)
    engine.click(f'button[data-run="{slug}"]')
    engine.wait_for_attribute(f'[data-result="{slug}"]', "data-state", "done")
    here = engine.attribute(f'[data-result="{slug}"] [data-testid="outcome"]', "data-outcome")
    assert here == shown
    # And the cases whose outcome the names change (.localhost against real-suffix names), one row each.
    changes = engine.evaluate("async () => (await (await fetch('/engines.json')).json()).name_changes.length")
    rows = engine.evaluate("async () => document.querySelectorAll('[data-testid=\"name-changes\"] tbody tr').length")
    assert rows == changes > 0
