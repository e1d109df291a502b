"""The leak catalogue (backend/leaks/catalogue.py) in Chromium: every mistake's attack, from the
sibling and from its cross-site attacker, against the mistake and the fix. What the attacker's page
read is compared with the outcome the server derives from its ledger; the lesson of the Lax column
is asserted outright: a reflected origin leaks to the sibling and not to the cross-site attacker."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import lab
from test_attacks import display_name, log_in, open_attack_page, restore_display_name  # noqa: F401 (a fixture)

RESULTS = Path(__file__).parent / "test-results"
# What stopped an attack (backend/crossorigin/defences.py): CORS, whether or not the cookie came.
CORS_HELD = {"cors", "cors_no_cookie"}
SCREENSHOT = RESULTS / "docs" / "sibling-reads-through-reflected-origin.png"
# Each attacker page, and the table row its attacks land in.
ATTACK_PAGES = {"sibling": (lab.SIBLING + "/", "sibling"), "attacker": (lab.ATTACKER + "/leaks.html", "cross-site"),
                **{kind: (origin + "/leaks.html", "cross-site") for kind, origin in lab.LOOKALIKES.items()}}


def run_leak_attacks(context, run_id) -> dict:
    """(row, slug, variant) -> (readable, text), as each attacker page saw it."""
    seen = {}
    for url, row in ATTACK_PAGES.values():
        page = open_attack_page(context, url, run_id, ready="data-leaks-ready")
        page.locator('button[data-action="run-leaks"]').click()
        expect(page.locator("body")).to_have_attribute("data-leaks-done", "true")
        for item in page.locator("[data-leak-result]").all():
            slug, variant = item.get_attribute("data-leak-result").split("/")
            seen[(row, slug, variant)] = (item.get_attribute("data-readable") == "true", item.inner_text())
        page.close()
    return seen


def table(*columns: str) -> dict:
    query = "&".join(f"column={column}" for column in columns)
    status, body = lab.api_get(f"/api/leaks/table/?{query}")
    assert status == 200, body
    return body


def outcomes(body) -> dict:
    """(row, slug, variant) -> outcome, for a one-column table."""
    return {(row["row"], leak["slug"], variant): row["cells"][0][variant]["outcome"]
            for leak in body["tables"] for row in leak["rows"] for variant in ("mistake", "fixed")
            if row["cells"] and row["cells"][0][variant]}


def assert_browser_agrees_with_the_ledger(seen, recorded):
    assert set(seen) == set(recorded)
    for key, (readable, text) in seen.items():
        # CORS shared the answer with the page exactly when the page could read it...
        assert readable == (recorded[key] in ("leaked", "cookie_kept_home")), (key, recorded[key], text)
        # ...and alice's data reached the page exactly when the ledger says it leaked.
        assert ('"username": "alice"' in text) == (recorded[key] == "leaked"), (key, recorded[key], text)


@pytest.mark.parametrize("setting", [
    pytest.param("Lax"),
    pytest.param("None", marks=pytest.mark.backend_setting("samesite-none")),
])
def test_each_leak_from_the_sibling_and_the_cross_site_attacker(profile, setting):
    name, context = profile
    _app, run_id = log_in(context)
    seen = run_leak_attacks(context, run_id)
    body = table(f"{name}:{run_id}")
    assert body["columns"] == [{"samesite": setting, "browser": name}]
    recorded = outcomes(body)
    assert_browser_agrees_with_the_ledger(seen, recorded)

    # No fix ever leaks.
    assert all(outcome != "leaked" for (_, _, variant), outcome in recorded.items() if variant == "fixed")
    # The reflected origin: the sibling always gets the cookie (same site) and the data...
    assert recorded[("sibling", "reflect-any-origin", "mistake")] == "leaked"
    # ...the cross-site attacker only where a third-party SameSite=None cookie may travel.
    cross_site_leaks = setting == "None" and name == "third-party-cookies-allowed"
    assert (recorded[("cross-site", "reflect-any-origin", "mistake")] == "leaked") is cross_site_leaks
    for slug in ("trusted-null", "regex-unescaped-dot", "regex-prefix", "suffix-match"):
        assert (recorded[("cross-site", slug, "mistake")] == "leaked") is cross_site_leaks, slug
    # Every subdomain trusted: the sibling reads, the cross-site attacker is refused by CORS.
    assert recorded[("sibling", "every-subdomain", "mistake")] == "leaked"
    assert recorded[("cross-site", "every-subdomain", "mistake")] in CORS_HELD
    # The sibling with its own origin gets nothing from the look-alike mistakes it does not fit,
    # though its cookie rides along (same site).
    assert recorded[("sibling", "regex-prefix", "mistake")] == "cors"
    assert recorded[("sibling", "trusted-null", "mistake")] == "cors"

    # The tables of docs/sibling-and-leaks.md are made of these, every setting's and profile's
    # (scripts/leak-tables.py).
    RESULTS.joinpath("leaks").mkdir(parents=True, exist_ok=True)
    RESULTS.joinpath("leaks", f"{setting}-{name}.json").write_text(json.dumps(body, indent=1))


@pytest.fixture
def untoss(profile):
    """Removes the sibling's tossed csrftoken before restore_display_name's teardown (fixtures end
    in reverse order): it would shadow the API's own and make the restoring POST a 403 too."""
    yield
    profile[1].clear_cookies(name="csrftoken", domain=".lab.localhost")


# It changes alice's display name: no other test that reads or changes it runs meanwhile
# (conftest.py's exclusive; the xdist group it had was silently ignored, so its two profile runs
# once overlapped on the default setting's two workers).
@pytest.mark.exclusive("display-name")
def test_csrf_subdomain_wildcard_lets_the_tossing_sibling_write(profile, restore_display_name, untoss):
    _, context = profile
    app, run_id = log_in(context)
    sibling = open_attack_page(context, lab.SIBLING + "/", run_id, ready="data-toss-ready")
    sibling.locator('button[data-action="toss"]').click()
    expect(sibling.locator('[data-seen="toss"]')).to_contain_text("csrftoken")

    sibling.goto(f"{lab.SIBLING}/form.html?target=leak-fixed&toss=1&run={run_id}")
    expect(sibling).to_have_url(re.compile("/leaks/csrf-subdomain-wildcard/fixed/display-name/"))
    # That the fix held is read from the server's record below (403 at the Origin check), not from
    # the display name, which other tests of the suite may be changing at the same moment.
    sibling.goto(f"{lab.SIBLING}/form.html?target=leak-mistake&toss=1&run={run_id}")
    expect(sibling).to_have_url(re.compile("/leaks/csrf-subdomain-wildcard/mistake/display-name/"))

    recorded = outcomes(table(f"here:{run_id}"))
    assert recorded[("sibling", "csrf-subdomain-wildcard", "fixed")] == "csrf_origin"
    assert recorded[("sibling", "csrf-subdomain-wildcard", "mistake")] == "written"
    assert display_name(app) == "changed by " + lab.SIBLING.split("//")[1].split(":")[0]


def test_leak_tables_page_and_screenshot(browser, allowing_browser):
    """The docs' screenshot, made by Chromium: the leaks page with both profiles' runs under the
    running setting. (The docs' tables come from test_each_leak's runs in every setting.)"""
    screenshot_of_the_reflected_origin_table(browser, allowing_browser, SCREENSHOT)


def screenshot_of_the_reflected_origin_table(browser, allowing_browser, path, locale=None):
    """Runs the leak attacks in both profiles, shows their tables on the leaks page, checks the Lax
    lesson of the reflected origin, and photographs that table (test_i18n.py: locale="ja-JP")."""
    locale_options = {"locale": locale} if locale else {}
    contexts = {"third-party-cookies-blocked": lab.new_context(browser, **locale_options),
                "third-party-cookies-allowed": lab.new_context(allowing_browser, **locale_options)}
    columns = []
    for name, context in contexts.items():
        _app, run_id = log_in(context)
        run_leak_attacks(context, run_id)
        columns.append(f"{name}:{run_id}")

    page = contexts["third-party-cookies-blocked"].new_page()
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(lab.APP + "/leaks.html?" + "&".join(f"column={c}" for c in columns))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator('button[data-action="show-tables"]').click()
    expect(page.locator("body")).to_have_attribute("data-tables-shown", "true")
    reflected = page.locator('[data-leak="reflect-any-origin"]')
    expect(reflected.locator('tr[data-row="sibling"] td[data-samesite="Lax"]').first).to_have_attribute("data-outcome", "leaked")
    expect(reflected.locator('tr[data-row="cross-site"] td[data-samesite="Lax"]').first).to_have_attribute("data-outcome", "cookie_kept_home")
    if locale:
        expect(reflected).to_contain_text(re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    reflected.screenshot(path=path)
    for context in contexts.values():
        context.close()
