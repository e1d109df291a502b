"""The Japanese catalogue is complete: every message the code marks for translation has a Japanese
msgstr in locale/ja/LC_MESSAGES/django.po, and the API answers in Japanese when asked to.

When a test here fails, its message lists exactly the messages to translate. To update the .po:
  cd backend && python3 manage.py makemessages -l ja --no-location --ignore '*/tests/*'
then fill every empty msgstr. (The page scripts' messages are checked by e2e/test_i18n.py.)
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation

from testing import ApiClient

BACKEND = Path(__file__).resolve().parents[2]
CATALOGUE = BACKEND / "locale" / "ja" / "LC_MESSAGES" / "django.po"
HAS_GETTEXT = all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge", "msgfmt"))

# Messages whose Japanese is, on purpose, the same as the English, with the reason.
SAME_IN_JAPANESE = {
    "SameSite": "the cookie attribute's name, as Set-Cookie spells it",
    "Access-Control-Max-Age: 0": "a header and its value, exactly as sent",
}


def parse_po(text: str) -> dict[str, dict]:
    """msgid -> {"msgstr": str, "fuzzy": bool}, for the live entries of a .po file (obsolete #~
    entries and the header left out). Enough of the format for what makemessages writes."""
    entries, current, field = {}, None, None

    def unquote(line: str) -> str:
        return line[line.index('"') + 1:line.rindex('"')].encode("latin-1", "backslashreplace").decode("unicode_escape")

    def finish():
        if current and current["msgid"]:
            entries[current["msgid"]] = {"msgstr": current["msgstr"], "fuzzy": current["fuzzy"]}

    for line in text.splitlines():
        if line.startswith("#,"):
            finish()
            current, field = {"msgid": "", "msgstr": "", "fuzzy": "fuzzy" in line}, None
        elif line.startswith("msgid "):
            if current is None or field == "msgstr":
                finish()
                current = {"msgid": "", "msgstr": "", "fuzzy": False}
            field = "msgid"
            current["msgid"] = unquote(line)
        elif line.startswith("msgstr "):
            field = "msgstr"
            current["msgstr"] = unquote(line)
        elif line.startswith('"') and field:
            current[field] += unquote(line)
    finish()
    return entries


def committed_catalogue() -> dict[str, dict]:
    return parse_po(CATALOGUE.read_text(encoding="utf-8"))


def listing(messages) -> str:
    return "\n".join(f"  {message!r}" for message in sorted(messages))


class ParsePoTests(SimpleTestCase):
    def test_reads_wrapped_escaped_and_fuzzy_entries(self):
        text = ('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n'
                '#, python-format\nmsgid ""\n"Say \\"%(x)s\\" "\n"twice."\nmsgstr "二回"\n\n'
                '#, fuzzy\nmsgid "Old"\nmsgstr "古い"\n\nmsgid "Empty"\nmsgstr ""\n\n#~ msgid "Gone"\n#~ msgstr "消えた"\n')
        self.assertEqual(parse_po(text), {
            'Say "%(x)s" twice.': {"msgstr": "二回", "fuzzy": False},
            "Old": {"msgstr": "古い", "fuzzy": True},
            "Empty": {"msgstr": "", "fuzzy": False},
        })


class CatalogueTests(SimpleTestCase):
    @skipUnless(HAS_GETTEXT, "needs GNU gettext (the backend image has it)")
    def test_every_message_in_the_code_is_in_the_japanese_catalogue(self):
        """Runs makemessages over a copy of the code, so that the committed .po is left alone."""
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "backend"
            shutil.copytree(BACKEND, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.sqlite3", "tests"))
            (copy / "locale").mkdir()
            with override_settings(LOCALE_PATHS=[copy / "locale"]), _working_directory(copy):
                call_command("makemessages", locale=["ja"], no_location=True, verbosity=0)
            in_code = parse_po((copy / "locale/ja/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
        self.assertGreater(len(in_code), 100)
        missing = set(in_code) - set(committed_catalogue())
        self.assertFalse(missing, "these messages of the code are not in locale/ja/LC_MESSAGES/django.po "
                                  f"(run makemessages, then translate them):\n{listing(missing)}")

    def test_every_message_has_a_japanese_translation(self):
        untranslated = [msgid for msgid, entry in committed_catalogue().items() if not entry["msgstr"] or entry["fuzzy"]]
        self.assertFalse(untranslated, f"no Japanese (or only a fuzzy guess) for:\n{listing(untranslated)}")

    def test_japanese_differs_from_english_unless_intended(self):
        same = [msgid for msgid, entry in committed_catalogue().items()
                if entry["msgstr"] == msgid and msgid not in SAME_IN_JAPANESE]
        self.assertFalse(same, "the Japanese equals the English; translate it, or add it to SAME_IN_JAPANESE "
                               f"with the reason:\n{listing(same)}")

    def test_the_allow_list_names_only_messages_that_exist(self):
        self.assertLessEqual(set(SAME_IN_JAPANESE), set(committed_catalogue()))

    def test_placeholders_survive_translation(self):
        """A translation that drops or renames %(name)s or {name} would break at run time."""
        pattern = re.compile(r"%\(\w+\)[sdr]|\{\w+(?:![rs])?\}")
        broken = [msgid for msgid, entry in committed_catalogue().items()
                  if sorted(pattern.findall(msgid)) != sorted(pattern.findall(entry["msgstr"]))]
        self.assertFalse(broken, f"placeholders differ between English and Japanese in:\n{listing(broken)}")


class _working_directory:
    def __init__(self, path):
        self.path, self.before = path, None

    def __enter__(self):
        import os
        self.before = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os
        os.chdir(self.before)


@skipUnless(shutil.which("msgfmt"), "needs msgfmt (the backend image has it)")
class CompiledCatalogueTestCase(TestCase):
    """Tests of what the API answers in Japanese, from the committed .po (compiled here into a
    temporary folder, so a test never reads a stale .mo)."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        target = Path(cls.folder.name) / "ja" / "LC_MESSAGES"
        target.mkdir(parents=True)
        subprocess.run(["msgfmt", "--check-format", "-o", str(target / "django.mo"), str(CATALOGUE)], check=True)
        cls.locale = override_settings(LOCALE_PATHS=[cls.folder.name])
        cls.locale.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.locale.disable()
        cls.folder.cleanup()


class ApiLanguageTests(CompiledCatalogueTestCase):
    """The API answers in the language of Accept-Language."""

    def setUp(self):
        self.client = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def test_an_error_message_is_japanese_when_accept_language_asks_for_it(self):
        response = self.client.post_json("/api/users/", "{not json", headers={"Accept-Language": "ja"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"error": "malformed_json", "message": "ボディが正しい JSON ではありません。"})
        self.assertEqual(response["Content-Language"], "ja")
        self.assertIn("Accept-Language", response["Vary"])

    def test_a_browser_preference_list_picks_japanese_and_the_code_stays_english(self):
        response = self.client.get("/api/nowhere/", headers={"Accept-Language": "ja-JP,ja;q=0.9,en-US;q=0.8"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"], "not_found")
        self.assertEqual(response.json()["message"], "/api/nowhere/ にエンドポイントはありません。")

    def test_english_without_accept_language(self):
        response = self.client.post_json("/api/users/", "{not json")
        self.assertEqual(response.json()["message"], "The body is not valid JSON.")
        self.assertIn("Accept-Language", response["Vary"])

    def test_the_scenarios_and_the_fetch_model_speak_japanese(self):
        scenarios = self.client.get("/api/scenarios/", headers={"Accept-Language": "ja"}).json()["scenarios"]
        first = scenarios[0]
        self.assertEqual(first["title"], "許可された単純リクエスト")
        with translation.override("ja"):
            from crossorigin.fetch import PageRequest, RecordedResponse, judge
            verdict = judge(PageRequest(origin="https://a.example", method="GET", headers={}, credentials="omit"),
                            None, RecordedResponse(status=200, headers={}))
        self.assertEqual(verdict.reason, "MissingAllowOriginHeader")
        self.assertIn("Access-Control-Allow-Origin がないため", verdict.why)

    def test_the_cookie_matrix_reasons_speak_japanese(self):
        body = self.client.get("/api/cookies/matrix/?run=i18n-matrix-run", headers={"Accept-Language": "ja"})
        # An unknown run is a 404 in Japanese; the matrix's sentences are checked through the view's
        # translation of cookies.WHY below.
        self.assertEqual(body.status_code, 404)
        self.assertRegex(body.json()["message"], "[ぁ-んァ-ン]")
        from crossorigin.cookies import WHY
        with translation.override("ja"):
            self.assertEqual(translation.gettext(WHY["same_site"]),
                             "同一サイトのリクエスト: ここでは SameSite が Cookie を止めることはありません。")

    def test_a_preflight_may_ask_for_accept_language(self):
        response = self.client.preflight("/api/users/", "POST", "content-type, accept-language")
        self.assertEqual(response.status_code, 200)
        self.assertIn("accept-language", response["Access-Control-Allow-Headers"])
