"""The doctor's page (frontend/doctor.html): a learner types origins and pastes settings, the API
judges them (read as literals, never run) and the page shows the report; refusals come back as
JSON and are shown; in Japanese, the report is Japanese too."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import lab

ARTICLE = {"front": "https://kikuichige.com", "api": "https://django6.kikuichige.com"}
WORKING = '''ALLOWED_HOSTS = ["django6.kikuichige.com"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
CORS_ALLOWED_ORIGINS = ["https://kikuichige.com"]
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = ["https://kikuichige.com"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
'''
# The docs' picture of a report (README.md); test_i18n.py takes its Japanese twin.
SCREENSHOT = Path(__file__).parent / "test-results" / "docs" / "doctor-cross-site-pair.png"


@pytest.fixture
def doctor_page(page):
    page.goto(lab.APP + "/doctor.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def check(page, settings: str = "", **origins):
    form = page.get_by_test_id("doctor-form")
    for name, value in {**ARTICLE, **origins}.items():
        form.locator(f'[name="{name}"]').fill(value)
    form.locator('[name="settings"]').fill(settings)
    form.locator('[data-action="check"]').click()
    report = page.get_by_test_id("doctor-report")
    # The click set it running; the answer makes it done, or error for a refusal.
    expect(report).to_have_attribute("data-state", re.compile("^(done|error)$"))
    return report


def cell(report, flow: str, engine: str):
    return report.locator(f'tr[data-flow="{flow}"] td[data-engine="{engine}"]')


def test_settings_that_work_show_every_flow_working_and_nothing_to_change(doctor_page):
    report = check(doctor_page, WORKING)
    expect(report.get_by_test_id("doctor-same-site")).to_have_attribute("data-same-site", "true")
    expect(report.locator('td[data-works="false"]')).to_have_count(0)
    expect(report.locator('td[data-works="true"]')).to_have_count(24)
    expect(report.get_by_test_id("doctor-no-checks")).to_be_visible()


def test_a_cross_site_pair_shows_where_the_login_breaks_and_the_lines_to_change(doctor_page):
    report = cross_site_pair_report(doctor_page)
    lab.screenshot_for_the_docs(report, SCREENSHOT)


def cross_site_pair_report(page):
    """Runs the doctor on the article's working settings moved to a front and an API on two sites
    (Vercel and Render), checks the report's lesson and returns the report (test_i18n.py
    photographs the Japanese one)."""
    report = check(page, WORKING.replace("kikuichige.com", "myapp.vercel.app").replace("django6.myapp.vercel.app", "myapi.onrender.com"),
                   front="https://myapp.vercel.app", api="https://myapi.onrender.com")
    expect(report.get_by_test_id("doctor-same-site")).to_have_attribute("data-same-site", "false")
    for engine in ("chromium", "chromium-3pc-blocked", "firefox", "webkit"):
        expect(cell(report, "session-login", engine)).to_have_attribute("data-works", "false")
        expect(cell(report, "jwt-get", engine)).to_have_attribute("data-works", "true")
    check_e012 = report.locator('[data-check="cors_doctor.E012"]')
    expect(check_e012).to_have_count(2)
    expect(check_e012.first.locator("pre")).to_contain_text('_COOKIE_SAMESITE = "None"')
    return report


def test_code_in_the_settings_is_reported_not_run(doctor_page):
    report = check(doctor_page, 'import os\nCORS_ALLOWED_ORIGINS = os.environ["ORIGINS"].split(",")\n')
    expect(report.get_by_test_id("doctor-not-understood")).to_contain_text("CORS_ALLOWED_ORIGINS")
    expect(report.locator('[data-check="cors_doctor.E002"]')).to_have_count(1)


def test_refusals_are_shown_with_their_code(doctor_page):
    report = check(doctor_page, "CORS_ALLOWED_ORIGINS = [")
    expect(report.get_by_test_id("doctor-error")).to_have_attribute("data-error", "settings_not_python")
    report = check(doctor_page, "", front="https://kikuichige.com/index.html")
    expect(report.get_by_test_id("doctor-error")).to_have_attribute("data-error", "invalid_origin")
    # Over Django's 16 KiB for a body (nginx takes up to 64 KiB): a JSON 413, over HTTP/2 from the page.
    report = check(doctor_page, "# " + "x" * 20_000)
    expect(report.get_by_test_id("doctor-error")).to_have_attribute("data-error", "body_too_large")


def test_the_labs_own_settings_for_its_app_page(doctor_page):
    doctor_page.locator('[name="lab-front"]').select_option("app")
    doctor_page.locator('[data-action="lab"]').click()
    report = doctor_page.get_by_test_id("doctor-report")
    expect(report).to_have_attribute("data-state", "done")
    expect(cell(report, "simple-get", "webkit")).to_have_attribute("data-works", "true")
    expect(report.locator('[data-check="cors_doctor.W004"]')).to_have_count(2)


def test_the_report_is_japanese_in_a_japanese_browser(browser):
    context = lab.new_context(browser, locale="ja-JP")
    page = context.new_page()
    page.goto(lab.APP + "/doctor.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    report = check(page, "")
    expect(report.locator('[data-check="cors_doctor.E002"]')).to_contain_text("許可されていません")
    expect(report.locator("th").first).to_have_text("フロー")
    context.close()


def test_each_failure_links_the_lab_page_that_shows_it_and_the_place_exists(doctor_page):
    """The readers' mistakes are a click away from the report: a check or a flow links the lab page
    where a browser shows it happen, and each link lands on a part of that page that exists."""
    # SecurityMiddleware is what makes SECURE_SSL_REDIRECT redirect.
    broken = (WORKING.replace("CORS_ALLOW_CREDENTIALS = True", "CORS_ALLOW_CREDENTIALS = False")
              .replace('"django.middleware.csrf.CsrfViewMiddleware"',
                       '"django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware"')
              + 'SECURE_SSL_REDIRECT = True\nSESSION_COOKIE_DOMAIN = "example.org"\n')
    report = check(doctor_page, broken)
    links = report.get_by_test_id("lab-page").evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert {"/mistakes.html#credentials", "/mistakes.html#proxy-scheme", "/mistakes.html#cookie-domains",
            "/tokens.html", "/#cookie-login"} <= set(links), links
    for href in sorted(set(links)):
        doctor_page.goto(lab.APP + href)
        expect(doctor_page.locator("body")).to_have_attribute("data-ready", "true")
        place = href.partition("#")[2]
        if place:
            expect(doctor_page.locator(f"#{place}")).to_have_count(1)
