"""Cookie domains (mistakes.html, card 1; docs/mistakes.md): which hosts the browser gives the
API's session and CSRF cookies back to, who reads them, and what stops a sibling's tossing.

- default: host-only (no Domain, Django's default). Only the API gets them back.
- cookie-domain-site: SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = "lab.localhost". The app and the
  same-site sibling receive both, and their scripts read csrftoken (RFC 6265bis 5.6.3, "The Domain
  Attribute": a cookie with a Domain goes to every host that domain-matches it).
- csrf-cookie-hardened: CSRF_COOKIE_NAME = "__Host-csrftoken" and CSRF_COOKIE_HTTPONLY = True.
  RFC 6265bis 4.1.3.2: the browser keeps a __Host- cookie only Secure, Path=/ and host-only, so the
  sibling's tossed csrftoken is another cookie, which Django does not read. HttpOnly hides the
  cookie from every script, the API's own pages included (Django docs, CSRF_COOKIE_HTTPONLY).
- csrf-use-sessions: CSRF_USE_SESSIONS = True: no CSRF cookie at all (Django docs).

Each test reads what the server received from the ledger, and what a static host's server
received from that server (nginx/received-cookies.js).
"""

import re

import pytest
from playwright.sync_api import expect

import lab
from mistakes_page import names, open_mistakes, open_same_origin_page, requests_to, run_step, set_cookies, sibling_scope
from test_experiments import expect_outcome

SESSION, CSRF = "sessionid", "csrftoken"


def log_in_on_the_app(page):
    """Card 1, step a: GET /api/csrf/ then POST /api/login/, both credentials: "include"."""
    area, run_id = run_step(open_mistakes(page), "domain-login")
    expect_outcome(area, "readable", 200)
    entries = lab.ledger(run_id)
    [csrf] = requests_to(entries, "/api/csrf/")
    [login] = requests_to(entries, "/api/login/")
    return run_id, csrf, login


def test_host_only_cookies_go_back_to_the_api_alone(page):
    _, csrf, login = log_in_on_the_app(page)

    assert "domain" not in set_cookies(csrf)[CSRF]
    assert "domain" not in set_cookies(login)[SESSION]
    assert CSRF in login["request"]["cookies"]  # the API got its own cookie back
    area, _ = run_step(page, "domain-scope")
    assert not names(area, "document-cookie") & {SESSION, CSRF}
    assert not names(area, "server-received") & {SESSION, CSRF}
    # Django's docs' getCookie("csrftoken") finds nothing on another host: no X-CSRFToken at all.
    area, _ = run_step(page, "domain-cookie-login")
    expect_outcome(area, "readable", 403)
    expect(area.get_by_test_id("body")).to_contain_text('"reason": "CSRF token missing."')


def test_the_sibling_neither_receives_nor_reads_host_only_cookies(context, page):
    run_id, _, _ = log_in_on_the_app(page)

    _, script, server = sibling_scope(context, run_id)

    assert not script & {SESSION, CSRF}
    assert not server & {SESSION, CSRF}


@pytest.mark.backend_setting("cookie-domain-site")
def test_site_cookies_reach_the_app_whose_script_reads_the_token(page):
    _, csrf, login = log_in_on_the_app(page)

    assert set_cookies(csrf)[CSRF]["domain"] == "lab.localhost"
    assert set_cookies(login)[SESSION]["domain"] == "lab.localhost"
    area, _ = run_step(page, "domain-scope")
    assert CSRF in names(area, "document-cookie") and SESSION not in names(area, "document-cookie")  # HttpOnly
    assert {SESSION, CSRF} <= names(area, "server-received")
    area, run_id = run_step(page, "domain-cookie-login")
    expect_outcome(area, "readable", 200)
    expect(area.get_by_test_id("explanation")).to_contain_text("read from document.cookie")


@pytest.mark.backend_setting("cookie-domain-site")
def test_the_sibling_receives_both_and_reads_the_csrf_secret(context, page):
    run_id, _, _ = log_in_on_the_app(page)

    sibling, script, server = sibling_scope(context, run_id)

    assert {SESSION, CSRF} <= server
    assert CSRF in script and SESSION not in script
    # Not a token of its own: the very secret the API set, which the app's script reads too.
    secret_of = lambda p: re.search(r"(?:^|; )csrftoken=(\w+)", p.evaluate("document.cookie")).group(1)
    assert secret_of(sibling) == secret_of(page)


def toss_then_post_to_the_leak(context, run_id: str) -> dict:
    """The sibling tosses csrftoken for the whole site, then its form posts that token to the leak
    that trusts every subdomain (CSRF_TRUSTED_ORIGINS = ["https://*.lab.localhost"]), where the
    Origin check lets it through: only the token check is left to hold."""
    sibling = context.new_page()
    sibling.goto(f"{lab.SIBLING}/?run={run_id}")
    expect(sibling.locator("body")).to_have_attribute("data-toss-ready", "true")
    sibling.locator('button[data-action="toss"]').click()
    expect(sibling.locator('[data-seen="toss"]')).to_contain_text("csrftoken")
    sibling.goto(f"{lab.SIBLING}/form.html?target=leak-mistake&toss=1&run={run_id}")
    expect(sibling).to_have_url(re.compile("/leaks/csrf-subdomain-wildcard/mistake/display-name/"))
    [entry] = requests_to(lab.ledger(run_id), "/leaks/csrf-subdomain-wildcard/mistake/display-name/")
    return entry


@pytest.mark.exclusive("display-name")
@pytest.mark.backend_setting("csrf-cookie-hardened")
def test_a_host_prefixed_csrf_cookie_survives_the_tossing_sibling(context, page):
    run_id, csrf, _ = log_in_on_the_app(page)

    entry = toss_then_post_to_the_leak(context, run_id)

    assert entry["response"]["status"] == 403
    assert entry["response"]["error"]["reason"] == "CSRF token from POST incorrect."
    assert "__Host-csrftoken" in set_cookies(csrf)
    assert {SESSION, "__Host-csrftoken", CSRF} <= set(entry["request"]["cookies"])  # the tossed one too
    # And the tossed csrftoken shadows nothing: the app's own login still passes.
    area, _ = run_step(page, "domain-login")
    expect_outcome(area, "readable", 200)


@pytest.mark.backend_setting("csrf-cookie-hardened")
def test_an_httponly_csrf_cookie_is_hidden_from_the_apis_own_page(page):
    open_same_origin_page(page)

    area, _ = run_step(page, "same-origin-cookie-login")
    expect_outcome(area, "readable", 403)
    expect(area.get_by_test_id("body")).to_contain_text('"reason": "CSRF token missing."')
    # The token in GET /api/csrf/'s body still works: the way the lab's pages take.
    area, _ = run_step(page, "same-origin-login")
    expect_outcome(area, "readable", 200)


@pytest.mark.exclusive("display-name")
@pytest.mark.backend_setting("csrf-use-sessions")
def test_csrf_in_the_session_sets_no_cookie_and_ignores_a_tossed_one(context, page):
    run_id, csrf, _ = log_in_on_the_app(page)

    entry = toss_then_post_to_the_leak(context, run_id)

    assert entry["response"]["status"] == 403
    assert entry["response"]["error"]["reason"] == "CSRF token from POST incorrect."
    assert set(set_cookies(csrf)) == {SESSION}  # the session holds the CSRF secret
    assert {SESSION, CSRF} <= set(entry["request"]["cookies"])  # the tossed one, which Django ignores
