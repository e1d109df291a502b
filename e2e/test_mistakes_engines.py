"""Cookie scope in three engines (mistakes.html, card 1; e2e/engines.py), in the default setting:
the API's session and CSRF cookies are host-only (no Domain), so the browser gives them back to
api.lab.localhost alone. Neither the app's host nor the same-site sibling receives them (their
servers' own record, nginx/received-cookies.js), and neither page's script reads them.

What each engine is expected to do, and why:
- Chromium and Firefox keep the host-only csrftoken that the API sets in answer to the app's
  credentialed fetch, send it back with the login (200), and nowhere else.
- WebKitGTK refuses that cookie where the lab's names are under a TLD missing from the Public
  Suffix List (.localhost): it takes app.lab.localhost and api.lab.localhost for two sites, and
  keeps no host-only cookie an API sets in answer to another site's fetch (measured with WebKitGTK
  2.50.6; backend/crossorigin/cookies.py, host_is_its_own_site). So its login arrives without
  csrftoken and Django refuses it: "CSRF cookie not set." On real-suffix names (the exact-hostname
  runs, example.com) it keeps the cookie as the others do. It is no leak either way: no other host
  gets anything.
"""

import pytest

import engines
import lab
from mistakes_page import requests_to

pytestmark = pytest.mark.engines

WEBKIT_TAKES_EACH_HOST_FOR_A_SITE = lab.suffix_section(lab.API_HOST) is None
LOGIN_KEEPS_THE_CSRF_COOKIE = {"chromium": True, "firefox": True, "webkit": not WEBKIT_TAKES_EACH_HOST_FOR_A_SITE}
SESSION, CSRF = "sessionid", "csrftoken"


@pytest.fixture(params=engines.ENGINES)
def engine(request, browser, engine_versions):
    """A new profile of each engine: no cookie of an earlier test."""
    started = engines.start(request.param, browser)
    engine_versions[started.name] = started.version
    yield started
    started.close()


def run(engine, step: str) -> str:
    engine.click(f'button[data-step="{step}"]')
    engine.wait_for_attribute(f'[data-result="{step}"]', "data-state", "done")
    return engine.attribute(f'[data-result="{step}"]', "data-run-id")


def listed(engine, css: str, attribute: str) -> set[str]:
    return set(filter(None, (engine.attribute(css, attribute) or "").split(",")))


def test_host_only_cookies_go_back_to_the_api_alone_in_every_engine(engine):
    engine.open_ready(lab.APP + "/mistakes.html")
    engine.fill('#settings [name="password"]', lab.DEMO_PASSWORD)

    run_id = run(engine, "domain-login")
    [login] = requests_to(lab.ledger(run_id), "/api/login/")
    kept = LOGIN_KEEPS_THE_CSRF_COOKIE[engine.name]
    assert (CSRF in login["request"]["cookies"]) is kept, engine.name
    assert login["response"]["status"] == (200 if kept else 403)
    if not kept:
        assert login["response"]["error"]["reason"] == "CSRF cookie not set."

    run(engine, "domain-scope")
    assert not listed(engine, '[data-testid="document-cookie"]', "data-names") & {SESSION, CSRF}
    assert not listed(engine, '[data-testid="server-received"]', "data-names") & {SESSION, CSRF}
    engine.open(f"{lab.SIBLING}/?run={run_id}")
    engine.wait_for_attribute("body", "data-toss-ready", "true")
    engine.click('button[data-action="scope"]')
    engine.wait_for_attribute('[data-seen="scope"]', "data-state", "done")
    assert not listed(engine, '[data-seen="scope"]', "data-script") & {SESSION, CSRF}
    assert not listed(engine, '[data-seen="scope"]', "data-server") & {SESSION, CSRF}
