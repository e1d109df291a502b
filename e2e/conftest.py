import os

import pytest

import lab

# Browser profiles for the cookie experiments live in their own module.
pytest_plugins = ["profiles"]

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": lab.CHROMIUM, "args": lab.CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items):
    """Keeps the tests written for the backend setting that scripts/run-e2e.sh started."""
    running = os.environ.get("LAB_E2E_BACKEND_CONFIG", "default")
    selected, deselected = [], []
    for item in items:
        marker = item.get_closest_marker("backend_config")
        wanted = marker.args[0] if marker else "default"
        (selected if wanted == running else deselected).append(item)
    config.hook.pytest_deselected(items=deselected)
    items[:] = selected


EXPECTED_BACKEND = {
    "default": {"SESSION_COOKIE_SAMESITE": "Lax", "DISPLAY_NAME_CSRF_EXEMPT": False},
    "samesite-none": {"SESSION_COOKIE_SAMESITE": "None", "DISPLAY_NAME_CSRF_EXEMPT": False},
    "samesite-none-csrf-exempt": {"SESSION_COOKIE_SAMESITE": "None", "DISPLAY_NAME_CSRF_EXEMPT": True},
}


@pytest.fixture(scope="session", autouse=True)
def backend_runs_the_expected_setting():
    """A suite run against the wrong setting would prove nothing: check it first."""
    name = os.environ.get("LAB_E2E_BACKEND_CONFIG", "default")
    status, config = lab.api_get("/api/config/")
    assert status == 200, config
    for key, value in EXPECTED_BACKEND[name].items():
        assert config[key] == value, f"backend setting {name!r} expects {key}={value!r}, got {config[key]!r}"
    return config


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
