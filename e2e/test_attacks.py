"""The attacker's site against a logged-in learner, in both browser profiles and in the backend
settings of e2e/backend-settings/ that scripts/run-e2e.sh starts. Each test reads the outcome from
the server's record and from the browser, never from what the page claims alone."""

import re

import pytest
from playwright.sync_api import expect

import lab


def log_in(context) -> tuple[object, str]:
    app = context.new_page()
    app.goto(lab.APP + "/cookies.html")
    expect(app.locator("body")).to_have_attribute("data-ready", "true")
    app.locator('[name="password"]').fill(lab.DEMO_PASSWORD)
    app.locator('button[data-action="login"]').click()
    expect(app.get_by_test_id("session")).to_have_attribute("data-user", "alice")
    return app, app.get_by_test_id("run-id").inner_text()


def open_attack_page(context, url: str, run_id: str, ready: str = "data-ready"):
    """An attacker's page (cross-site, sibling or look-alike) in the victim's browser, for a run:
    its requests to the API carry that run id, so the ledger keeps them apart."""
    page = context.new_page()
    page.goto(f"{url}?run={run_id}")
    expect(page.locator("body")).to_have_attribute(ready, "true")
    return page


def display_name(app) -> str:
    result = lab.fetch_in_page(app, lab.API + "/api/me/", credentials="include")
    assert result["status"] == 200, result
    return re.search(r'"display_name": "([^"]*)"', result["body"]).group(1)


def submit_attack_form(context, run_id):
    attacker = context.new_page()
    attacker.goto(f"{lab.ATTACKER}/form.html?target=display-name&run={run_id}")
    expect(attacker).to_have_url(re.compile(re.escape(lab.API) + "/api/display-name/"))
    [entry] = [e for e in lab.ledger(run_id) if e["request"]["path"] == "/api/display-name/"]
    assert entry["request"]["sec_fetch_site"] == "cross-site"
    assert entry["request"]["sec_fetch_mode"] == "navigate"  # top-level, not a frame
    return entry


def show_attacks(app):
    app.bring_to_front()
    app.locator('button[data-action="show-attacks"]').click()
    row = app.locator('tr[data-attack-path="/api/display-name/"]')
    expect(row).to_be_visible()
    return row


@pytest.fixture
def restore_display_name(profile):
    """The attack that succeeds changes stored data; put it back for the next test."""
    yield
    _, context = profile
    app, _ = log_in(context)
    token = lab.fetch_in_page(app, lab.API + "/api/csrf/", credentials="include")["body"]
    csrf = re.search(r'"csrfToken": "([^"]+)"', token).group(1)
    lab.fetch_in_page(app, lab.API + "/api/display-name/", method="POST", credentials="include",
                      headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
                      body='{"display_name": "alice"}')


# Tests that read or change alice's display name never run at the same time (conftest.py's
# exclusive): e2e/test_leaks.py and the attack that works change it on purpose.
@pytest.mark.parametrize("setting, cookie_sent, stopped, said", [
    # The default setting: SameSite=Lax keeps the cookie home, and CSRF answers 403 anyway.
    pytest.param("Lax", False, "stopped_twice", ["SameSite kept the session cookie home",
                                                  "Django's CSRF check answered 403"]),
    # SameSite=None: the top-level POST is first-party, in both profiles; CSRF alone stops it.
    pytest.param("None", True, "csrf_origin", ["Stopped by Django's CSRF check"],
                 marks=pytest.mark.backend_setting("samesite-none")),
])
@pytest.mark.exclusive("display-name")
def test_the_form_post_is_stopped_by_csrf_whatever_samesite_does(profile, setting, cookie_sent, stopped, said):
    _, context = profile
    app, run_id = log_in(context)
    before = display_name(app)

    entry = submit_attack_form(context, run_id)

    assert ("sessionid" in entry["request"]["cookies"]) is cookie_sent
    assert entry["response"]["status"] == 403
    assert entry["response"]["error"]["code"] == "csrf_failed"
    assert entry["response"]["error"]["reason"].startswith("Origin checking failed")
    assert display_name(app) == before
    defence = show_attacks(app).get_by_test_id("defence")
    expect(defence).to_have_attribute("data-defence", stopped)
    for sentence in said:
        expect(defence).to_contain_text(sentence)


@pytest.mark.backend_setting("samesite-none-csrf-exempt")
@pytest.mark.exclusive("display-name")
def test_samesite_none_and_csrf_exempt_let_the_attack_succeed(profile, restore_display_name):
    _, context = profile
    app, run_id = log_in(context)

    entry = submit_attack_form(context, run_id)

    assert "sessionid" in entry["request"]["cookies"]
    assert entry["response"]["status"] == 200
    assert display_name(app) == "changed by attacker.localhost"
    expect(show_attacks(app).get_by_test_id("defence")).to_contain_text("The attack WORKED")


@pytest.mark.backend_setting("samesite-none-csrf-exempt")
@pytest.mark.exclusive("display-name")
def test_form_post_into_a_frame_is_a_third_party_request(profile, restore_display_name):
    """The same vulnerable setting, but the attacker posts into a hidden iframe instead of the
    whole tab: the session cookie is then a third-party cookie, and the profile decides."""
    name, context = profile
    app, run_id = log_in(context)
    before = display_name(app)
    attacker = open_attack_page(context, lab.ATTACKER + "/", run_id)

    attacker.evaluate("""([url]) => new Promise((resolve) => {
        const frame = document.createElement("iframe"); frame.name = "target"; document.body.append(frame);
        const form = Object.assign(document.createElement("form"), {method: "post", action: url, target: "target"});
        form.append(Object.assign(document.createElement("input"), {name: "display_name", value: "framed"}));
        document.body.append(form); frame.onload = resolve; form.submit(); })""",
                      [f"{lab.API}/api/display-name/?run={run_id}"])

    [entry] = [e for e in lab.ledger(run_id) if e["request"]["path"] == "/api/display-name/"]
    assert entry["request"]["sec_fetch_dest"] == "iframe"
    defence = show_attacks(app).get_by_test_id("defence")
    if name == "third-party-cookies-blocked":
        assert "sessionid" not in entry["request"]["cookies"]
        assert entry["response"]["status"] == 401
        assert display_name(app) == before
        expect(defence).to_contain_text("Stopped by third-party-cookie blocking")
    else:
        assert "sessionid" in entry["request"]["cookies"]
        assert entry["response"]["status"] == 200
        assert display_name(app) == "framed"
        expect(defence).to_contain_text("The attack WORKED")


@pytest.mark.parametrize("setting", [
    pytest.param("default"),
    pytest.param("samesite-none", marks=pytest.mark.backend_setting("samesite-none")),
    pytest.param("samesite-none-csrf-exempt", marks=pytest.mark.backend_setting("samesite-none-csrf-exempt")),
])
def test_cross_site_fetch_can_never_read_me(profile, setting):
    name, context = profile
    app, run_id = log_in(context)
    attacker = open_attack_page(context, lab.ATTACKER + "/", run_id)

    attacker.locator('button[data-attack="read-me"]').click()

    expect(attacker.locator('[data-seen="read-me"]')).to_contain_text("fetch() threw TypeError")
    [entry] = [e for e in lab.ledger(run_id) if e["request"]["path"] == "/api/me/"
               and e["request"]["origin"] == lab.ATTACKER]
    assert "access-control-allow-origin" not in entry["response"]["headers"]
    # Whether the cookie arrived depends on SameSite and on the profile; reading never works.
    cookie_can_travel = setting != "default" and name == "third-party-cookies-allowed"
    assert ("sessionid" in entry["request"]["cookies"]) is cookie_can_travel
