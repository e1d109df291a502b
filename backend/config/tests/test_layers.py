"""Imports only go down the house, one whole floor at a time:

  4  config/        settings, root URLs, wsgi: they know the apps
  3  the apps       experiments, scenarios, cookielab, leaks, playground, doctor: they never import each other
  2  ledger/        the record of every request, which the apps read
     people/        the demo user, its profile, the session user, the login throttle, the tokens
  1  lab/           the shared base: JSON errors, API helpers, checks, the case grammar and the
                    lab's origins
     cors_doctor/   the installable Django app of the models (pyproject.toml): Django and crossorigin only
  0  crossorigin/   the pure teaching models (crossorigin/tests/test_purity.py: no Django at all)

testing/ is no floor: the tests' own helpers, which no production module may import.

Read from the source, so a new upward import fails here before anyone has to find the cycle it
makes."""

from pathlib import Path
from unittest import TestCase

from crossorigin.tests.test_purity import imported_packages

BACKEND = Path(__file__).resolve().parents[2]
FLOORS = {"config": 4, "experiments": 3, "scenarios": 3, "cookielab": 3, "leaks": 3, "playground": 3, "doctor": 3,
          "ledger": 2, "people": 2, "lab": 1, "cors_doctor": 1, "crossorigin": 0}
TEST_ONLY = {"testing"}


def production_modules():
    for package in FLOORS:
        for path in (BACKEND / package).rglob("*.py"):
            if "tests" not in path.parts:  # a test may set up anything it needs
                yield package, path


class LayerTests(TestCase):
    def test_every_package_of_the_backend_has_a_floor(self):
        packages = {path.parent.name for path in BACKEND.glob("*/__init__.py")}
        self.assertEqual(packages, set(FLOORS) | TEST_ONLY)

    def test_floors_are_whole(self):
        self.assertEqual(sorted(set(FLOORS.values())), [0, 1, 2, 3, 4])

    def test_no_module_imports_from_a_higher_floor(self):
        checked = 0
        for package, path in production_modules():
            checked += 1
            floor = FLOORS[package]
            for imported in (imported_packages(path.read_text(encoding="utf-8")) & set(FLOORS)) - {package}:
                with self.subTest(module=str(path.relative_to(BACKEND)), imports=imported):
                    # Strictly lower: the apps of one floor do not import each other either.
                    self.assertLess(FLOORS[imported], floor)
        self.assertGreater(checked, 20)

    def test_no_production_module_imports_the_test_helpers(self):
        for package, path in production_modules():
            with self.subTest(module=str(path.relative_to(BACKEND))):
                self.assertFalse(imported_packages(path.read_text(encoding="utf-8")) & TEST_ONLY)

    def test_no_app_looks_another_up_in_the_app_registry(self):
        # apps.get_model("other_app", ...) is an import by another name: it would get round this test.
        for package, path in production_modules():
            if "migrations" in path.parts:
                continue  # a migration's apps.get_model reads its own historical state
            with self.subTest(module=str(path.relative_to(BACKEND))):
                self.assertNotIn("get_model(", path.read_text(encoding="utf-8"))
