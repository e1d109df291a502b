"""The cross-site deployment (LAB_DEPLOYMENT=cross-site, docs/cross-site.md): the
article's cookie login run from the app page on another site than the API (lab.CROSS_SITE_APP),
in both browser profiles, under each cookie setting; then the ways out. Each step is clicked on the
page as a person would; what is asserted is what the browser did (the page could read the answer
or not) and what the server received (the ledger: which cookies arrived, what it answered)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

import lab
from test_experiments import run_step

# The docs' picture of the deployment card (not of the login card: its calls show the password),
# and its Japanese twin (make screenshots).
SCREENSHOT = Path(__file__).parent / "test-results" / "docs" / "cross-site-deployment.png"
JAPANESE_SCREENSHOT = Path(__file__).parent / "test-results" / "screenshots" / "ja" / "cross-site-deployment.png"


def open_experiments(context, origin: str, api: str = "api-host"):
    page = context.new_page()
    page.goto(origin + "/" + ("?api=same-origin" if api == "same-origin" else ""))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def run_steps(page, *steps: str) -> dict:
    """Clicks each step; step -> what the page got and what the server recorded of the request."""
    seen = {}
    for step in steps:
        area, run_id = run_step(page, step)
        [entry] = lab.requests_(lab.ledger(run_id))
        seen[step] = {
            "readable": area.get_by_test_id("outcome").get_attribute("data-outcome") == "readable",
            "status": entry["response"]["status"],
            "sec_fetch_site": entry["request"]["sec_fetch_site"],
            "cookies": entry["request"]["cookies"],
            "set_cookies": {cookie["name"]: cookie for cookie in entry["response"]["set_cookies"]},
        }
    return seen


def cookie_login(context, origin: str, api: str = "api-host") -> tuple[object, dict]:
    """The cookie login card: a. GET /api/csrf/, b. POST /api/login/, c. GET /api/me/."""
    page = open_experiments(context, origin, api)
    page.locator('#cookie-login [name="password"]').fill(lab.DEMO_PASSWORD)
    return page, run_steps(page, "csrf", "login", "me")


def logged_in(seen: dict) -> bool:
    """The session cookie arrived on /api/me/, and the server knew alice by it."""
    return seen["me"]["status"] == 200 and "sessionid" in seen["me"]["cookies"]


@pytest.mark.backend_setting("cross-site-lax")
def test_under_lax_the_cross_site_cookie_login_fails_and_each_way_out_works(profile):
    _, context = profile

    page, cross_site = cookie_login(context, lab.CROSS_SITE_APP)
    assert {step["sec_fetch_site"] for step in cross_site.values()} == {"cross-site"}
    # CORS is not the problem: the API trusts this origin, the page reads every answer...
    assert all(step["readable"] for step in cross_site.values())
    # ...but the csrftoken the API set (SameSite=Lax) in answer to a cross-site fetch was never
    # stored, so the login arrives without it and Django refuses it; no session follows.
    assert cross_site["csrf"]["set_cookies"]["csrftoken"]["samesite"] == "Lax"
    assert "csrftoken" not in cross_site["login"]["cookies"]
    assert cross_site["login"]["status"] == 403
    assert not logged_in(cross_site)
    assert cross_site["me"]["status"] == 401
    # The page knows which deployment runs, and that it is the cross-site page.
    expect(page.locator("body")).to_have_attribute("data-deployment", "cross-site")
    expect(page.locator("body")).to_have_attribute("data-page-site", "cross-site")
    if profile[0] == "third-party-cookies-blocked":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.locator("#deployment").screenshot(path=SCREENSHOT)

    # Way out 1: the same-site layout. The same page on a subdomain of the API's site.
    _, same_site = cookie_login(context, lab.APP)
    assert same_site["me"]["sec_fetch_site"] == "same-site"
    assert logged_in(same_site)

    # Way out 2: the cross-site app calls its own /api/, proxied by nginx: same-origin, so the
    # Lax cookies are first-party (host-only on the app's host). Django needed only ALLOWED_HOSTS.
    _, proxied = cookie_login(context, lab.CROSS_SITE_APP, api="same-origin")
    assert {step["sec_fetch_site"] for step in proxied.values()} == {"same-origin"}
    assert proxied["login"]["status"] == 200
    assert proxied["login"]["set_cookies"]["sessionid"]["samesite"] == "Lax"
    assert "domain" not in proxied["login"]["set_cookies"]["sessionid"]
    assert logged_in(proxied)

    # Way out 3: a JWT as a Bearer token, from the cross-site page: no cookie is involved at all.
    page = open_experiments(context, lab.CROSS_SITE_APP)
    page.locator('#jwt [name="password"]').fill(lab.DEMO_PASSWORD)
    token = run_steps(page, "token", "protected")
    assert token["protected"]["sec_fetch_site"] == "cross-site"
    assert token["protected"]["readable"] and token["protected"]["status"] == 200
    assert token["protected"]["cookies"] == []


@pytest.mark.backend_setting("samesite-none")
def test_under_none_the_cross_site_cookie_login_works_only_with_third_party_cookies(profile):
    name, context = profile
    allowed = name == "third-party-cookies-allowed"

    _, cross_site = cookie_login(context, lab.CROSS_SITE_APP)

    assert all(step["readable"] for step in cross_site.values())
    assert cross_site["csrf"]["set_cookies"]["csrftoken"]["samesite"] == "None"
    # Blocked: the browser refuses the third-party csrftoken, so the login is a 403 and no
    # session cookie ever exists. Allowed: the login works and sessionid rides /api/me/.
    assert ("csrftoken" in cross_site["login"]["cookies"]) is allowed
    assert cross_site["login"]["status"] == (200 if allowed else 403)
    assert logged_in(cross_site) is allowed


@pytest.mark.backend_setting("cross-site-chips")
def test_partitioned_cookies_log_in_cross_site_even_with_third_party_cookies_blocked(profile):
    _, context = profile

    _, cross_site = cookie_login(context, lab.CROSS_SITE_APP)

    assert all(step["readable"] for step in cross_site.values())
    session_cookie = cross_site["login"]["set_cookies"]["sessionid"]
    # Python 3.14's Morsel has a partitioned key; the image's 3.11 writes it after SameSite.
    assert session_cookie.get("partitioned") is True or "Partitioned" in session_cookie["samesite"]
    assert "csrftoken" in cross_site["login"]["cookies"]
    assert logged_in(cross_site)
    # The cookie lives in the cross-site app's partition: under another top-level site (the
    # same-site app page) the API receives no session at all.
    same_site = run_steps(open_experiments(context, lab.APP), "me")
    assert same_site["me"]["status"] == 401
    assert "sessionid" not in same_site["me"]["cookies"]


@pytest.mark.backend_setting("cross-site-lax")
def test_the_preset_still_refuses_every_attacker(page, run_id):
    """No regression: the preset trusts the cross-site app, and nobody else."""
    pages = {"attacker": lab.ATTACKER + "/", "sibling": lab.SIBLING + "/",
             **{kind: origin + "/leaks.html" for kind, origin in lab.LOOKALIKES.items()}}
    for who, url in pages.items():
        page.goto(url)
        result = lab.fetch_in_page(page, f"{lab.API}/api/me/?run={run_id}-{who}", credentials="include")
        assert result["threw"], (who, result)
        [entry] = lab.ledger(f"{run_id}-{who}")
        assert "access-control-allow-origin" not in entry["response"]["headers"], who


def test_the_cross_site_page_says_the_api_does_not_trust_it_in_the_same_site_deployment(page):
    page.goto(lab.CROSS_SITE_APP + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    # Its own /api/config/ request is refused by CORS: the page knows no deployment.
    expect(page.locator("body")).to_have_attribute("data-deployment", "unknown")
    expect(page.get_by_test_id("deployment-state")).to_contain_text("LAB_DEPLOYMENT=cross-site")


@pytest.mark.backend_setting("cross-site-lax")
@pytest.mark.skipif(os.environ.get("LAB_SCREENSHOTS") != "1", reason="LAB_SCREENSHOTS=1 (make screenshots) takes them")
def test_japanese_screenshots_for_the_readme_cross_site(browser):
    """README.ja.md's twin of docs/cross-site-deployment.png (test_i18n.py takes the others)."""
    context = lab.new_context(browser, locale="ja-JP", viewport={"width": 1100, "height": 1500})
    page = open_experiments(context, lab.CROSS_SITE_APP)
    expect(page.locator("body")).to_have_attribute("data-page-site", "cross-site")
    card = page.locator("#deployment")
    expect(card.get_by_test_id("deployment-state")).to_contain_text("別のサイト")
    JAPANESE_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=JAPANESE_SCREENSHOT)
    context.close()
