"""The doctor against the lab's own browsers: for each layout the lab runs (the named backend
settings, with one of the lab's pages as the front), the article's six flows run in a real
browser, and what the browser did must be what the doctor predicted for that very layout and
settings, in two ways:

- from the settings: GET /api/doctor/lab/?front=<page>, the report of the running backend's own
  settings (the same judge_settings as `manage.py check --deploy` and the page);
- from the live API: the probe (cors_doctor/probe.py, from the mounted backend/), which sends the
  flows' requests to the lab from this container and judges the answers per engine.

Chromium runs in both third-party-cookie settings (lab.py, profiles.py); Firefox ESR and WebKitGTK
(engines.py) in the default setting and in the two cross-site settings where they part from Chromium
(samesite-none, cross-site-chips). The default setting's tests are marked `engines`: they also run
in the exact-hostname runs (scripts/exact-run.sh), on real-suffix names. Their
cookie rules are profiles fitted from observation (crossorigin/deployment/jars.py): these tests are
that observation, kept.
"""

import pytest

import engines
import lab  # first: it puts the mounted backend/ on the path
from cors_doctor import probe
from crossorigin.deployment.flows import FLOWS, layout_for, run
from crossorigin.deployment.jars import ENGINES, PROFILES
from crossorigin.deployment.recorded import RecordedApi

# The flows as the front page makes them (frontend/js/experiments.js, crossorigin/deployment/flows.py
# STEPS), one after another in one page; each step's outcome as the page saw it.
FLOWS_IN_PAGE = """async ({api, run, username, password}) => {
  const seen = {};
  const call = async (name, path, init) => {
    try {
      const response = await fetch(`${api}${path}?run=${run}-${name}`, init);
      const text = await response.text();
      let body = null;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      seen[name] = {readable: true, status: response.status, body};
    } catch (error) {
      seen[name] = {readable: false, error: String(error)};
    }
    return seen[name];
  };
  const json = (value) => JSON.stringify(value);
  await call("hello", "/api/hello/", {});
  await call("users", "/api/users/", {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: json({username: "doctor", email: "doctor@example.com"})});
  let csrf = await call("csrf", "/api/csrf/", {credentials: "include"});
  await call("login", "/api/login/", {method: "POST", credentials: "include",
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf.body?.csrfToken ?? ""},
    body: json({username, password})});
  await call("me", "/api/me/", {credentials: "include"});
  csrf = await call("logout-csrf", "/api/csrf/", {credentials: "include"});
  await call("logout", "/api/logout/", {method: "POST", credentials: "include",
    headers: {"X-CSRFToken": csrf.body?.csrfToken ?? ""}});
  const token = await call("token", "/api/token/", {method: "POST", headers: {"Content-Type": "application/json"},
                                                   body: json({username, password})});
  await call("protected", "/api/protected/", {headers: {Authorization: `Bearer ${token.body?.token ?? "none"}`}});
  return seen;
}"""
# flow -> its steps, as the page named them (the logout flow fetches its own token first).
PAGE_STEPS = {"simple-get": ("hello",), "json-post": ("users",), "session-login": ("csrf", "login"),
              "session-get": ("me",), "logout": ("logout-csrf", "logout"), "jwt-get": ("token", "protected")}
ROLES = {"app": lab.APP, "cross_site_app": lab.CROSS_SITE_APP, "sibling": lab.SIBLING}


def step_worked(name: str, outcome: dict) -> bool:
    """The page read a 2xx answer, and what the next step needs from it was there."""
    if not outcome["readable"] or not 200 <= outcome["status"] < 300:
        return False
    body = outcome["body"] or {}
    if name.endswith("csrf"):
        return bool(body.get("csrfToken"))
    if name == "token":
        return bool(body.get("token"))
    if name == "logout":
        return body.get("logged_out") is True  # the session cookie came with it: a session ended
    return True


def what_the_browser_did(engine, front: str) -> dict:
    """flow -> (works, the first step that failed), in this engine, from a page at `front`."""
    engine.open(front + "/")
    seen = engine.evaluate(FLOWS_IN_PAGE, {"api": lab.API, "run": lab.new_run_id("doctor"),
                                           "username": "alice", "password": lab.DEMO_PASSWORD})
    did = {}
    for flow, steps in PAGE_STEPS.items():
        failed = next((step for step in steps if not step_worked(step, seen[step])), None)
        did[flow] = (failed is None, failed and failed.removeprefix("logout-"))
    return did


def predicted(report: dict, engine: str) -> dict:
    return {flow["flow"]: (flow["works"], flow["step"]) for flow in report["flows"] if flow["engine"] == engine}


def settings_report(role: str) -> dict:
    status, report = lab.api_get(f"/api/doctor/lab/?front={role}")
    assert status == 200, report
    return report


def probe_report(role: str) -> dict:
    """The probe, from this container, against the running lab: every engine's flows."""
    layout = layout_for(ROLES[role], lab.API)
    client = probe.Client(layout.api, cafile=lab.CA_FILE, timeout=lab.WAIT_SECONDS)
    api = RecordedApi(layout, probe.record(layout, client, "X-CSRFToken", "alice", lab.DEMO_PASSWORD))
    assert api.judged_flows(FLOWS) == tuple(FLOWS)
    results = [result for engine in ENGINES for result in run(layout, api, engine)]
    return {"flows": [{"flow": r.flow, "engine": r.engine, "works": r.works, "step": r.step} for r in results]}


def assert_doctor_saw_it(engine, doctor_engine: str, role: str):
    did = what_the_browser_did(engine, ROLES[role])
    from_settings = predicted(settings_report(role), doctor_engine)
    assert did == from_settings, f"{doctor_engine} {engine.version}, front {role}: browser {did}, doctor {from_settings}"
    from_probe = predicted(probe_report(role), doctor_engine)
    assert did == from_probe, f"{doctor_engine} {engine.version}, front {role}: browser {did}, probe {from_probe}"
    return did


@pytest.fixture(params=["chromium", "chromium-3pc-blocked"])
def chromium(request, browser, allowing_browser):
    """(the doctor's name for the profile, a fresh Chromium context in it)."""
    engine = engines.Chromium(allowing_browser if request.param == "chromium" else browser)
    yield request.param, engine
    engine.close()


@pytest.mark.engines
@pytest.mark.parametrize("role", ["app", "sibling"])
def test_default_setting_in_chromium(chromium, role):
    name, engine = chromium
    did = assert_doctor_saw_it(engine, name, role)
    # The lesson itself, so that a model and a browser that agree on nothing useful still fail here.
    assert all(works for works, _ in did.values()) is (role == "app")


@pytest.mark.engines
@pytest.mark.parametrize("name", ["firefox", "webkit"])
def test_default_setting_in_firefox_and_webkit(name, browser, engine_versions):
    engine = engines.start(name, browser)
    engine_versions[engine.name] = engine.version
    try:
        did = assert_doctor_saw_it(engine, name, "app")
        # WebKitGTK refuses the API's host-only cookies where every host is a site of its own (a TLD
        # the Public Suffix List lacks, as .localhost), and keeps them on real-suffix names; Firefox
        # keeps them everywhere.
        webkit_keeps_them = lab.suffix_section(lab.API_HOST) is not None
        assert did["session-login"][0] is (name == "firefox" or webkit_keeps_them)
    finally:
        engine.close()


@pytest.mark.backend_setting("cross-site-lax")
def test_cross_site_lax_in_chromium(chromium):
    name, engine = chromium
    did = assert_doctor_saw_it(engine, name, "cross_site_app")
    assert did["session-login"] == (False, "login") and did["jwt-get"] == (True, None)


@pytest.mark.backend_setting("samesite-none")
@pytest.mark.parametrize("role", ["cross_site_app", "app"])
def test_samesite_none_in_chromium(chromium, role):
    name, engine = chromium
    did = assert_doctor_saw_it(engine, name, role)
    assert did["session-get"][0] is (role == "app" or name == "chromium")


@pytest.mark.backend_setting("samesite-none")
@pytest.mark.parametrize("name", ["firefox", "webkit"])
def test_samesite_none_in_firefox_and_webkit(name, browser):
    engine = engines.start(name, browser)
    try:
        did = assert_doctor_saw_it(engine, name, "cross_site_app")
        # Total Cookie Protection keeps the cross-site cookies in the front's jar; libsoup refuses them.
        assert did["session-get"][0] is (name == "firefox")
    finally:
        engine.close()


@pytest.mark.backend_setting("cross-site-chips")
def test_cross_site_chips_in_chromium(chromium):
    name, engine = chromium
    did = assert_doctor_saw_it(engine, name, "cross_site_app")
    assert did["session-get"] == (True, None)


@pytest.mark.backend_setting("cross-site-chips")
@pytest.mark.parametrize("name", ["firefox", "webkit"])
def test_cross_site_chips_in_firefox_and_webkit(name, browser):
    engine = engines.start(name, browser)
    try:
        did = assert_doctor_saw_it(engine, name, "cross_site_app")
        assert did["session-get"][0] is (name == "firefox")
    finally:
        engine.close()


@pytest.mark.engines
def test_the_firefox_profile_is_the_firefox_that_runs(browser):
    """The Firefox profile of the model names the preferences it was fitted under: they are read
    from the Firefox this suite runs, so that a Firefox shipped otherwise fails here first."""
    engine = engines.start("firefox", browser)
    try:
        prefs = {name: engine.chrome(f"return Services.prefs.getPrefType({name!r}) == Services.prefs.PREF_BOOL"
                                     f" ? Services.prefs.getBoolPref({name!r}) : Services.prefs.getIntPref({name!r}, -1)")
                 for name in ("network.cookie.cookieBehavior", "network.cookie.sameSite.laxByDefault",
                              "network.cookie.sameSite.noneRequiresSecure", "network.cookie.sameSite.schemeful",
                              "network.cookie.CHIPS.enabled")}
    finally:
        engine.close()
    profile = PROFILES["firefox"]
    assert prefs == {"network.cookie.cookieBehavior": 5, "network.cookie.sameSite.laxByDefault": profile.lax_by_default,
                     "network.cookie.sameSite.noneRequiresSecure": True,
                     "network.cookie.sameSite.schemeful": profile.schemeful,
                     "network.cookie.CHIPS.enabled": profile.partitioned_cookies}
    assert profile.third_party == "partitioned"
