"""The token lifecycles in three engines: Chromium, Firefox and WebKit (e2e/engines.py), clicked
through the lab's token page and the attacker's and sibling's token pages, and recorded in the
engine report (engines_report.py) like the other cross-engine cases.

Where the refresh cookie goes is predicted per engine by the lab's cookie model, which the API
applies to this cookie (GET /api/token/cookie/): WebKitGTK, for one, never stores a host-only
cookie that the API sets in answer to the app's fetch, so neither (b) nor the session works there.
(a) uses no cookie at all, and works alike everywhere.

Marked `engines`: scripts/run-e2e.sh runs them with the other cross-engine tests.
"""

import json

import pytest

import lab
from test_engines import app_and_api_are_one_site, fresh_engine  # noqa: F401  (the fixture: a new profile in each engine)

pytestmark = pytest.mark.engines

REFRESH_PATH = "/api/token/refresh/"
REFRESH_COOKIE = "refresh_token"
LAST_BODY = "async (css) => [...document.querySelectorAll(css)].at(-1)?.textContent ?? null"


def step(engine, name: str) -> tuple[str, dict]:
    """Clicks a step of the token page; its run id and the JSON of its last answer, once done."""
    area = f'[data-result="{name}"]'
    before = engine.attribute(area, "data-run-id")
    engine.click(f'button[data-step="{name}"]')
    engine.wait_until(lambda: engine.attribute(area, "data-run-id") != before
                      and engine.attribute(area, "data-state") == "done", f"the step {name}")
    return engine.attribute(area, "data-run-id"), json.loads(engine.evaluate(LAST_BODY, f'{area} [data-testid="body"]'))


def open_tokens_page(engine) -> str:
    engine.open_ready(lab.APP + "/tokens.html")
    engine.fill('[name="password"]', lab.DEMO_PASSWORD)
    return engine.text('[data-testid="run-id"]')


def the_request(run_id: str, origin: str | None = None) -> dict:
    [entry] = [e for e in lab.requests_(lab.ledger(run_id))
               if e["request"]["path"] == REFRESH_PATH and (origin is None or e["request"]["origin"] == origin)]
    return entry


def predicted(context: str, engine) -> dict:
    """{sent, why} for the refresh cookie in a context of the SameSite matrix, in this engine."""
    status, model = lab.api_get("/api/token/cookie/")
    assert status == 200, model
    [row] = [c for c in model["contexts"] if c["context"] == context]
    return row["expected_by_engine"][engine.name]


def test_a_retired_refresh_token_revokes_the_family_in_every_engine(fresh_engine, record_truth):
    engine = fresh_engine
    open_tokens_page(engine)
    step(engine, "a-login")
    step(engine, "a-refresh")

    _run, replayed = step(engine, "a-replay")
    _run, after = step(engine, "a-refresh")

    record_truth(engine, "tokens/a-replayed-refresh-token", replayed["error"], after["error"])
    assert (replayed["error"], replayed["family"]["revoked_because"]) == ("refresh_reused", "reuse")
    assert after["error"] == "family_revoked"


def test_the_refresh_cookie_goes_where_the_cookie_model_says_in_every_engine(fresh_engine, record_truth):
    engine = fresh_engine
    if not app_and_api_are_one_site():
        pytest.skip(f"the cookie model covers an app and an API of one site; {lab.APP} and {lab.API} are two "
                    "(test_cookie_login_follows_the_site shows what that does)")
    page_run = open_tokens_page(engine)
    step(engine, "b-login")

    # The app's own refresh: same site. The cookie, if the engine stored it, and Django's check.
    run_id, body = step(engine, "b-refresh")
    entry = the_request(run_id)
    sent = REFRESH_COOKIE in entry["request"]["cookies"]
    same_site = predicted("same-site-fetch", engine)
    record_truth(engine, "tokens/b-refresh-from-the-app", "sent" if sent else "not sent", same_site["why"])
    assert sent == same_site["sent"]
    # Without the cookies it did not store, an engine gets Django's 403: no csrftoken either.
    assert entry["response"]["status"] == (200 if sent else 403), body
    if not sent:
        assert entry["response"]["error"]["reason"] == "CSRF cookie not set."

    # Another site's fetch, and the sibling's: the cookie as the model says, the answer never read.
    for origin, context, case in ((lab.ATTACKER, "cross-site-fetch", "tokens/b-refresh-from-another-site"),
                                  (lab.SIBLING, "same-site-fetch", "tokens/b-refresh-from-the-sibling")):
        engine.open_ready(f"{origin}/token-attacks.html?run={page_run}")
        engine.click('button[data-attack="refresh-fetch"]')
        engine.wait_for_attribute('button[data-attack="refresh-fetch"]', "data-state", "done")
        seen = engine.text('[data-seen="refresh-fetch"]')
        attempt = the_request(page_run, origin)
        arrived = REFRESH_COOKIE in attempt["request"]["cookies"]
        expected = predicted(context, engine)
        record_truth(engine, case, "sent" if arrived else "not sent", expected["why"])
        assert "fetch() threw" in seen, seen
        assert arrived == expected["sent"]
        assert attempt["response"]["status"] == 403
        assert "access-control-allow-origin" not in attempt["response"]["headers"]
