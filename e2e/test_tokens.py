"""The token lifecycles, side by side (frontend/tokens.html), in a real Chromium: (a) both tokens in
localStorage, (b) the access token in memory and the refresh token in an HttpOnly cookie, (c) the
session cookie. Refresh, logout and revocation of each; what a script injected into the app's
origin takes from each (the XSS stand-in, backend setting xss-stand-in-strict); what another site
and the same-site sibling can do to the refresh endpoint. Each outcome is read from what the
browser did (the page's fetch() result, its cookie jar, document.cookie) and from what the server
received (the ledger)."""

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

import lab

REFRESH_PATH = "/api/token/refresh/"
REFRESH_COOKIE = "refresh_token"
STORED = ("lab-token-access", "lab-token-refresh")
# The docs' picture of (a)'s replayed refresh token (README.md); test_i18n.py takes its Japanese twin.
SCREENSHOT = Path(__file__).parent / "test-results" / "docs" / "tokens-reuse-revokes-the-family.png"


def open_tokens_page(context, run_id: str | None = None):
    page = context.new_page()
    page.goto(lab.APP + "/tokens.html" + (f"?run={run_id}" if run_id else ""))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator('[name="password"]').fill(lab.DEMO_PASSWORD)
    return page


@pytest.fixture
def tokens_page(context):
    return open_tokens_page(context)


def step(page, name: str) -> tuple[object, str]:
    """Clicks a step; returns its area once this click's run is done, and that run's id."""
    area = page.locator(f'[data-result="{name}"]')
    before = area.get_attribute("data-run-id") or "none"
    page.locator(f'button[data-step="{name}"]').click()
    expect(page.locator(f'[data-result="{name}"][data-state="done"]:not([data-run-id="{before}"])')).to_have_count(1)
    return area, area.get_attribute("data-run-id")


def answer(area) -> tuple[int, dict]:
    """The status and JSON body of the step's last fetch(), as the page's script read it."""
    outcome = area.get_by_test_id("outcome").last
    expect(outcome).to_have_attribute("data-outcome", "readable")
    return int(outcome.get_attribute("data-status")), json.loads(area.get_by_test_id("body").last.inner_text())


def last_request(run_id: str, path: str) -> dict:
    return [e for e in lab.requests_(lab.ledger(run_id)) if e["request"]["path"] == path][-1]


def cookie_in_jar(context) -> dict | None:
    """The refresh cookie in the browser's jar. Asked for with a URL on its path: the jar gives
    the cookies that URL would carry, and a URL elsewhere in the API does not carry this one."""
    return next((c for c in context.cookies(lab.API + REFRESH_PATH) if c["name"] == REFRESH_COOKIE), None)


def post_from_elsewhere(path: str, body: dict) -> tuple[int, dict]:
    """A POST from Python: another machine, no browser, no cookie, no Origin."""
    request = urllib.request.Request(lab.API + path, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, context=lab.TLS, timeout=lab.WAIT_SECONDS) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


# --- (a) both tokens in localStorage ----------------------------------------------------------

def test_a_keeps_both_tokens_in_local_storage_and_a_retired_one_revokes_the_family(tokens_page):
    replay = a_retired_refresh_token_revokes_the_family(tokens_page)
    expect(replay.get_by_test_id("explanation")).to_contain_text("revoked the whole family")
    lab.screenshot_for_the_docs(replay, SCREENSHOT)


def a_retired_refresh_token_revokes_the_family(page):
    """(a): logs in, refreshes, sends the retired refresh token again and checks that the whole
    family went; returns the replay's area (test_i18n.py photographs the Japanese one)."""
    area, _ = step(page, "a-login")
    assert answer(area)[0] == 200
    expect(page.get_by_test_id("held-a")).to_have_attribute("data-stored", " ".join(STORED))
    first = page.evaluate("localStorage.getItem('lab-token-refresh')")

    area, run_id = step(page, "a-refresh")
    status, body = answer(area)
    assert status == 200 and body["family"]["refreshes"] == 1
    assert page.evaluate("localStorage.getItem('lab-token-refresh')") == body["refresh"] != first
    # The token rode in the body: no cookie went, and no CSRF token was needed.
    entry = last_request(run_id, REFRESH_PATH)
    assert entry["request"]["cookies"] == [] and entry["response"]["status"] == 200

    replay, run_id = step(page, "a-replay")
    status, body = answer(replay)
    assert (status, body["error"], body["family"]["revoked_because"]) == (401, "refresh_reused", "reuse")
    assert last_request(run_id, REFRESH_PATH)["response"]["error"]["code"] == "refresh_reused"
    # The newest token went with the family, and its access token too.
    area, _ = step(page, "a-refresh")
    assert answer(area)[1]["error"] == "family_revoked"
    area, _ = step(page, "a-me")
    assert answer(area)[1]["error"] == "family_revoked"
    return replay


def test_a_logout_revokes_the_family_yet_the_stateless_check_takes_the_access_token(tokens_page):
    page = tokens_page
    step(page, "a-login")
    area, _ = step(page, "a-me")
    assert answer(area)[1]["user"]["username"] == "alice"

    area, _ = step(page, "a-logout")
    status, body = answer(area)
    assert (status, body["logged_out"], body["family"]["revoked_because"]) == (200, True, "logout")
    expect(page.get_by_test_id("held-a")).to_have_attribute("data-stored", "")

    area, run_id = step(page, "a-me")
    assert answer(area)[1]["error"] == "family_revoked"
    assert last_request(run_id, "/api/token/me/")["request"]["authorization"] == "Bearer"
    area, _ = step(page, "a-protected")
    assert answer(area)[0] == 200  # GET /api/protected/ asks no denylist: good until exp


# --- (b) the refresh token in an HttpOnly cookie ------------------------------------------------

def test_b_keeps_the_refresh_token_in_an_httponly_cookie_sent_to_the_refresh_path_only(context, tokens_page):
    page = tokens_page
    area, run_id = step(page, "b-login")
    status, body = answer(area)
    assert status == 200 and "refresh" not in body
    [set_cookie] = [c for c in last_request(run_id, "/api/token/pair/")["response"]["set_cookies"]
                    if c["name"] == REFRESH_COOKIE]
    assert (set_cookie["httponly"], set_cookie["secure"], set_cookie["samesite"], set_cookie["path"]) == \
        (True, True, "Lax", REFRESH_PATH)
    # In the browser's jar, as the server set it; never in this page's document.cookie.
    jar = cookie_in_jar(context)
    assert (jar["httpOnly"], jar["secure"], jar["sameSite"], jar["path"]) == (True, True, "Lax", REFRESH_PATH)
    assert REFRESH_COOKIE not in [c["name"] for c in context.cookies(lab.API + "/api/me/")]
    assert REFRESH_COOKIE not in page.evaluate("document.cookie")
    expect(page.get_by_test_id("held-b")).to_have_attribute("data-memory", "access")

    area, run_id = step(page, "b-refresh")
    status, body = answer(area)
    assert status == 200 and body["family"]["refreshes"] == 1
    entry = last_request(run_id, REFRESH_PATH)
    assert {REFRESH_COOKIE, "csrftoken"} <= set(entry["request"]["cookies"])
    assert cookie_in_jar(context)["value"] != jar["value"]  # rotated
    area, _ = step(page, "b-me")
    assert answer(area)[0] == 200

    # A credentialed request elsewhere in the API: the csrftoken cookie goes, the refresh cookie not.
    _area, run_id = step(page, "c-me")
    cookies = last_request(run_id, "/api/me/")["request"]["cookies"]
    assert "csrftoken" in cookies and REFRESH_COOKIE not in cookies

    area, run_id = step(page, "b-logout")
    status, body = answer(area)
    assert (status, body["logged_out"]) == (200, True)
    [cleared] = [c for c in last_request(run_id, "/api/token/refresh/revoke/")["response"]["set_cookies"]
                 if c["name"] == REFRESH_COOKIE]
    assert cleared["cleared"] is True and cleared["path"] == REFRESH_PATH
    assert cookie_in_jar(context) is None
    area, _ = step(page, "b-me")
    assert answer(area)[1]["error"] == "family_revoked"
    area, _ = step(page, "b-protected")
    assert answer(area)[0] == 200


def test_b_a_copy_of_the_refresh_cookie_replayed_elsewhere_revokes_the_family(context, tokens_page):
    page = tokens_page
    step(page, "b-login")
    copied = cookie_in_jar(context)["value"]  # malware, DevTools: HttpOnly keeps only scripts out
    area, _ = step(page, "b-refresh")
    assert answer(area)[0] == 200

    status, body = post_from_elsewhere(REFRESH_PATH, {"refresh": copied})

    assert (status, body["error"]) == (401, "refresh_reused")
    area, run_id = step(page, "b-refresh")
    assert answer(area)[1]["error"] == "family_revoked"
    assert REFRESH_COOKIE in last_request(run_id, REFRESH_PATH)["request"]["cookies"]


def test_b_refresh_without_the_csrf_token_is_refused_by_django(tokens_page):
    page = tokens_page
    step(page, "b-login")
    run_id = lab.new_run_id("tokens")

    result = lab.fetch_in_page(page, f"{lab.API}{REFRESH_PATH}?run={run_id}", method="POST", credentials="include")

    assert result["status"] == 403 and json.loads(result["body"])["reason"].startswith("CSRF cookie not set")
    entry = last_request(run_id, REFRESH_PATH)
    assert REFRESH_COOKIE in entry["request"]["cookies"]  # the cookie alone is not enough
    area, _ = step(page, "b-me")
    assert answer(area)[1]["family"]["refreshes"] == 0


# --- (c) the session cookie ---------------------------------------------------------------------

def test_c_session_lives_on_the_server_until_logout(tokens_page):
    page = tokens_page
    area, _ = step(page, "c-login")
    assert answer(area)[0] == 200
    area, run_id = step(page, "c-me")
    assert answer(area)[1]["user"]["username"] == "alice"
    assert "sessionid" in last_request(run_id, "/api/me/")["request"]["cookies"]
    assert "sessionid" not in page.evaluate("document.cookie")

    area, _ = step(page, "c-logout")
    assert answer(area)[1]["logged_out"] is True
    area, _ = step(page, "c-me")
    assert answer(area)[1]["error"] == "not_logged_in"


# --- A script injected into the app's origin -----------------------------------------------------

def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, context=lab.TLS, timeout=lab.WAIT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_xss_stand_in_is_not_served_unless_switched_on(tokens_page):
    expect(tokens_page.get_by_test_id("xss-switch")).to_have_attribute("data-on", "false")
    expect(tokens_page.locator('[data-link="xss"]')).to_be_hidden()
    assert fetch_status(lab.APP + "/xss.html") == 404
    assert fetch_status(lab.APP + "/js/xss-stand-in.js") == 404


def open_injected_page(context, tokens_page):
    link = tokens_page.locator('[data-link="xss"]')
    expect(link).to_be_visible()
    page = context.new_page()
    page.goto(lab.APP + link.get_attribute("href"))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page, re.search(r"run=([\w-]+)", link.get_attribute("href")).group(1)


@pytest.mark.backend_setting("xss-stand-in-strict")
def test_the_injected_script_takes_a_uses_b_and_rides_c(context, tokens_page):
    page = tokens_page
    for name in ("a-login", "b-login", "c-login"):
        step(page, name)
    stored_refresh = page.evaluate("localStorage.getItem('lab-token-refresh')")

    injected, run_id = open_injected_page(context, page)

    # (a) Read, so taken.
    took_a = injected.locator('[data-took="a"]')
    expect(took_a).to_have_attribute("data-outcome", "stolen")
    assert json.loads(injected.get_by_test_id("local-storage").inner_text())["lab-token-refresh"] == stored_refresh
    # (b) Not readable: the cookie is in the jar, HttpOnly, and absent from document.cookie. Used.
    took_b = injected.locator('[data-took="b"]')
    expect(took_b).to_have_attribute("data-outcome", "used")
    expect(took_b).to_have_attribute("data-cookie-visible", "false")
    assert cookie_in_jar(context)["httpOnly"] is True
    refresh = last_request(run_id, REFRESH_PATH)
    assert refresh["request"]["origin"] == lab.APP and REFRESH_COOKIE in refresh["request"]["cookies"]
    assert refresh["response"]["status"] == 200
    assert refresh["response"]["headers"]["access-control-allow-origin"] == lab.APP  # and it read the answer
    assert last_request(run_id, "/api/token/me/")["response"]["status"] == 200
    # (c) Not readable either, and ridden.
    expect(injected.locator('[data-took="c"]')).to_have_attribute("data-outcome", "rode")
    me = last_request(run_id, "/api/me/")
    assert "sessionid" in me["request"]["cookies"] and me["response"]["status"] == 200

    # Rotation did not notice: the script used the same cookie jar as the page, so the page's
    # next refresh sends the token the script's refresh set, the live one.
    page.bring_to_front()
    area, _ = step(page, "b-refresh")
    status, body = answer(area)
    assert (status, body["family"]["refreshes"]) == (200, 2)
    page.locator('button[data-action="show-xss"]').click()
    expect(page.get_by_test_id("xss-ledger").locator('tr[data-kind="request"]')).to_have_count(4)


@pytest.mark.backend_setting("xss-stand-in-strict")
def test_a_refresh_token_taken_by_the_injected_script_and_used_elsewhere_revokes_the_family(context, tokens_page):
    page = tokens_page
    step(page, "a-login")
    injected, _run = open_injected_page(context, page)

    injected.locator('button[data-action="use-stolen"]').click()
    expect(injected.get_by_test_id("use-stolen")).to_have_attribute("data-status", "200")

    page.bring_to_front()
    area, _ = step(page, "a-refresh")
    status, body = answer(area)
    assert (status, body["error"]) == (401, "refresh_reused")
    # Revoked, the thief's tokens with the user's: the family's access token is refused too.
    area, _ = step(page, "a-me")
    assert answer(area)[1]["error"] == "family_revoked"


# --- Another site, and the same-site sibling ----------------------------------------------------

def open_attack_page(context, origin: str, run_id: str):
    page = context.new_page()
    page.goto(f"{origin}/token-attacks.html?run={run_id}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def attempts(run_id: str, origin: str) -> dict[str, dict]:
    """The run's requests from `origin`'s page to the refresh path, by what made them."""
    found = {}
    for entry in lab.ledger(run_id):
        request = entry["request"]
        if request["path"] != REFRESH_PATH or request["origin"] not in (origin, None):
            continue
        kind = ("json" if entry["kind"] == "preflight" else "link" if request["method"] == "GET"
                else "form" if request["sec_fetch_mode"] == "navigate" else "fetch")
        found[kind] = entry
    return found


def run_the_attempts(context, origin: str, run_id: str):
    attacker = open_attack_page(context, origin, run_id)
    for attack in ("refresh-fetch", "refresh-json"):
        attacker.locator(f'button[data-attack="{attack}"]').click()
        expect(attacker.locator(f'[data-seen="{attack}"]')).to_contain_text("fetch() threw TypeError")
    with attacker.expect_navigation():
        attacker.locator('[data-link="refresh-link"]').click()
    expect(attacker.locator("body")).to_contain_text('"error": "method_not_allowed"')
    attacker = open_attack_page(context, origin, run_id)
    with attacker.expect_navigation():
        attacker.locator('button[data-attack="refresh-form"]').click()
    expect(attacker.locator("body")).to_contain_text('"error": "csrf_failed"')  # shown to the user


# Which attempt carries the refresh cookie, by the cookie's SameSite (the session cookie's, from
# .env) and the browser profile: a fetch from another site is a third-party request, the link and
# the form are top-level (first-party) navigations.
@pytest.mark.parametrize("samesite", [
    pytest.param("Lax"),
    pytest.param("None", marks=pytest.mark.backend_setting("samesite-none")),
    pytest.param("Strict", marks=pytest.mark.backend_setting("xss-stand-in-strict")),
])
def test_another_site_can_make_the_browser_send_the_refresh_cookie_never_rotate_or_read(profile, samesite):
    name, context = profile
    page = open_tokens_page(context)
    step(page, "b-login")
    run_id = page.get_by_test_id("run-id").inner_text()

    run_the_attempts(context, lab.ATTACKER, run_id)

    found = attempts(run_id, lab.ATTACKER)
    assert set(found) == {"fetch", "json", "link", "form"}
    expected = {"fetch": samesite == "None" and name == "third-party-cookies-allowed",
                "link": samesite in ("Lax", "None"), "form": samesite == "None"}
    assert {kind: REFRESH_COOKIE in found[kind]["request"]["cookies"] for kind in expected} == expected
    for kind in ("fetch", "form"):
        assert found[kind]["response"]["status"] == 403
        assert found[kind]["response"]["error"]["reason"].startswith(f"Origin checking failed - {lab.ATTACKER}")
    assert found["link"]["response"]["status"] == 405
    assert found["json"]["kind"] == "preflight"
    assert "access-control-allow-origin" not in found["json"]["response"]["headers"]
    # The server's side, on the app: each attempt with what happened, in the server's words.
    page.bring_to_front()
    page.locator('button[data-action="show-attempts"]').click()
    table = page.get_by_test_id("attempts")
    expect(table.locator("tr[data-attacker='cross-site']")).to_have_count(4)
    expect(table.locator('tr[data-kind="preflight"]')).to_contain_text("never sent the request itself")
    fetch_row = table.locator('tr[data-kind="request"][data-mode="cors"]')
    expect(fetch_row).to_have_attribute("data-cookie-arrived", str(expected["fetch"]).lower())
    expect(fetch_row).to_contain_text("Django's CSRF check refused it")
    # Nothing was rotated or revoked: the page's own refresh still works, on the first refresh.
    area, _ = step(page, "b-refresh")
    assert answer(area)[1]["family"]["refreshes"] == 1


def test_the_sibling_gets_the_cookie_through_samesite_and_meets_the_origin_check(profile):
    _name, context = profile
    page = open_tokens_page(context)
    step(page, "b-login")
    run_id = page.get_by_test_id("run-id").inner_text()

    run_the_attempts(context, lab.SIBLING, run_id)

    found = attempts(run_id, lab.SIBLING)
    for kind in ("fetch", "form", "link"):
        assert found[kind]["request"]["sec_fetch_site"] == "same-site"
        assert REFRESH_COOKIE in found[kind]["request"]["cookies"], kind  # SameSite did not stop it
    for kind in ("fetch", "form"):
        assert found[kind]["response"]["error"]["reason"].startswith(f"Origin checking failed - {lab.SIBLING}")
    page.bring_to_front()
    page.locator('button[data-action="show-attempts"]').click()
    expect(page.get_by_test_id("attempts").locator('tr[data-attacker="sibling"][data-kind="request"][data-mode="cors"]')
           ).to_contain_text("SameSite never stops a cookie here")
    area, _ = step(page, "b-refresh")
    assert answer(area)[1]["family"]["refreshes"] == 1
