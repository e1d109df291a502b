"""Drives the mistakes page (frontend/mistakes.html), the API's own page (same-origin.html) and the
sibling's cookie-scope section, for the tests of e2e/test_mistakes_credentials.py and its siblings: a step's button, the run id it
used, and what a page and its host's server have of the API's cookies."""

from playwright.sync_api import expect

import lab
from test_experiments import run_step

__all__ = ["run_step", "open_mistakes", "open_same_origin_page", "names", "sibling_scope", "set_cookies", "requests_to"]


def open_mistakes(page, origin: str = lab.APP):
    page.goto(origin + "/mistakes.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator('#settings [name="password"]').fill(lab.DEMO_PASSWORD)
    return page


def open_same_origin_page(page):
    """The page of the API's own origin, which nginx serves on the API's host under /pages/."""
    page.goto(lab.API + "/pages/same-origin.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator('[name="password"]').fill(lab.DEMO_PASSWORD)
    return page


def names(area, test_id: str) -> set[str]:
    """The cookie names a scope step listed: "document-cookie" (the page's script) or
    "server-received" (its host's server)."""
    return set(filter(None, area.get_by_test_id(test_id).get_attribute("data-names").split(",")))


def sibling_scope(context, run_id: str) -> tuple[object, set[str], set[str]]:
    """(the sibling's page, what its script reads, what its server received) of the site's cookies."""
    sibling = context.new_page()
    sibling.goto(f"{lab.SIBLING}/?run={run_id}")
    expect(sibling.locator("body")).to_have_attribute("data-toss-ready", "true")
    sibling.locator('button[data-action="scope"]').click()
    seen = sibling.locator('[data-seen="scope"]')
    expect(seen).to_have_attribute("data-state", "done")
    split = lambda value: set(filter(None, value.split(",")))
    return sibling, split(seen.get_attribute("data-script")), split(seen.get_attribute("data-server"))


def requests_to(entries: list[dict], path: str) -> list[dict]:
    return [entry for entry in lab.requests_(entries) if entry["request"]["path"] == path]


def set_cookies(entry: dict) -> dict[str, dict]:
    """name -> the Set-Cookie the server sent with this answer, as the ledger recorded it."""
    return {cookie["name"]: cookie for cookie in entry["response"]["set_cookies"] if not cookie["cleared"]}
