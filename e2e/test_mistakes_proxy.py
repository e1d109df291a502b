"""The proxy that forgets the scheme (mistakes.html, card 2; docs/mistakes.md).

nginx terminates TLS; Django knows the browser spoke https only from X-Forwarded-Proto (nginx's
half, LAB_PROXY_FORWARDED_PROTO) and only with SECURE_PROXY_SSL_HEADER (Django's half). Django's
CsrfViewMiddleware compares a POST's Origin first with "https" if request.is_secure() else
"http", + "://" + the Host, then with CSRF_TRUSTED_ORIGINS exactly (Django docs, "How it works";
django/middleware/csrf.py, _origin_verified). So without either half, a page of the API's own
origin is refused with "Origin checking failed", while the app, listed in CSRF_TRUSTED_ORIGINS,
is not. The named settings turn SECURE_SSL_REDIRECT off, or every request would be a redirect to
itself (backend/lab/tests/test_csrf_reasons.py, RedirectLoopTests)."""

import pytest
from playwright.sync_api import expect

import lab
from mistakes_page import open_mistakes, open_same_origin_page, requests_to, run_step
from test_experiments import expect_outcome


def same_origin_login(page) -> tuple[object, dict]:
    """The login of the API's own page: (its area, the login's ledger entry)."""
    area, run_id = run_step(open_same_origin_page(page), "same-origin-login")
    [login] = requests_to(lab.ledger(run_id), "/api/login/")
    assert login["request"]["origin"] == lab.API and login["request"]["sec_fetch_site"] == "same-origin"
    return area, login


def test_a_page_of_the_apis_own_origin_logs_in_when_django_knows_the_scheme(page):
    area, login = same_origin_login(page)

    expect_outcome(area, "readable", 200)
    assert login["response"]["status"] == 200
    expect(area.get_by_test_id("explanation")).to_contain_text("passed as same-origin")


def assert_refused_as_plain_http(page):
    area, login = same_origin_login(page)

    expect_outcome(area, "readable", 403)
    reason = f"Origin checking failed - {lab.API} does not match any trusted origins."
    assert login["response"]["error"]["reason"] == reason
    # Django compared the browser's https Origin with an origin it built as http://, same Host.
    own = "http://" + lab.API.removeprefix("https://")
    expect(area.get_by_test_id("body")).to_contain_text(f'"own_origin": "{own}"')
    expect(area.get_by_test_id("explanation")).to_contain_text(f"compared that Origin with {own}")
    # The app's cross-origin login is not refused: its Origin is in CSRF_TRUSTED_ORIGINS.
    area, run_id = run_step(open_mistakes(page), "proxy-login")
    expect_outcome(area, "readable", 200)
    assert [e["response"]["status"] for e in requests_to(lab.ledger(run_id), "/api/login/")] == [200]


@pytest.mark.backend_setting("proxy-forgets-scheme")
def test_without_x_forwarded_proto_the_apis_own_page_fails_the_origin_check(page):
    assert_refused_as_plain_http(page)
    expect(page.locator('[data-setting="LAB_PROXY_FORWARDED_PROTO"]')).to_contain_text("no X-Forwarded-Proto")


@pytest.mark.backend_setting("django-ignores-scheme")
def test_without_secure_proxy_ssl_header_the_apis_own_page_fails_the_origin_check(page):
    assert_refused_as_plain_http(page)
    expect(page.locator('[data-setting="SECURE_PROXY_SSL_HEADER"]')).to_have_text("null")
