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


def test_plain_http_for_a_name_the_lab_does_not_serve_is_no_redirect(page):
    """Chromium sends *.localhost to loopback, where the lab's port 80 answers: only the lab's own
    hostnames are redirected; any other gets nginx's JSON 421, and the browser stays on http."""
    port = "" if lab.HTTP_PORT == 80 else f":{lab.HTTP_PORT}"  # as the browser writes the URL
    url = f"http://unknown.lab.localhost{port}/somewhere"
    response = page.goto(url)

    assert response.status == 421 and response.request.redirected_from is None
    assert page.url == url
    assert response.json()["error"] == "misdirected_request"


def test_unknown_hostname_gets_no_certificate(page):
    """nginx's default server answers the TLS handshake of a name it does not serve with an
    unrecognized_name alert (ssl_reject_handshake; RFC 6066, section 3), as Chromium names it
    below: the connection was made, and no certificate came. A refused or reset connection, or a
    certificate for another name, would each be another error."""
    # The same address and port with a name the lab serves: only the name makes the difference.
    assert page.goto(lab.APP + "/").ok
    with pytest.raises(Exception, match=r"net::ERR_SSL_UNRECOGNIZED_NAME_ALERT at https://unknown\."):
        page.goto(f"https://unknown.lab.localhost:{lab.HTTPS_PORT}/")


def test_api_answers_a_plain_get_from_the_app_page(app_page):
    result = lab.fetch_in_page(app_page, lab.API + "/api/hello/")

    assert result["threw"] is False
    assert result["status"] == 200
    assert "Hello from Django" in result["body"]


def test_pages_carry_the_security_headers_nginx_sets(page):
    for url in (lab.APP + "/", lab.APP + "/cookies.html", lab.ATTACKER + "/"):
        headers = page.goto(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_attacker_cannot_frame_the_app_page(browser):
    """frame-ancestors 'none': Chromium refuses to render the app inside the attacker's frame."""
    page = browser.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(lab.ATTACKER + "/")
    page.evaluate("""(url) => new Promise((resolve) => {
        const frame = document.createElement("iframe");
        frame.onload = resolve;
        frame.src = url;
        document.body.append(frame);
    })""", lab.APP + "/")
    [frame] = [f for f in page.frames if f != page.main_frame]

    assert not frame.url.startswith(lab.APP), frame.url  # Chromium shows its error page instead
    assert frame.locator("nav").count() == 0  # none of the app's page is in the frame
    assert any("frame-ancestors" in text for text in messages), messages
    page.close()


def test_the_api_keeps_djangos_own_security_headers(page):
    headers = page.goto(lab.API + "/api/hello/").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in headers  # the attacker frames /api/me/ on purpose: X-Frame-Options is the lesson
