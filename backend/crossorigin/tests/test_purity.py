"""The models stay pure: every module under crossorigin/, its tests too, imports only the standard
library, publicsuffixlist and crossorigin itself. Never Django, never one of the lab's apps: the
translation comes in from outside (translation.install)."""

import ast
import sys
from pathlib import Path
from unittest import TestCase

PACKAGE = Path(__file__).resolve().parents[1]
ALLOWED = set(sys.stdlib_module_names) | {"publicsuffixlist", "crossorigin"}


def imported_packages(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


class PurityTests(TestCase):
    def test_no_module_imports_django_or_a_lab_app(self):
        modules = sorted(PACKAGE.rglob("*.py"))
        self.assertGreater(len(modules), 15)
        for path in modules:
            with self.subTest(module=str(path.relative_to(PACKAGE.parent))):
                self.assertEqual(imported_packages(path.read_text(encoding="utf-8")) - ALLOWED, set())

    def test_the_check_sees_django_and_the_lab(self):
        found = imported_packages("import django.conf\nfrom lab.api import api_view\nfrom . import sites\nimport re\n")
        self.assertEqual(found - ALLOWED, {"django", "lab"})
