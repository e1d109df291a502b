"""A forgotten credentials option (mistakes.html, card 3; docs/mistakes.md), in the default setting.

The Fetch standard: credentials defaults to "same-origin"; a request sends cookies ("include
credentials") only for "include", or for "same-origin" when the request is same-origin; and the
response's Set-Cookie is stored only when credentials were included (HTTP-network fetch). app to
api is cross-origin, so "same-origin" (the option left out) and "omit" both send no cookie and
keep none. With "include", the CORS check also asks for Access-Control-Allow-Credentials: true.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

import lab
from mistakes_page import open_mistakes, run_step
from test_experiments import expect_outcome

STEPS = ("csrf", "login", "me")
# The docs' picture of card 3 with step a's option left out (README.md); test_i18n.py takes its Japanese twin.
SCREENSHOT = Path(__file__).parent / "test-results" / "docs" / "mistakes-credentials.png"


def run_flow(page, modes: dict) -> dict:
    """Runs a, b and c with each step's credentials mode; step -> (area, its one ledger entry)."""
    open_mistakes(page)
    for name in STEPS:
        page.locator(f'#credentials select[name="{name}"]').select_option(modes.get(name, "include"))
    page.locator('button[data-step="credentials-flow"]').click()
    flow = {}
    for name in STEPS:
        area = page.locator(f'[data-result="credentials-{name}"]')
        expect(area).to_have_attribute("data-state", "done")
        [entry] = lab.requests_(lab.ledger(area.get_attribute("data-run-id")))
        flow[name] = area, entry
    return flow


def test_with_include_at_every_step_the_login_works(page):
    flow = run_flow(page, {})

    expect_outcome(flow["me"][0], "readable", 200)
    assert "sessionid" in flow["me"][1]["request"]["cookies"]


@pytest.mark.parametrize("mode", ["default", "omit"])
def test_without_include_on_the_csrf_fetch_its_cookie_is_thrown_away(context, page, mode):
    flow = the_csrf_cookie_thrown_away(context, page, mode)

    expect(flow["login"][0].get_by_test_id("explanation")).to_contain_text("Django's reason")
    if mode == "default":
        photograph_the_credentials_card(page, SCREENSHOT)


def photograph_the_credentials_card(page, path):
    """Card 3 from its top down to the refused login: step a's cookie thrown away, step b's 403."""
    lab.screenshot_for_the_docs(page.locator("#credentials"), path,
                                down_to=page.locator('[data-result="credentials-login"] [data-testid="explanation"]'))


def the_csrf_cookie_thrown_away(context, page, mode: str) -> dict:
    """Runs the flow with step a's credentials mode, checks that the login then fails and returns
    the flow (test_i18n.py photographs the Japanese card)."""
    flow = run_flow(page, {"csrf": mode})

    area, csrf = flow["csrf"]
    expect_outcome(area, "readable", 200)  # the token in the body is readable all the same
    assert csrf["request"]["cookies"] == []
    assert [c["name"] for c in csrf["response"]["set_cookies"]] == ["csrftoken"]  # sent, and not kept:
    assert not [c for c in context.cookies(lab.API) if c["name"] == "csrftoken"]
    area, login = flow["login"]
    expect_outcome(area, "readable", 403)
    assert "csrftoken" not in login["request"]["cookies"]
    assert login["response"]["error"]["reason"] == "CSRF cookie not set."
    expect_outcome(flow["me"][0], "readable", 401)
    return flow


def test_without_include_on_the_login_no_cookie_goes_with_it(page):
    flow = run_flow(page, {"login": "default"})

    area, login = flow["login"]
    expect_outcome(area, "readable", 403)
    assert login["request"]["cookies"] == []
    assert login["response"]["error"]["reason"] == "CSRF cookie not set."
    expect(area.get_by_test_id("explanation")).to_contain_text("No cookie reached the server")


def test_without_include_on_me_the_session_stays_home(context, page):
    flow = run_flow(page, {"me": "default"})

    expect_outcome(flow["login"][0], "readable", 200)
    assert any(c["name"] == "sessionid" for c in context.cookies(lab.API))  # the login's cookie was kept
    area, me = flow["me"]
    expect_outcome(area, "readable", 401)
    assert me["request"]["cookies"] == []
    expect(area.get_by_test_id("body")).to_contain_text('"error": "not_logged_in"')


def test_include_without_allow_credentials_sends_the_cookies_and_hides_the_answer(page, network):
    flow = run_flow(page, {})  # logged in: cookies to send
    assert flow["me"][1]["response"]["status"] == 200

    area, run_id = run_step(page, "credentials-no-acac")

    expect_outcome(area, "blocked")
    [entry] = lab.requests_(lab.ledger(run_id))
    assert {"sessionid", "csrftoken"} <= set(entry["request"]["cookies"])
    assert entry["response"]["status"] == 200
    assert entry["response"]["headers"]["access-control-allow-origin"] == lab.APP
    assert "access-control-allow-credentials" not in entry["response"]["headers"]
    assert network.cors_errors_for(f"run={run_id}") == ["InvalidAllowCredentials"]
    expect(area.get_by_test_id("explanation")).to_contain_text("CORS_ALLOW_CREDENTIALS = True")
