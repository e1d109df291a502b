"""The lab in Japanese, in a real Chromium whose locale is ja-JP (navigator.languages and the
Accept-Language it sends), and the completeness of the pages' translation catalogue.

The pages' words: English in the HTML (data-i18n keys) and in frontend/js/i18n/en.js, Japanese in
frontend/js/i18n/ja.js. The API's words: backend/locale/ja/LC_MESSAGES/django.po (checked by
backend/config/tests/test_translations.py).

LAB_SCREENSHOTS=1 (make screenshots) also saves the Japanese docs' screenshots (docs/ja/*.png).
"""

import json
import os
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

import engines
import lab
from test_cookies import run_matrix
from test_doctor_page import cross_site_pair_report
from test_engines import KEY_ROWS, the_engines_page_runs_a_case_here
from test_experiments import run_step
from test_leaks import screenshot_of_the_reflected_origin_table
from test_mistakes_credentials import photograph_the_credentials_card, the_csrf_cookie_thrown_away
from test_playground_differential import screenshot_of_the_redirect_case
from test_tokens import a_retired_refresh_token_revokes_the_family, open_tokens_page

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PAGES = [lab.APP + "/", lab.APP + "/scenarios.html", lab.APP + "/cookies.html", lab.APP + "/engines.html",
         lab.APP + "/playground.html", lab.APP + "/leaks.html", lab.ATTACKER + "/",
         lab.ATTACKER + "/leaks.html", lab.SIBLING + "/", lab.APP + "/mistakes.html", lab.APP + "/doctor.html",
         lab.API + "/pages/same-origin.html", lab.APP + "/tokens.html",
         lab.ATTACKER + "/token-attacks.html", lab.SIBLING + "/token-attacks.html"]
HTML_FILES = PAGES + [lab.ATTACKER + "/form.html"]
PLACEHOLDER = re.compile(r"\{\w+\}")
# An element whose Japanese replaces its content: its key, and its English as the HTML has it.
I18N_ELEMENT = re.compile(r'<(\w+)[^>]*?\bdata-i18n="([^"]+)"[^>]*>(.*?)</\1>', re.S)
I18N_PLACEHOLDER = re.compile(r'\bdata-i18n-placeholder="([^"]+)"[^>]*?\bplaceholder="([^"]*)"')

LOAD_CATALOGUE = """async () => {
  const en = (await import("/js/i18n/en.js")).default;
  const ja = await import("/js/i18n/ja.js");
  return { en, ja: ja.default, intentional: ja.INTENTIONAL };
}"""

# Every data-i18n element whose text is not the Japanese of its key (read right after load).
UNTRANSLATED_ELEMENTS = """async () => {
  const ja = (await import("/js/i18n/ja.js")).default;
  const textOf = (html) => { const t = document.createElement("template"); t.innerHTML = html; return t.content.textContent; };
  return [...document.querySelectorAll("[data-i18n]")]
    .filter((element) => ja[element.dataset.i18n] === undefined || element.textContent !== textOf(ja[element.dataset.i18n]))
    .map((element) => element.dataset.i18n);
}"""


def squeeze(text: str) -> str:
    return " ".join(text.split())


def english_of_the_pages() -> dict[str, str]:
    """key -> English, from the HTML files as nginx serves them."""
    english = {}
    for url in HTML_FILES:
        with urllib.request.urlopen(url, context=lab.TLS, timeout=lab.WAIT_SECONDS) as response:
            html = response.read().decode()
        english.update({key: squeeze(text) for _, key, text in I18N_ELEMENT.findall(html)})
        english.update(dict(I18N_PLACEHOLDER.findall(html)))
    return english


@pytest.fixture
def ja_context(browser):
    context = lab.new_context(browser, locale="ja-JP", viewport={"width": 1100, "height": 1500})
    yield context
    context.close()


@pytest.fixture
def ja_page(ja_context):
    return ja_context.new_page()


def open_ready(page, url: str):
    page.goto(url)
    # The attacker's leak page has only the leak script, which says data-leaks-ready.
    expect(page.locator('body[data-ready="true"], body[data-leaks-ready="true"]')).to_have_count(1)


def test_every_english_message_has_japanese(app_page):
    catalogue = app_page.evaluate(LOAD_CATALOGUE)
    en, ja, intentional = catalogue["en"], catalogue["ja"], catalogue["intentional"]
    english = {**english_of_the_pages(), **en}
    assert len(english) > 150

    missing = {key: text for key, text in english.items() if key not in ja}
    assert not missing, "frontend/js/i18n/ja.js lacks these keys (key: English):\n" + "\n".join(
        f"  {key}: {text}" for key, text in sorted(missing.items()))
    unused = sorted(set(ja) - set(english))
    assert not unused, f"ja.js has keys that no page and no en.js key uses: {unused}"
    untranslated = sorted(key for key, text in english.items()
                          if (squeeze(ja[key]) == text or not ja[key]) and key not in intentional)
    assert not untranslated, ("ja.js repeats the English (or is empty) for these keys; translate them, "
                              f"or list them in ja.js INTENTIONAL with the reason: {untranslated}")
    assert set(intentional) <= set(english)
    placeholders_differ = sorted(key for key in en if set(PLACEHOLDER.findall(en[key])) != set(PLACEHOLDER.findall(ja[key])))
    assert not placeholders_differ, f"ja.js must keep every {{placeholder}} of en.js: {placeholders_differ}"


@pytest.mark.parametrize("url", PAGES)
def test_each_page_is_japanese_in_a_japanese_browser(ja_page, url):
    open_ready(ja_page, url)

    expect(ja_page.locator("html")).to_have_attribute("lang", "ja")
    assert ja_page.evaluate(UNTRANSLATED_ELEMENTS) == []
    expect(ja_page.locator("h1")).to_have_text(JAPANESE)
    expect(ja_page.locator('.language-switch [data-language="ja"]')).to_have_attribute("aria-pressed", "true")


def test_scenario_cards_and_verdicts_come_in_japanese_from_the_api(ja_page):
    open_ready(ja_page, lab.APP + "/scenarios.html")
    card = ja_page.locator('[data-scenario="no-allow-origin"]')
    expect(card.locator("h2")).to_have_text("Access-Control-Allow-Origin なし")

    card.locator("button[data-run]").click()
    expect(card.locator(".result")).to_have_attribute("data-state", "done")

    verdict = card.get_by_test_id("verdict")
    # The reason code stays Chromium's; the sentences around it are Japanese.
    expect(verdict).to_have_attribute("data-reason", "MissingAllowOriginHeader")
    expect(verdict).to_have_attribute("data-agrees", "true")
    expect(verdict).to_contain_text("Access-Control-Allow-Origin がないため")
    expect(verdict).to_contain_text("CORS_ALLOWED_ORIGINS")
    expect(card.get_by_test_id("outcome")).to_contain_text("ブラウザがブロック")


def test_a_blocked_fetch_is_explained_in_japanese(ja_context, ja_page):
    network = lab.NetworkLog(ja_context, ja_page)
    open_ready(ja_page, lab.APP + "/")

    area, run_id = run_step(ja_page, "no-cors")

    expect(area.get_by_test_id("outcome")).to_have_attribute("data-outcome", "blocked")
    expect(area.get_by_test_id("outcome")).to_contain_text("ブラウザがブロック")
    expect(area.get_by_test_id("explanation")).to_contain_text(
        "サーバーは応答しました(HTTP 200)が、このオリジンへの Access-Control-Allow-Origin を返さなかったため")
    # Really blocked by this Chromium, after the server answered.
    assert network.cors_errors_for(f"/api/no-cors/hello/?run={run_id}") == ["MissingAllowOriginHeader"]
    assert [e["response"]["status"] for e in lab.ledger(run_id)] == [200]


def test_an_api_error_message_is_japanese(ja_page):
    open_ready(ja_page, lab.APP + "/")
    run = lab.new_run_id("i18n")

    result = lab.fetch_in_page(ja_page, f"{lab.API}/api/users/?run={run}", method="POST",
                               headers={"Content-Type": "application/json"}, body="{not json")

    assert result["status"] == 400, result
    assert json.loads(result["body"]) == {"error": "malformed_json", "message": "ボディが正しい JSON ではありません。"}
    # Content-Language is a CORS-safelisted response header: the page may read it.
    assert result["headers"]["content-language"] == "ja"
    assert "Accept-Language" in result["headers"]["vary"]  # exposed by LAB_EXPOSE_CORS_HEADERS
    # Chromium's own Accept-Language (from the ja-JP locale) chose it: the page added no header.
    preflight, request = lab.ledger(run)
    assert preflight["request"]["access_control_request_headers"] == "content-type"


def test_djangos_csrf_refusal_and_pyjwts_are_japanese_on_the_page_with_their_english_kept(ja_page):
    """The messages are the lab's Japanese; Django's CSRF reason and PyJWT's detail, which a learner
    finds in logs and search engines, are shown beside them as they are."""
    open_ready(ja_page, lab.APP + "/")
    ja_page.locator('#cookie-login [name="password"]').fill(lab.DEMO_PASSWORD)
    run_step(ja_page, "csrf")
    area, run_id = run_step(ja_page, "login-without-token")
    body = area.get_by_test_id("body")
    expect(body).to_contain_text('"error": "csrf_failed"')
    expect(body).to_contain_text("CSRF トークンがありません。X-Csrftoken ヘッダー")
    expect(body).to_contain_text('"reason": "CSRF token missing."')
    # What the server answered is what the page shows: recorded, in Japanese, with the reason.
    [entry] = lab.requests_(lab.ledger(run_id))
    assert entry["response"]["error"]["reason"] == "CSRF token missing."
    assert JAPANESE.search(entry["response"]["error"]["message"])

    ja_page.locator('#jwt [name="password"]').fill(lab.DEMO_PASSWORD)
    run_step(ja_page, "token")
    ja_page.locator('button[data-action="tamper"]').click()
    area, _run = run_step(ja_page, "protected")
    expect(area.get_by_test_id("body")).to_contain_text("トークンの署名を検証できません")
    expect(area.get_by_test_id("body")).to_contain_text('"detail": "Signature verification failed"')


def test_the_switch_overrides_the_browser_remembers_and_keeps_simple_requests_simple(page, network):
    open_ready(page, lab.APP + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator('.language-switch [data-language="ja"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    assert page.evaluate("localStorage.getItem('lab-language')") == "ja"

    # An English browser, a Japanese page: the page names the language, and the API answers in it.
    area, run_id = run_step(page, "hello")
    expect(area.get_by_test_id("call")).to_contain_text('"Accept-Language":"ja"')
    expect(area.get_by_test_id("headers")).to_contain_text("content-language: ja")
    # Accept-Language: ja is CORS-safelisted: still a simple request, no preflight.
    assert [e["kind"] for e in lab.ledger(run_id)] == ["request"]
    assert network.preflights_to(f"/api/hello/?run={run_id}") == []

    # Preflighted anyway (JSON): the preflight does not ask for accept-language, a safelisted header.
    area, run_id = run_step(page, "users")
    expect(area.get_by_test_id("outcome")).to_have_attribute("data-status", "201")
    preflight = lab.ledger(run_id)[0]
    assert preflight["kind"] == "preflight"
    assert preflight["request"]["access_control_request_headers"] == "content-type"

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.locator('.language-switch [data-language="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("CORS & Django lab")


SCREENSHOTS = Path(__file__).parent / "test-results" / "screenshots" / "ja"


@pytest.mark.skipif(os.environ.get("LAB_SCREENSHOTS") != "1", reason="LAB_SCREENSHOTS=1 (make screenshots) takes them")
def test_japanese_screenshots_for_the_readme(ja_context, ja_page, browser, allowing_browser):
    """The Japanese twins of docs/*.png (docs/ja/), saved to test-results/screenshots/ja/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_ready(ja_page, lab.APP + "/")
    run_step(ja_page, "hello")
    run_step(ja_page, "users")
    ja_page.evaluate("window.scrollTo(0, 0)")
    ja_page.screenshot(path=SCREENSHOTS / "experiments.png")

    open_ready(ja_page, lab.APP + "/scenarios.html")
    card = ja_page.locator('[data-scenario="preflight-redirect"]')
    card.locator("button[data-run]").click()
    expect(card.locator(".result")).to_have_attribute("data-state", "done")
    card.screenshot(path=SCREENSHOTS / "scenario-preflight-redirect.png")

    _, _, app = run_matrix(ja_context)
    expect(app.get_by_test_id("policies-matched")).to_have_text(JAPANESE)
    app.set_viewport_size({"width": 1100, "height": 1500})
    app.locator("#matrix").screenshot(path=SCREENSHOTS / "cookies-matrix.png")

    screenshot_of_the_redirect_case(ja_page, SCREENSHOTS / "playground-redirect.png")
    expect(ja_page.get_by_test_id("result")).to_contain_text(JAPANESE)

    screenshot_of_the_reflected_origin_table(browser, allowing_browser,
                                             SCREENSHOTS / "sibling-reads-through-reflected-origin.png", locale="ja-JP")


@pytest.mark.skipif(os.environ.get("LAB_SCREENSHOTS") != "1", reason="LAB_SCREENSHOTS=1 (make screenshots) takes them")
def test_japanese_screenshots_for_the_readme_of_the_last_four_pages(ja_context, ja_page, browser):
    """The Japanese twins of the mistakes, tokens, doctor and engines pictures, each taken with
    its English test's own steps and checks."""
    # First, while the jar is empty: step a leaves out credentials and its CSRF cookie is not kept.
    flow = the_csrf_cookie_thrown_away(ja_context, ja_page, "default")
    expect(flow["login"][0].get_by_test_id("explanation")).to_contain_text(JAPANESE)
    photograph_the_credentials_card(ja_page, SCREENSHOTS / "mistakes-credentials.png")

    replay = a_retired_refresh_token_revokes_the_family(open_tokens_page(ja_context))
    expect(replay.get_by_test_id("explanation")).to_contain_text(JAPANESE)
    lab.screenshot_for_the_docs(replay, SCREENSHOTS / "tokens-reuse-revokes-the-family.png")

    open_ready(ja_page, lab.APP + "/doctor.html")
    report = cross_site_pair_report(ja_page)
    expect(report).to_contain_text(JAPANESE)
    lab.screenshot_for_the_docs(report, SCREENSHOTS / "doctor-cross-site-pair.png")

    engine = engines.Chromium(browser, locale="ja-JP", viewport={"width": 1100, "height": 1500})
    the_engines_page_runs_a_case_here(engine, SCREENSHOTS / "engines-key-rows.png")
    expect(engine.page.locator(KEY_ROWS)).to_contain_text(JAPANESE)
    engine.close()
