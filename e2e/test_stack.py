"""The sandbox itself: three hostnames over https that Chromium trusts, and the redirect."""

import pytest
from playwright.sync_api import expect

import lab

HOME_PAGES = {
    "app": lab.APP + "/",
    "api": lab.API + "/api/hello/",
    "attacker": lab.ATTACKER + "/",
    # The sibling and the look-alikes are covered by the same lab certificate.
    "sibling": lab.SIBLING + "/",
    **{f"lookalike-{kind}": origin + "/leaks.html" for kind, origin in lab.LOOKALIKES.items()},
}


@pytest.mark.parametrize("host", HOME_PAGES)
def test_hostname_loads_over_https_trusted_through_the_lab_ca(page, host):
    response = page.goto(HOME_PAGES[host])  # a certificate error would raise here

    assert response.ok
    assert page.evaluate("window.isSecureContext") is True
    details = response.security_details()
    assert "CORS Django Lab" in details["issuer"]
    assert details["protocol"] in ("TLS 1.2", "TLS 1.3")


def test_plain_http_is_redirected_to_https(page):
    response = page.goto(f"http://{lab.APP_HOST}:{lab.HTTP_PORT}/")

    assert page.url == lab.APP + "/"
    assert response.request.redirected_from.url.startswith(f"http://{lab.APP_HOST}")
    assert response.request.redirected_from.response().status == 301


def test_unknown_hostname_gets_no_certificate(page):
    with pytest.raises(Exception, match="ERR_"):
        page.goto(f"https://unknown.lab.localhost:{lab.HTTPS_PORT}/")


def test_api_answers_a_plain_get_from_the_app_page(app_page):
    result = lab.fetch_in_page(app_page, lab.API + "/api/hello/")

    assert result["threw"] is False
    assert result["status"] == 200
    assert "Hello from Django" in result["body"]
