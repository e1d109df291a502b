"""The package in a project of its own: `django-admin startproject` in a temporary folder, the
package installed there with pip (offline: --no-index, from this checkout), a broken layout, the
ids `manage.py check --deploy` reports, the settings fixed as its hints say, and no id left.

Runs Python in subprocesses with the packages of this interpreter (Django, django-cors-headers,
setuptools): nothing is downloaded."""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import TestCase

BACKEND = Path(__file__).resolve().parents[2]
BROKEN = '''
# The article's layout, as a learner first writes it.
INSTALLED_APPS += ["corsheaders", "cors_doctor"]
ALLOWED_HOSTS = ["django6.kikuichige.com"]
CORS_ALLOWED_ORIGINS = ["https://kikuichige.com"]
SECURE_SSL_REDIRECT = True
CORS_DOCTOR_FRONT_ORIGINS = ["https://kikuichige.com"]
'''
MESSAGE = re.compile(r"^\?: \((cors_doctor\.[EW]\d{3})\) ")


class FreshProjectTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="fresh-project-"))
        self.addCleanup(shutil.rmtree, self.folder, True)

    def python(self, *args, cwd=None) -> subprocess.CompletedProcess:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(self.folder / "site"), "HOME": str(self.folder),
               "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run([sys.executable, *args], cwd=cwd or self.folder, env=env, capture_output=True, text=True,
                              timeout=300)

    def messages(self) -> dict[str, list[str]]:
        """id -> the settings lines of its hint (a hint is a sentence, then the lines)."""
        result = self.python("manage.py", "check", "--deploy", cwd=self.folder / "project")
        found, current = {}, None
        for line in (result.stdout + result.stderr).splitlines():
            match = MESSAGE.match(line)
            if match:
                current = found.setdefault(match.group(1), [])
            elif current is not None and line.startswith("\tHINT:"):
                continue
            elif current is not None and ("=" in line or line.startswith("from ")) and not line.startswith(("?", "\t")):
                current.append(line)
            elif not line.strip():
                current = None
        return found

    def test_a_new_project_gets_the_ids_then_none_once_fixed_as_the_hints_say(self):
        source = self.folder / "source"
        # pip builds in the source folder (build/, *.egg-info): a copy of what the package is made of.
        source.mkdir()
        shutil.copy(BACKEND / "pyproject.toml", source)
        for package in ("crossorigin", "cors_doctor"):
            shutil.copytree(BACKEND / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
        installed = self.python("-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
                                "--target", str(self.folder / "site"), str(source))
        self.assertEqual(installed.returncode, 0, installed.stderr)
        self.assertTrue((self.folder / "site" / "cors_doctor" / "checks.py").exists())
        self.assertFalse((self.folder / "site" / "lab").exists())  # the lab's own apps stay out
        # The installed copy, not the checkout, is what the project imports.
        (self.folder / "site" / "sitecustomize.py").write_text(
            "import sys\nsys.path[:] = [p for p in sys.path if not p.startswith(%r)]\n" % str(BACKEND))

        (self.folder / "project").mkdir()
        created = self.python("-m", "django", "startproject", "mysite", str(self.folder / "project"))
        self.assertEqual(created.returncode, 0, created.stderr)
        settings = self.folder / "project" / "mysite" / "settings.py"
        settings.write_text(settings.read_text() + BROKEN)

        broken = self.messages()
        self.assertEqual(set(broken), {"cors_doctor.E001", "cors_doctor.E004", "cors_doctor.E006", "cors_doctor.E009"})
        lines = [line for hint in broken.values() for line in hint]
        settings.write_text(settings.read_text() + "\n# As the doctor's hints say:\n" + "\n".join(lines) + "\n")

        self.assertEqual(self.messages(), {})
        where = self.python("-c", "import cors_doctor; print(cors_doctor.__file__)", cwd=self.folder / "project")
        self.assertTrue(where.stdout.startswith(str(self.folder / "site")), where.stdout)
