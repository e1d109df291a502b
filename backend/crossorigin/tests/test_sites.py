"""Origins and sites with the Public Suffix List. Most cases are drawn from the list itself, as the
pinned publicsuffixlist package ships it: every rule of its ICANN and PRIVATE sections (wildcard and
exception rules too), and the list project's own test vectors (publicsuffix/list/tests/test_psl.txt), which the
package ships beside it. No Django needed."""

import re
from importlib.resources import files
from unittest import TestCase

from crossorigin.sites import origin_of, registrable_domain, relation, same_site, site_of, suffix_section

PACKAGE = files("publicsuffixlist")


def section_rules(section: str) -> list[str]:
    """The rules of one section of the bundled list ("ICANN" or "PRIVATE"), as written there."""
    text = PACKAGE.joinpath("public_suffix_list.dat").read_text(encoding="utf-8")
    begin, end = f"// ===BEGIN {section} DOMAINS===", f"// ===END {section} DOMAINS==="
    lines = text[text.index(begin) + len(begin):text.index(end)].splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("//")]


SECTIONS = {"icann": section_rules("ICANN"), "private": section_rules("PRIVATE")}
ALL_RULES = {rule for rules in SECTIONS.values() for rule in rules}


class TheListTests(TestCase):
    """Each rule, as the list states it, read through registrable_domain(), same_site() and
    suffix_section(). Labels that end in -lab are not on the list, so only the rule decides."""

    def assert_no_failures(self, failures: list):
        self.assertFalse(failures, f"{len(failures)} rules, the first ones: {failures[:5]}")

    def test_the_list_has_both_sections_and_every_kind_of_rule(self):
        for rules in SECTIONS.values():
            self.assertGreater(len(rules), 1000)
            self.assertTrue(any(rule.startswith("*.") for rule in rules))
        self.assertTrue(any(rule.startswith("!") for rule in SECTIONS["icann"]))

    def test_a_plain_rule_is_a_suffix_and_the_label_under_it_a_site(self):
        failures = []
        for section, rules in SECTIONS.items():
            for rule in rules:
                if rule[0] in "*!" or f"*.{rule}" in ALL_RULES:
                    continue
                domain = f"example-lab.{rule}"
                found = (registrable_domain(rule), registrable_domain(f"www.{domain}"), suffix_section(f"www.{domain}"),
                         same_site(f"https://www.{domain}", f"https://api.{domain}:8443"),
                         same_site(f"https://alice-lab.{rule}", f"https://bob-lab.{rule}"))
                if found != (None, domain, section, True, False):
                    failures.append((section, rule, found))
        self.assert_no_failures(failures)

    def test_a_wildcard_rule_makes_every_label_under_it_a_suffix(self):
        failures = []
        for section, rules in SECTIONS.items():
            for rule in rules:
                if not rule.startswith("*."):
                    continue
                suffix = f"b-lab.{rule[2:]}"
                found = (registrable_domain(suffix), registrable_domain(f"www.a-lab.{suffix}"),
                         suffix_section(f"a-lab.{suffix}"), same_site(f"https://a-lab.{suffix}", f"https://c-lab.{suffix}"))
                if found != (None, f"a-lab.{suffix}", section, False):
                    failures.append((section, rule, found))
        self.assert_no_failures(failures)

    def test_an_exception_rule_is_a_registrable_domain_under_its_wildcard(self):
        failures = []
        for section, rules in SECTIONS.items():
            for rule in rules:
                if not rule.startswith("!"):
                    continue
                domain = rule[1:]
                found = (registrable_domain(domain), registrable_domain(f"www.{domain}"), suffix_section(domain),
                         same_site(f"https://{domain}", f"https://www.{domain}"))
                if found != (domain, domain, section, True):
                    failures.append((section, rule, found))
        self.assertGreater(sum(rule.startswith("!") for rule in ALL_RULES), 0)
        self.assert_no_failures(failures)

    def test_the_list_projects_own_test_vectors(self):
        """checkPublicSuffix(domain, registrable domain) lines of publicsuffix/list/tests/test_psl.txt (null input left out)."""
        text = PACKAGE.joinpath("test_psl.txt").read_text(encoding="utf-8")
        vectors = re.findall(r"^checkPublicSuffix\('([^']*)', (?:'([^']*)'|null)\);", text, re.MULTILINE)
        self.assertGreater(len(vectors), 60)
        for domain, expected in vectors:
            with self.subTest(domain):
                self.assertEqual(registrable_domain(domain), expected or None)

    def test_the_lab_tlds_are_not_on_the_list(self):
        """So only the default rule "*" makes lab.localhost a site, which WebKit does not follow."""
        tlds = {rule.lstrip("*.!").rsplit(".", 1)[-1] for rule in ALL_RULES}
        self.assertIn("jp", tlds)
        self.assertNotIn("localhost", tlds)
        self.assertNotIn("test", tlds)


class DeploymentTests(TestCase):
    """The layouts learners deploy: a static front and a Django API, as browsers pair them."""

    def test_the_suffixes_below_are_where_the_list_says(self):
        self.assertIn("co.jp", SECTIONS["icann"])
        for suffix in ("github.io", "vercel.app", "onrender.com"):
            self.assertIn(suffix, SECTIONS["private"])

    def test_two_users_of_github_io_are_two_sites(self):
        self.assertFalse(same_site("https://alice.github.io", "https://bob.github.io"))
        self.assertFalse(same_site("https://alice.github.io", "https://alice-api.github.io"))
        self.assertEqual(site_of("https://alice.github.io"), "https://alice.github.io")
        self.assertEqual(suffix_section("alice.github.io"), "private")

    def test_a_front_on_vercel_and_an_api_on_render_are_two_sites(self):
        self.assertFalse(same_site("https://myapp.vercel.app", "https://myapi.onrender.com"))

    def test_two_hosts_of_one_co_jp_domain_are_one_site(self):
        self.assertTrue(same_site("https://www.example.co.jp", "https://api.example.co.jp"))
        self.assertEqual(registrable_domain("api.example.co.jp"), "example.co.jp")
        self.assertEqual(suffix_section("www.example.co.jp"), "icann")

    def test_an_apex_and_its_subdomain_are_one_site(self):
        self.assertTrue(same_site("https://kikuichige.com", "https://django6.kikuichige.com"))
        self.assertEqual(site_of("https://django6.kikuichige.com"), "https://kikuichige.com")

    def test_an_http_front_and_an_https_api_are_two_sites(self):
        """Schemeful same-site: the scheme is part of the site."""
        self.assertFalse(same_site("http://kikuichige.com", "https://django6.kikuichige.com"))
        self.assertFalse(same_site("http://app.lab.localhost", "https://api.lab.localhost"))

    def test_ports_never_matter(self):
        self.assertTrue(same_site("https://kikuichige.com:8443", "https://django6.kikuichige.com"))
        self.assertTrue(same_site("http://localhost:5173", "http://localhost:8000"))
        self.assertEqual(site_of("https://api.example.co.jp:8443"), "https://example.co.jp")

    def test_a_suffix_only_the_default_rule_matches_is_not_listed(self):
        for host in ("app.lab.localhost", "attacker.localhost", "api.example.test", "127.0.0.1", "::1"):
            with self.subTest(host):
                self.assertIsNone(suffix_section(host))
        self.assertEqual(suffix_section("kikuichige.com"), "icann")


class LabSiteTests(TestCase):
    """The lab's own hosts, under .localhost: the default rule, as Chromium reads it."""

    def test_subdomains_of_lab_localhost_are_one_site_whatever_the_port(self):
        self.assertEqual(site_of("https://evil.lab.localhost:8443"), site_of("https://api.lab.localhost:8443"))
        self.assertEqual(site_of("https://api.lab.localhost"), "https://lab.localhost")
        self.assertEqual(site_of("https://app.lab.localhost"), "https://lab.localhost")

    def test_the_attacker_is_a_site_of_its_own(self):
        self.assertEqual(site_of("https://attacker.localhost"), "https://attacker.localhost")

    def test_lookalikes_are_other_sites(self):
        api = "https://api.lab.localhost"
        for lookalike in ("https://attacker.localhost", "https://evillab.localhost", "https://app-lab.localhost",
                          "https://app.lab.localhost.attacker.localhost"):
            with self.subTest(lookalike):
                self.assertNotEqual(site_of(lookalike), site_of(api))

    def test_an_ip_address_is_a_site_of_its_own(self):
        self.assertNotEqual(site_of("https://10.0.0.1"), site_of("https://192.168.0.1"))
        self.assertEqual(site_of("https://127.0.0.1:8443"), "https://127.0.0.1")
        self.assertEqual(site_of("https://[::1]"), "https://[::1]")
        self.assertIsNone(registrable_domain("127.0.0.1"))

    def test_a_trailing_dot_is_kept(self):
        self.assertNotEqual(site_of("https://attacker.localhost."), site_of("https://api.lab.localhost."))
        self.assertEqual(site_of("https://api.lab.localhost."), "https://lab.localhost.")
        self.assertEqual(site_of("https://www.example.co.jp."), "https://example.co.jp.")

    def test_the_sibling_is_same_site_other_origin_not_trusted(self):
        facts = relation("https://evil.lab.localhost", "https://api.lab.localhost",
                         cors_allowed=["https://app.lab.localhost"], csrf_trusted=["https://app.lab.localhost"])
        self.assertEqual(facts, {"same_origin": False, "same_site": True, "cors_allowed": False, "csrf_trusted": False})


class OriginTests(TestCase):
    def test_an_origin_is_serialized_as_the_browser_does(self):
        self.assertEqual(origin_of("https://B.test:443/x"), "https://b.test")
        self.assertEqual(origin_of("https://user:pw@api.lab.localhost:8443/x?y"), "https://api.lab.localhost:8443")
        self.assertEqual(origin_of("http://[::1]:80/"), "http://[::1]")
