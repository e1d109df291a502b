"""Every scenario of the catalogue, run by the scenarios page in Chromium.

A scenario is a named playground case: the page runs it at the playground's endpoint and asks the
playground's verdict. For each one, the Fetch model's verdict (computed by the server from its own
record) must equal what Chromium did: readable when fetch() resolved, blocked when it threw, and
the same reason as Chromium's DevTools corsErrorStatus. The ledger must show a preflight exactly
where the model says one is needed. A scenario where the model and Chromium disagree fails the
suite. Each card's playground link carries the very case the card ran.
"""

import json
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

import lab


def pytest_generate_tests(metafunc):
    # At collection, not at import; an empty list fails the run (pytest.ini), it is never skipped.
    if "scenario" in metafunc.fixturenames:
        scenarios = lab.scenario_catalogue()
        metafunc.parametrize("scenario", scenarios, ids=[s["slug"] for s in scenarios])


def test_the_catalogue_holds_every_scenario():
    assert len(lab.scenario_catalogue()) >= 19


@pytest.fixture
def scenarios_page(page, network):
    page.goto(lab.APP + "/scenarios.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def run(page, slug: str) -> tuple[str, dict]:
    page.locator(f'button[data-run="{slug}"]').click()
    area = page.locator(f'[data-result="{slug}"]')
    expect(area).to_have_attribute("data-state", "done")
    run_id = area.get_attribute("data-run-id")
    [scenario] = [s for s in lab.scenario_catalogue() if s["slug"] == slug]
    return run_id, lab.scenario_verdict(scenario, run_id)


def test_verdict_matches_what_chromium_did(scenarios_page, network, scenario):
    slug = scenario["slug"]
    run_id, verdict = run(scenarios_page, slug)
    area = scenarios_page.locator(f'[data-result="{slug}"]')
    predicted = verdict["chromium"]

    # The browser's truth: did fetch() resolve, and what reason did Chromium give? Read once
    # DevTools has reported at least the requests the server received, and the end of each.
    entries = lab.ledger(run_id)
    url = lab.scenario_url_part(run_id)
    browser_outcome = area.get_by_test_id("outcome").get_attribute("data-outcome")
    assert browser_outcome == ("readable" if predicted["readable"] else "blocked"), predicted["why"]
    chromium_reasons = set(network.cors_errors_for(url, requests=len(entries)))
    assert chromium_reasons == ({predicted["reason"]} if predicted["reason"] else set())

    # The server's truth: a preflight exactly where the model needs one, and how many.
    assert len(lab.preflights(entries)) == verdict["preflights_expected"]
    assert len(network.preflights_to(url, requests=len(entries))) == verdict["preflights_expected"]

    # And the page says the same as the model, in words.
    expect(area.get_by_test_id("verdict")).to_have_attribute("data-agrees", "true")
    expect(area.get_by_test_id("verdict")).to_have_attribute("data-reason", predicted["reason"] or "")

    # The card's playground link carries the very case the card ran.
    link = scenarios_page.locator(f'a[data-playground="{slug}"]').get_attribute("href")
    assert json.loads(unquote(link.split("#case=", 1)[1])) == scenario["case"]


def test_max_age_means_one_preflight_for_three_requests(scenarios_page):
    run_id, verdict = run(scenarios_page, "preflight-cached")

    kinds = [entry["kind"] for entry in lab.ledger(run_id)]
    assert kinds == ["preflight", "request", "request", "request"]
    assert verdict["preflights_expected"] == 1


def test_max_age_zero_means_a_preflight_for_every_request(scenarios_page):
    run_id, _ = run(scenarios_page, "preflight-not-cached")

    kinds = [entry["kind"] for entry in lab.ledger(run_id)]
    assert kinds == ["preflight", "request"] * 3


def test_unexposed_header_is_invisible_to_the_script_but_was_sent(scenarios_page):
    run_id, verdict = run(scenarios_page, "unexposed-header")

    expect(scenarios_page.locator('[data-result="unexposed-header"]').get_by_test_id("header-check")) \
        .to_contain_text("cannot read X-Lab-Request-Id")
    assert "x-lab-request-id" not in verdict["chromium"]["readable_headers"]


def test_exposed_header_is_read_by_the_script(scenarios_page):
    _, verdict = run(scenarios_page, "exposed-header")

    expect(scenarios_page.locator('[data-result="exposed-header"]').get_by_test_id("header-check")) \
        .to_contain_text("reads X-Lab-Request-Id")
    assert "x-lab-request-id" in verdict["chromium"]["readable_headers"]


def test_chromium_deviation_from_the_standard_is_shown(scenarios_page):
    _, verdict = run(scenarios_page, "wildcard-headers-cover-authorization")

    assert verdict["chromium"]["readable"] is True
    assert verdict["standard"]["readable"] is False
    assert verdict["standard"]["reason"] == "HeaderDisallowedByPreflightResponse"
    expect(scenarios_page.locator('[data-result="wildcard-headers-cover-authorization"]')
           .get_by_test_id("deviation")).to_be_visible()


def test_error_page_hides_the_500_behind_a_cors_error(scenarios_page):
    run_id, verdict = run(scenarios_page, "error-page-without-cors")

    [entry] = lab.ledger(run_id)
    assert entry["response"]["status"] == 500
    assert verdict["chromium"]["reason"] == "MissingAllowOriginHeader"
