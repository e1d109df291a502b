"""The two browser profiles of the cookie experiments, both a real Chromium.

- third-party-cookies-blocked: a fresh context, as Chromium runs under Playwright here. Chrome
  with "Block third-party cookies", Safari, and Firefox's strict mode behave like it.
- third-party-cookies-allowed: a persistent profile whose preferences allow third-party cookies
  (profile.cookie_controls_mode = 0), as Chrome's default for people still does.

Which one a test runs under is part of the test's id, because the lesson changes with it.
"""

import json
import re

import pytest

import lab

PROFILES = ("third-party-cookies-blocked", "third-party-cookies-allowed")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"lab_report_{report.when}", report)


def allowing_profile_dir(path):
    (path / "Default").mkdir(parents=True)
    (path / "Default" / "Preferences").write_text(json.dumps({"profile": {"cookie_controls_mode": 0}}))
    return path


@pytest.fixture(params=PROFILES)
def profile(request, browser, playwright, tmp_path, pytestconfig):
    """(name, context) of one profile; screenshots, and the trace when pytest-playwright's
    --tracing asks for traces (pytest.ini), are kept when the test fails."""
    name = request.param
    if name == "third-party-cookies-blocked":
        context = browser.new_context()
    else:
        context = playwright.chromium.launch_persistent_context(
            allowing_profile_dir(tmp_path / "profile"), executable_path=lab.CHROMIUM,
            args=lab.CHROMIUM_ARGS, headless=True)
    tracing = pytestconfig.getoption("--tracing") != "off"
    if tracing:
        context.tracing.start(screenshots=True, snapshots=True)
    yield name, context

    report = getattr(request.node, "lab_report_call", None)
    if report is not None and report.failed:
        folder = pytestconfig.rootpath / "test-results" / re.sub(r"[^\w.-]+", "-", request.node.nodeid)
        folder.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(context.pages):
            page.screenshot(path=folder / f"page-{number}.png")
        if tracing:
            context.tracing.stop(path=folder / "trace.zip")
    elif tracing:
        context.tracing.stop()
    context.close()
