"""Each mistake lets its own attacker in, and its fix shuts that attacker out (the origin tests
alone, as django-cors-headers or the hand-written code would run them)."""

from django.conf import settings
from django.test import SimpleTestCase

from lab.case import cors_config, parse_server
from lab.origins import lab_origins
from leaks.catalogue import HAND_WRITTEN, LEAKS


def attacker_origins(leak) -> list[str]:
    cross_site = (settings.LAB_ATTACKER_ORIGIN if leak.cross_site_attacker == "attacker"
                  else settings.LAB_LOOKALIKE_ORIGINS[leak.cross_site_attacker])
    return ["null" if leak.null_origin else cross_site, settings.LAB_SIBLING_ORIGIN]


def cors_allows(leak, variant: str, origin: str) -> bool:
    server = leak.server(variant)
    if "origin_test" in server:
        return HAND_WRITTEN[server["origin_test"]](origin)
    config = cors_config(server["cors"], lab_origins())
    return config.CORS_ALLOW_ALL_ORIGINS or config.allows_origin(origin)


class CatalogueTests(SimpleTestCase):
    def test_every_mistake_and_fix_is_a_server_of_the_case_grammar(self):
        for leak in LEAKS:
            for variant in ("mistake", "fixed"):
                with self.subTest(leak.slug, variant=variant):
                    server = leak.server(variant)
                    parsed = parse_server(server, lab_origins(), origin_tests=HAND_WRITTEN)
                    self.assertEqual(set(parsed) - {"view"}, set(server))
                    self.assertEqual(next(iter(server)), "csrf" if leak.attack == "form" else "cors")

    def test_every_cors_mistake_lets_at_least_one_attacker_in_and_its_fix_none(self):
        for leak in (leak for leak in LEAKS if leak.attack == "read"):
            with self.subTest(leak.slug):
                self.assertTrue(any(cors_allows(leak, "mistake", origin) for origin in attacker_origins(leak)))
                self.assertFalse(any(cors_allows(leak, "fixed", origin) for origin in attacker_origins(leak)))
                self.assertTrue(cors_allows(leak, "fixed", settings.LAB_APP_ORIGIN))

    def test_each_lookalike_fools_exactly_the_mistake_it_was_made_for(self):
        fooled = {slug: [kind for kind, origin in settings.LAB_LOOKALIKE_ORIGINS.items()
                         if cors_allows(leak, "mistake", origin)]
                  for slug, leak in ((leak.slug, leak) for leak in LEAKS if leak.attack == "read")}
        self.assertEqual(fooled["regex-unescaped-dot"], ["dot"])
        self.assertEqual(fooled["regex-prefix"], ["prefix"])
        # app-lab.localhost ends with "lab.localhost" as well: a suffix test lets both in.
        self.assertEqual(fooled["suffix-match"], ["dot", "suffix"])
        self.assertEqual(fooled["every-subdomain"], [])

    def test_every_subdomain_lets_the_sibling_in_but_not_the_cross_site_attacker(self):
        leak = next(leak for leak in LEAKS if leak.slug == "every-subdomain")
        self.assertTrue(cors_allows(leak, "mistake", settings.LAB_SIBLING_ORIGIN))
        self.assertFalse(cors_allows(leak, "mistake", settings.LAB_ATTACKER_ORIGIN))

    def test_the_null_mistake_trusts_null_and_the_fix_does_not(self):
        leak = next(leak for leak in LEAKS if leak.null_origin)
        self.assertTrue(cors_allows(leak, "mistake", "null"))
        self.assertFalse(cors_allows(leak, "fixed", "null"))

    def test_the_suffix_mistake_cannot_be_written_as_a_library_setting(self):
        # The one entry with hand-written code: no exact list names an unknown evil host, and the
        # library's regexes are re.match'ed from the start, so "ends with" needs a leading .* that
        # the lesson is precisely about not writing.
        [leak] = [leak for leak in LEAKS if "origin_test" in leak.mistake]
        self.assertEqual(leak.slug, "suffix-match")
        self.assertFalse(cors_config(leak.mistake["cors"], lab_origins()).allows_origin(
            settings.LAB_LOOKALIKE_ORIGINS["suffix"]))

    def test_the_catalogue_serves_the_settings_as_the_running_lab_holds_them(self):
        served = {leak["slug"]: leak for leak in (leak.as_json(lab_origins()) for leak in LEAKS)}
        self.assertEqual(served["regex-unescaped-dot"]["fix"]["cors"]["CORS_ALLOWED_ORIGIN_REGEXES"],
                         ["^https://app\\.lab\\.localhost$"])
        self.assertEqual(served["csrf-subdomain-wildcard"]["mistake"]["csrf"]["CSRF_TRUSTED_ORIGINS"],
                         ["https://*.lab.localhost"])


class CheckTests(SimpleTestCase):
    def test_each_mistake_copied_into_the_real_settings_raises_its_check(self):
        from django.core import checks
        from django.test import override_settings

        for leak in LEAKS:
            if leak.check is None:
                continue
            settings_of_the_mistake = next(iter(lab_origins().fill_all(leak.mistake).values()))
            with self.subTest(leak.slug), override_settings(**settings_of_the_mistake):
                self.assertIn(leak.check, [message.id for message in checks.run_checks(tags=["security"])])
