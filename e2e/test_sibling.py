"""The same-site sibling (evil.lab.localhost) against the real API, in both browser profiles:
SameSite lets the session cookie through every time (same site, not third-party either), and
CORS, Django's Origin check and the CSRF token are what hold. Cookie tossing included."""

import re

import pytest
from playwright.sync_api import expect

import lab
from test_attacks import display_name, log_in, open_attack_page


def from_sibling(entries, path, method="GET"):
    return [e for e in entries if e["request"]["path"] == path and e["request"]["method"] == method
            and e["request"]["sec_fetch_site"] == "same-site" and e["request"]["origin"] in (lab.SIBLING, None)
            and e["kind"] == "request"]


def test_sibling_reads_nothing_though_samesite_sends_the_cookie(profile):
    _, context = profile
    app, run_id = log_in(context)
    sibling = open_attack_page(context, lab.SIBLING + "/", run_id)

    sibling.locator('button[data-attack="read-me"]').click()
    expect(sibling.locator('[data-seen="read-me"]')).to_contain_text("fetch() threw TypeError")
    for attack, kind in (("frame-me", "iframe"), ("image-me", "image")):
        sibling.locator(f'button[data-attack="{attack}"]').click()
        expect(sibling.locator('[data-seen="embed-me"]')).to_contain_text(kind)
    with sibling.expect_navigation():
        sibling.locator('[data-link="navigate-me"]').click()
    expect(sibling.locator("body")).to_contain_text('"username": "alice"')  # shown to the user, not the page

    entries = from_sibling(lab.ledger(run_id), "/api/me/")
    assert sorted(e["request"]["sec_fetch_dest"] for e in entries) == ["document", "empty", "iframe", "image"]
    for entry in entries:
        assert "sessionid" in entry["request"]["cookies"]  # SameSite did not stop it: same site
        assert "access-control-allow-origin" not in entry["response"]["headers"]
    app.bring_to_front()
    app.locator('button[data-action="show-attacks"]').click()
    sibling_rows = app.locator('tr:has(td[data-attacker="sibling"])')
    expect(sibling_rows).to_have_count(4)
    expect(sibling_rows.get_by_test_id("defence").first).to_contain_text("SameSite did not help")
    expect(app.locator('[data-relation="sibling"]')).to_have_text("same site, other origin, not trusted")


@pytest.mark.exclusive("display-name")
def test_cookie_tossing_meets_the_origin_check_and_the_host_prefix(profile):
    _, context = profile
    app, run_id = log_in(context)
    before = display_name(app)
    sibling = open_attack_page(context, lab.SIBLING + "/", run_id, ready="data-toss-ready")

    sibling.locator('button[data-action="toss"]').click()
    # The browser kept csrftoken for the whole site, and refused __Host- with a Domain.
    expect(sibling.locator('[data-seen="toss"]')).to_contain_text("refused by the browser")
    cookies = {(c["name"], c["domain"]) for c in context.cookies(lab.API)}
    assert ("csrftoken", ".lab.localhost") in cookies
    assert not any(name == "__Host-csrftoken" for name, _ in cookies)

    sibling.goto(f"{lab.SIBLING}/form.html?target=display-name&toss=1&run={run_id}")
    expect(sibling).to_have_url(re.compile(re.escape(lab.API) + "/api/display-name/"))
    [entry] = from_sibling(lab.ledger(run_id), "/api/display-name/", "POST")
    assert {"sessionid", "csrftoken"} <= set(entry["request"]["cookies"])
    assert entry["response"]["status"] == 403
    # The token matched the tossed cookie, but Django's Origin check came first and held.
    assert entry["response"]["error"]["reason"].startswith("Origin checking failed")
    assert display_name(app) == before
