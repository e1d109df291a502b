"""The seed article's experiments, clicked through on the app page in a real Chromium.

Each test reads the outcome the page rendered, then checks it against what really happened: the
browser's own record (DevTools protocol) and the server's (the ledger).
"""

import base64
import json
import time

import pytest
from playwright.sync_api import expect

import lab


def run_step(page, step: str):
    """Clicks a step's button; returns its result area and the run id the page used."""
    page.locator(f'button[data-step="{step}"]').click()
    area = page.locator(f'[data-result="{step}"]')
    expect(area).to_have_attribute("data-state", "done")
    return area, area.get_attribute("data-run-id")


def expect_outcome(area, outcome: str, status: int | None = None):
    block = area.get_by_test_id("outcome")
    expect(block).to_have_attribute("data-outcome", outcome)
    if status is not None:
        expect(block).to_have_attribute("data-status", str(status))
    return block


@pytest.fixture
def experiments_page(page, network):
    page.goto(lab.APP + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def test_simple_get_is_readable_and_sends_no_preflight(experiments_page, network):
    area, run_id = run_step(experiments_page, "hello")

    expect_outcome(area, "readable", 200)
    expect(area.get_by_test_id("body")).to_contain_text("Hello from Django")
    expect(area.get_by_test_id("explanation")).to_contain_text("No preflight")
    entries = lab.ledger(run_id)
    assert [e["kind"] for e in entries] == ["request"]
    assert entries[0]["response"]["headers"]["access-control-allow-origin"] == lab.APP
    # Once DevTools has reported the end of the GET: a preflight would have been reported before.
    assert network.preflights_to(f"/api/hello/?run={run_id}") == []


def test_json_post_is_preflighted_then_stored(experiments_page, network):
    experiments_page.locator('#json-post [name="username"]').fill("hanako")

    area, run_id = run_step(experiments_page, "users")

    expect_outcome(area, "readable", 201)
    expect(area.get_by_test_id("call")).to_contain_text('method: "POST"')
    expect(area.get_by_test_id("call")).to_contain_text('body: JSON.stringify({"username":"hanako"')
    expect(area.get_by_test_id("body")).to_contain_text('"username": "hanako"')
    expect(area.get_by_test_id("explanation")).to_contain_text("preflight (OPTIONS)")
    entries = lab.ledger(run_id)
    assert [(e["kind"], e["request"]["method"]) for e in entries] == [("preflight", "OPTIONS"), ("request", "POST")]
    assert entries[0]["request"]["access_control_request_headers"] == "content-type"
    assert len(network.preflights_to(f"/api/users/?run={run_id}", requests=2)) == 1


def test_jwt_is_issued_decoded_and_accepted_as_bearer(experiments_page):
    experiments_page.locator('#jwt [name="password"]').fill(lab.DEMO_PASSWORD)

    area, _ = run_step(experiments_page, "token")
    expect_outcome(area, "readable", 200)
    expect(experiments_page.get_by_test_id("jwt-payload")).to_contain_text('"name": "alice"')
    expect(experiments_page.get_by_test_id("jwt-payload")).to_contain_text('"aud"')
    expect(experiments_page.get_by_test_id("jwt-decoded")).to_contain_text("expires in")  # 5 minutes

    area, run_id = run_step(experiments_page, "protected")
    expect_outcome(area, "readable", 200)
    expect(area.get_by_test_id("body")).to_contain_text('"username": "alice"')
    entries = lab.ledger(run_id)
    # Authorization is not a simple header: preflight first, then the GET carrying the token.
    assert [e["kind"] for e in entries] == ["preflight", "request"]
    assert entries[0]["request"]["access_control_request_headers"] == "authorization"
    assert entries[1]["request"]["authorization"] == "Bearer"


def test_tampered_jwt_is_refused_with_bad_signature(experiments_page):
    experiments_page.locator('#jwt [name="password"]').fill(lab.DEMO_PASSWORD)
    run_step(experiments_page, "token")

    experiments_page.locator('button[data-action="tamper"]').click()
    expect(experiments_page.get_by_test_id("jwt-payload")).to_contain_text('"name": "mallory"')
    area, run_id = run_step(experiments_page, "protected")

    expect_outcome(area, "readable", 401)
    expect(area.get_by_test_id("body")).to_contain_text('"error": "bad_signature"')
    # The server sent the Bearer challenge, but it is not exposed to the page's script.
    [entry] = lab.requests_(lab.ledger(run_id))
    assert entry["response"]["headers"]["www-authenticate"].startswith('Bearer realm="lab", error="invalid_token"')
    expect(area.get_by_test_id("headers")).not_to_contain_text("www-authenticate")


def test_expired_jwt_is_refused_as_expired(experiments_page):
    experiments_page.locator('#jwt [name="password"]').fill(lab.DEMO_PASSWORD)
    experiments_page.locator('#jwt [name="lifetime"]').select_option("5")
    area, _ = run_step(experiments_page, "token")
    expect(area.get_by_test_id("call")).to_contain_text('"lifetime_seconds":5')
    # The lifetime is read from the token the page decoded, not from how long the steps took:
    # "expires in" would depend on that (a slow machine may show the token already expired).
    claims = json.loads(experiments_page.get_by_test_id("jwt-payload").inner_text())
    assert claims["exp"] - claims["iat"] == 5

    # Until the token's own exp has passed on this clock (the backend's too: one kernel), and a
    # second more, since exp counts whole seconds. A slower machine only sends the request later.
    experiments_page.wait_for_timeout(max(0, claims["exp"] + 1 - time.time()) * 1000)
    area, run_id = run_step(experiments_page, "protected")

    expect_outcome(area, "readable", 401)
    expect(area.get_by_test_id("body")).to_contain_text('"error": "expired"')
    expect(experiments_page.get_by_test_id("jwt-decoded")).to_contain_text("expired")
    [entry] = lab.requests_(lab.ledger(run_id))
    assert 'error_description="expired"' in entry["response"]["headers"]["www-authenticate"]


def test_token_that_is_not_a_jwt_is_refused_as_malformed(experiments_page):
    experiments_page.locator('#jwt [name="token"]').fill("not-a-token")

    area, _ = run_step(experiments_page, "protected")

    expect_outcome(area, "readable", 401)
    expect(area.get_by_test_id("body")).to_contain_text('"error": "malformed"')


def test_cookie_login_me_and_logout(experiments_page):
    experiments_page.locator('#cookie-login [name="password"]').fill(lab.DEMO_PASSWORD)

    area, run_id = run_step(experiments_page, "csrf")
    expect_outcome(area, "readable", 200)
    masked = experiments_page.get_by_test_id("csrf-token").inner_text()
    assert len(masked) == 64
    [entry] = lab.ledger(run_id)
    assert [c["name"] for c in entry["response"]["set_cookies"]] == ["csrftoken"]

    area, run_id = run_step(experiments_page, "login")
    expect_outcome(area, "readable", 200)
    [entry] = lab.requests_(lab.ledger(run_id))
    assert "csrftoken" in entry["request"]["cookies"]
    session_cookie = next(c for c in entry["response"]["set_cookies"] if c["name"] == "sessionid")
    assert session_cookie["httponly"] is True and session_cookie["secure"] is True
    assert session_cookie["samesite"] == "Lax"
    # login() rotates the CSRF secret, and the page now holds the new token.
    expect(experiments_page.get_by_test_id("csrf-token")).not_to_have_text(masked)

    area, run_id = run_step(experiments_page, "me")
    expect_outcome(area, "readable", 200)
    expect(area.get_by_test_id("body")).to_contain_text('"username": "alice"')
    [entry] = lab.ledger(run_id)
    assert "sessionid" in entry["request"]["cookies"]

    area, run_id = run_step(experiments_page, "logout")
    expect_outcome(area, "readable", 200)
    [entry] = lab.requests_(lab.ledger(run_id))
    cleared = next(c for c in entry["response"]["set_cookies"] if c["name"] == "sessionid")
    assert cleared["cleared"] is True and cleared["max-age"] == 0
    expect(area.get_by_test_id("explanation")).to_contain_text("The server cleared: sessionid")

    area, run_id = run_step(experiments_page, "me")
    expect_outcome(area, "readable", 401)
    [entry] = lab.ledger(run_id)
    assert "sessionid" not in entry["request"]["cookies"]


def test_login_without_csrf_token_is_refused_with_403(experiments_page):
    experiments_page.locator('#cookie-login [name="password"]').fill(lab.DEMO_PASSWORD)
    run_step(experiments_page, "csrf")

    area, run_id = run_step(experiments_page, "login-without-token")

    expect_outcome(area, "readable", 403)
    expect(area.get_by_test_id("body")).to_contain_text('"error": "csrf_failed"')
    [entry] = lab.requests_(lab.ledger(run_id))
    assert entry["response"]["status"] == 403
    assert "sessionid" not in [c["name"] for c in entry["response"]["set_cookies"]]


def test_get_without_cors_headers_reaches_the_server_but_fetch_throws(experiments_page, network):
    area, run_id = run_step(experiments_page, "no-cors")

    expect_outcome(area, "blocked")
    expect(area.get_by_test_id("explanation")).to_contain_text("The server did answer (HTTP 200)")
    [entry] = lab.ledger(run_id)
    assert entry["response"]["status"] == 200
    assert "access-control-allow-origin" not in entry["response"]["headers"]
    assert network.cors_errors_for(f"/api/no-cors/hello/?run={run_id}") == ["MissingAllowOriginHeader"]


@pytest.mark.parametrize("path, readable", [("/api/hello/", True), ("/api/no-cors/hello/", False)])
def test_fetch_from_app_page_resolves_or_throws(app_page, path, readable):
    result = lab.fetch_in_page(app_page, lab.API + path)

    assert result["threw"] is (not readable)
    if not readable:
        assert result["error"] == "TypeError: Failed to fetch"


def test_attacker_origin_cannot_read_hello(page, network, run_id):
    page.goto(lab.ATTACKER + "/")

    result = lab.fetch_in_page(page, f"{lab.API}/api/hello/?run={run_id}")

    assert result["threw"] is True
    [entry] = lab.ledger(run_id)
    assert entry["request"]["origin"] == lab.ATTACKER
    assert entry["request"]["sec_fetch_site"] == "cross-site"
    assert entry["response"]["status"] == 200
    assert "access-control-allow-origin" not in entry["response"]["headers"]
    assert network.cors_errors_for(f"/api/hello/?run={run_id}") == ["MissingAllowOriginHeader"]


def test_app_to_api_is_same_site_for_the_browser(app_page, run_id):
    lab.fetch_in_page(app_page, f"{lab.API}/api/hello/?run={run_id}")

    [entry] = lab.ledger(run_id)
    assert entry["request"]["sec_fetch_site"] == "same-site"
    assert entry["request"]["origin"] == lab.APP


def test_oversized_bodies_meet_django_then_nginx(app_page, run_id):
    """Django refuses over 16 KiB with a JSON 413 the page can read; nginx refuses over 64 KiB
    before Django sees it, with no CORS headers, so the page only gets a TypeError."""
    post = lambda size: lab.fetch_in_page(app_page, f"{lab.API}/api/users/?run={run_id}", method="POST",
                                          headers={"Content-Type": "application/json"},
                                          body='{"username": "big", "email": "big@example.com", "pad": "'
                                               + "x" * size + '"}')

    over_django = post(20_000)
    over_nginx = post(100_000)

    assert over_django["threw"] is False and over_django["status"] == 413
    assert '"error": "body_too_large"' in over_django["body"]
    assert over_nginx["threw"] is True
    statuses = [e["response"]["status"] for e in lab.requests_(lab.ledger(run_id))]
    assert statuses == [413]  # only Django's refusal is in its own record
