"""The two browser profiles of the cookie experiments, both a real Chromium.

- third-party-cookies-blocked: a fresh context of the tests' own browser, which blocks them
  (lab.BLOCK_THIRD_PARTY_COOKIES). Chrome with "Block third-party cookies", Safari, and Firefox's
  strict mode behave like it.
- third-party-cookies-allowed: a fresh context of a second Chromium, launched without that switch,
  as Chrome's default for people still does.

Which one a test runs under is part of the test's id, because the lesson changes with it.
"""

import re

import pytest

import lab

PROFILES = ("third-party-cookies-blocked", "third-party-cookies-allowed")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"lab_report_{report.when}", report)


@pytest.fixture(scope="session")
def allowing_browser(playwright):
    """A Chromium that allows third-party cookies: one per test session, like `browser`."""
    browser = playwright.chromium.launch(**lab.CHROMIUM_LAUNCH, headless=True)
    yield browser
    browser.close()


@pytest.fixture(params=PROFILES)
def profile(request, browser, allowing_browser, pytestconfig):
    """(name, context) of one profile; screenshots, and the trace when pytest-playwright's
    --tracing asks for traces (pytest.ini), are kept when the test fails."""
    name = request.param
    context = lab.new_context(browser if name == "third-party-cookies-blocked" else allowing_browser)
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
