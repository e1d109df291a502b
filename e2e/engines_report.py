"""The cross-engine report: what each engine did in each case of e2e/test_engines.py.

Written once, at the end of the session, to e2e/engine-results/ (git-ignored; not test-results/,
which pytest-playwright empties when a session starts, and another invocation of
scripts/run-e2e.sh may start while this one runs): engines.json on the lab's .localhost names,
e2e/engine-results/engines-<set>.json in an exact-hostname run (scripts/exact-run.sh), with the names it ran on.
`make engines-doc` turns them into docs/engines.md, its Japanese twin and frontend/engines.json.
"""

import json
import os
from pathlib import Path

import pytest

import lab

REPORT = Path(__file__).parent / "engine-results" / ("engines.json" if lab.NAME_SET == "localhost"
                                                     else f"engines-{lab.NAME_SET}.json")
_cases: dict = {}      # engine -> case -> {"outcome", "reason", "test", "passed"}
_engines: dict = {}    # engine -> {"version", ...facts}


@pytest.fixture(scope="session")
def engine_versions():
    """engine name -> its exact version, as each engine reported it."""
    class Versions(dict):
        def __setitem__(self, name, version):
            _engines.setdefault(name, {})["version"] = version
    return Versions()


@pytest.fixture
def record_truth(request):
    """record_truth(engine, case, outcome, reason): what the engine did, whatever the test concludes."""
    def record(engine, case, outcome, reason):
        _cases.setdefault(engine.name, {})[case] = {"outcome": outcome, "reason": reason, "test": request.node.nodeid}
        _engines.setdefault(engine.name, {}).update(engine.facts())
    return record


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        for cases in _cases.values():
            for case in cases.values():
                if case["test"] == item.nodeid:
                    case["passed"] = report.passed


def pytest_sessionfinish(session):
    if not _cases or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    REPORT.parent.mkdir(exist_ok=True)
    names = {"set": lab.NAME_SET, "app": lab.APP_HOST, "api": lab.API_HOST, "attacker": lab.ATTACKER_HOST}
    REPORT.write_text(json.dumps({"names": names, "engines": _engines, "cases": _cases}, indent=1, sort_keys=True) + "\n")
    os.chown(REPORT, int(os.environ.get("LAB_UID", 0)), int(os.environ.get("LAB_GID", 0)))
