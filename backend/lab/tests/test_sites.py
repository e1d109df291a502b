from unittest import TestCase

from lab.sites import relation, site_of


class SiteTests(TestCase):
    def test_subdomains_of_lab_localhost_are_one_site_whatever_the_port(self):
        self.assertEqual(site_of("https://evil.lab.localhost:8443"), site_of("https://api.lab.localhost:8443"))
        self.assertEqual(site_of("https://api.lab.localhost"), "https://lab.localhost")

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

    def test_a_trailing_dot_is_kept(self):
        self.assertNotEqual(site_of("https://attacker.localhost."), site_of("https://api.lab.localhost."))
        self.assertEqual(site_of("https://api.lab.localhost."), "https://lab.localhost.")

    def test_the_sibling_is_same_site_other_origin_not_trusted(self):
        facts = relation("https://evil.lab.localhost", "https://api.lab.localhost",
                         cors_allowed=["https://app.lab.localhost"], csrf_trusted=["https://app.lab.localhost"])
        self.assertEqual(facts, {"same_origin": False, "same_site": True, "cors_allowed": False, "csrf_trusted": False})
