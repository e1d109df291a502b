"""The dev layout (mistakes.html, card 4; docs/mistakes.md): the front and the API as two plain-http
ports of one host, http://dev.localhost:5173 and :8000, as a reader's Vite and runserver.

What the standards say, and these tests show in Chromium:
- origin: scheme + host + port (HTML, "origin"): another port is another origin, so CORS applies
  and the JSON login is preflighted;
- site: scheme + registrable domain, no port (HTML, "same site"): Sec-Fetch-Site: same-site;
- cookie scope: cookies ignore ports (RFC 6265bis 8.5, "Weak Confidentiality"): the API's host-only
  cookies go to the front's port too, and the front's script reads csrftoken;
- Secure: RFC 6265bis 5.7 lets a user agent treat a non-https origin as secure; Chromium keeps and
  sends Secure cookies over http on localhost and *.localhost (a potentially trustworthy origin,
  Secure Contexts 3.1), and, measured with Chromium 150 in the e2e image, not on http://dev.test.
"""

import pytest
from playwright.sync_api import expect

import lab
from mistakes_page import names, open_mistakes, requests_to, run_step, set_cookies
from test_experiments import expect_outcome

pytestmark = pytest.mark.backend_setting("dev-layout")


def log_in_on_the_dev_front(page) -> list[dict]:
    open_mistakes(page, lab.DEV_FRONT)
    expect(page.locator("body")).to_have_attribute("data-layout", "dev")
    area, run_id = run_step(page, "dev-login")
    expect_outcome(area, "readable", 200)  # GET /api/me/
    return lab.ledger(run_id)


def test_two_ports_are_two_origins_of_one_site_and_secure_cookies_work_over_http(page):
    entries = log_in_on_the_dev_front(page)

    # Cross-origin: a preflight for the JSON login, and every answer names the front for CORS.
    assert [e["request"]["method"] for e in lab.preflights(entries)] == ["OPTIONS"]
    for entry in lab.requests_(entries):
        assert entry["request"]["origin"] == lab.DEV_FRONT
        assert entry["response"]["headers"]["access-control-allow-origin"] == lab.DEV_FRONT
        assert entry["request"]["sec_fetch_site"] == "same-site"  # same site: ports do not count
    # Secure over http: set Secure by the login, kept, and sent back to http://dev.localhost:8000.
    [login] = requests_to(entries, "/api/login/")
    assert set_cookies(login)["sessionid"]["secure"] is True
    [me] = requests_to(entries, "/api/me/")
    assert "sessionid" in me["request"]["cookies"]
    assert page.evaluate("isSecureContext") is True
    expect(page.locator('[data-result="dev-login"]').get_by_test_id("explanation")).to_contain_text("sent it back over http")


def test_cookies_ignore_ports_so_the_front_gets_the_apis_cookies(page):
    log_in_on_the_dev_front(page)

    area, _ = run_step(page, "dev-scope")

    assert {"sessionid", "csrftoken"} <= names(area, "server-received")  # the front's own server, :5173
    assert "csrftoken" in names(area, "document-cookie") and "sessionid" not in names(area, "document-cookie")


@pytest.mark.backend_setting("default")
def test_without_the_preset_the_api_does_not_trust_the_dev_front(page):
    page.goto(lab.DEV_FRONT + "/mistakes.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")

    expect(page.get_by_test_id("dev-layout-state")).to_contain_text("the API does not trust it")
    result = lab.fetch_in_page(page, lab.DEV_API + "/api/hello/")
    assert result["threw"] is True  # Django refuses the host (ALLOWED_HOSTS): a 400 without CORS headers
