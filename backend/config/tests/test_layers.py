"""Imports only go down the house: config/ above the apps, the apps (which never import each
other) above ledger/, and lab/ (the ground floor every app shares) below them all. Read from the source, so a new upward import
fails here before anyone has to find the cycle it makes."""

import ast
from pathlib import Path
from unittest import TestCase

BACKEND = Path(__file__).resolve().parents[2]
# The playground is an app of the middle floor built on the scenarios' Fetch model (it judges its
# cases with scenarios.verdicts), so it sits half a floor above them: nothing else imports it.
FLOORS = {"config": 3, "playground": 2.5, "experiments": 2, "scenarios": 2, "cookielab": 2, "leaks": 2, "ledger": 1, "lab": 0}


def imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(FLOORS)


class LayerTests(TestCase):
    def test_no_module_imports_from_a_higher_floor(self):
        checked = 0
        for package, floor in FLOORS.items():
            for path in (BACKEND / package).rglob("*.py"):
                if "tests" in path.parts:
                    continue  # a test may set up anything it needs
                checked += 1
                for imported in imported_packages(path) - {package}:
                    with self.subTest(module=str(path.relative_to(BACKEND)), imports=imported):
                        # Strictly lower: the apps of one floor do not import each other either.
                        self.assertLess(FLOORS[imported], floor)
        self.assertGreater(checked, 20)
