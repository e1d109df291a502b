import fcntl
import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

import lab

# Browser profiles for the cookie experiments live in their own module.
pytest_plugins = ["profiles", "engines_report"]

# The named backend settings: one file each, read here and by scripts/run-e2e.sh.
SETTINGS_DIR = Path(__file__).parent / "backend-settings"
ENV_EXAMPLE = Path(__file__).parent / ".env.example"  # mounted by compose.yaml
RUNNING = os.environ.get("LAB_E2E_BACKEND_SETTING", "default")
# Set by tests/faults/ while it holds the backend down ("stopped" or "paused"): only the tests
# marked backend_down(that state) run then, and never otherwise.
BACKEND_DOWN = os.environ.get("LAB_E2E_BACKEND_DOWN", "")


def env_lines(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line[:1].isupper() and "=" in line)
    return {name: value for name, value in pairs}


def expected_environment(setting: str) -> dict[str, str]:
    """What scripts/run-e2e.sh starts the backend with: .env.example's backend behaviour section,
    then the setting's own lines."""
    example = ENV_EXAMPLE.read_text()
    section = example[example.index("# --- Backend behaviour"):example.index("# --- End of the backend behaviour")]
    return {**env_lines(section), **env_lines((SETTINGS_DIR / f"{setting}.env").read_text())}


# Every expect() of the suite, and every action and navigation of its contexts, waits as long as
# lab.WAIT_SECONDS says (where it is sized), not Playwright's defaults (5 s for expect).
expect.set_options(timeout=lab.WAIT_SECONDS * 1000)


@pytest.fixture
def context(context):
    return lab.with_lab_timeouts(context)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, **lab.CHROMIUM_LAUNCH, "args": [*lab.CHROMIUM_ARGS, lab.BLOCK_THIRD_PARTY_COOKIES]}


def pytest_collection_modifyitems(config, items):
    """Keeps the tests written for the backend setting that scripts/run-e2e.sh started."""
    selected, deselected = [], []
    for item in items:
        if item.get_closest_marker("xdist_group"):
            raise pytest.UsageError(f"{item.nodeid}: xdist_group is ignored here (see the exclusive fixture); mark it exclusive(name)")
        if item.get_closest_marker("exact") and not lab.EXACT_RUN:
            deselected.append(item)  # it checks what keeps an exact run's names in this container
            continue
        down = item.get_closest_marker("backend_down")
        if down or BACKEND_DOWN:
            (selected if down and down.args[0] == BACKEND_DOWN else deselected).append(item)
            continue
        marker = item.get_closest_marker("backend_setting")
        wanted = marker.args[0] if marker else "default"
        if not (SETTINGS_DIR / f"{wanted}.env").exists():
            raise pytest.UsageError(f"{item.nodeid} asks for backend setting {wanted!r}: no {SETTINGS_DIR.name}/{wanted}.env")
        (selected if wanted == RUNNING else deselected).append(item)
    config.hook.pytest_deselected(items=deselected)
    items[:] = selected


def as_env(value) -> str:
    """A setting's value as .env writes it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


@pytest.fixture(scope="session", autouse=True)
def backend_runs_the_expected_setting():
    """A suite run against the wrong setting would prove nothing: check it first."""
    if BACKEND_DOWN:
        return None
    status, config = lab.api_get("/api/config/")
    assert status == 200, config
    for name, value in expected_environment(RUNNING).items():
        running = as_env(config["environment"][name])
        if name == "LAB_CSRF_TRUSTED_ORIGINS" and not value:
            value = lab.APP  # empty means "just the app origin" (.env.example)
        assert running == value, f"backend setting {RUNNING!r} expects {name}={value!r}, the backend runs {running!r}"
    return config


# Chromium reports every Content-Security-Policy refusal to the page's console, and fires
# securitypolicyviolation in the document (also in frames, which Chromium logs to the same page).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`));"""


@pytest.fixture(autouse=True)
def no_csp_violation(request):
    """Every test that uses the page fixture fails if any page of it broke the lab's CSP
    (nginx/nginx.conf.template): the headers must never change what a lesson shows."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    page.add_init_script(CSP_LISTENER)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text else None)
    yield
    if not page.is_closed():
        console_flushed(page)
    assert violations == [], violations


def console_flushed(page, tries: int = 3):
    """Returns once the page's console messages so far have arrived: they arrive in order, so a
    message logged now comes after them. The test may have left a navigation under way (to an
    error page, say): the message is then logged in the document that follows."""
    marker = f"console flushed {lab.new_run_id()}"
    try:
        with page.expect_console_message(lambda message: message.text == marker):
            page.evaluate("(marker) => console.log(marker)", marker)
    except PlaywrightError as error:
        if "Execution context was destroyed" not in error.message or tries == 1:
            raise
        page.wait_for_load_state()
        console_flushed(page, tries - 1)


# Tests marked exclusive(name) never run at the same time as another test of that name: not on
# another xdist worker, nor in another pytest run of scripts/run-e2e.sh (they all mount
# test-results/). For tests that read or change data every test shares, such as alice's display
# name. A file lock, not xdist_group with --dist loadgroup: with pytest 9.2, pytest-xdist 3.8
# writes the group into a node id field that pytest no longer reads, so the group is silently
# ignored (pytest-dev/pytest-xdist#1386); two profile runs of one grouped test overlapped that way.
# Autouse fixtures are set up first, so the lock is held until the test's last teardown is done.
@pytest.fixture(autouse=True)
def exclusive(request):
    marker = request.node.get_closest_marker("exclusive")
    if marker is None:
        yield
        return
    locks = Path(__file__).parent / "test-results" / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / marker.args[0], "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


@pytest.fixture
def run_id():
    return lab.new_run_id()


@pytest.fixture
def network(context, page):
    return lab.NetworkLog(context, page)


@pytest.fixture
def app_page(page):
    page.goto(lab.APP + "/")
    return page
