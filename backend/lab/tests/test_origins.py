"""The one placeholder grammar of the lab's origins (lab/origins.py)."""

import re

from django.conf import settings
from django.test import SimpleTestCase

from lab.origins import LabOrigins, echoes_origin, lab_origins

ORIGINS = LabOrigins(app="https://app.lab.localhost:8443", api="https://api.lab.localhost:8443",
                     attacker="https://attacker.localhost:8443", sibling="https://evil.lab.localhost:8443")


class PlaceholderTests(SimpleTestCase):
    def test_each_name_is_the_running_value(self):
        self.assertEqual(ORIGINS.fill("{app} {api} {attacker} {sibling}"),
                         "https://app.lab.localhost:8443 https://api.lab.localhost:8443 "
                         "https://attacker.localhost:8443 https://evil.lab.localhost:8443")
        self.assertEqual(ORIGINS.fill("https://*.{site}{port}"), "https://*.lab.localhost:8443")

    def test_the_default_port_is_no_port(self):
        on_443 = LabOrigins(app="https://app.lab.localhost", api="https://api.lab.localhost", attacker="https://a.localhost")
        self.assertEqual(on_443.fill("https://*.{site}{port}"), "https://*.lab.localhost")

    def test_filters_chain_left_to_right(self):
        self.assertEqual(ORIGINS.fill("^{app|re}$"), "^https://app\\.lab\\.localhost:8443$")
        self.assertEqual(ORIGINS.fill("^https://{app|host|re}"), "^https://app\\.lab\\.localhost")
        self.assertEqual(ORIGINS.fill("{site|re}"), "lab\\.localhost")
        self.assertTrue(re.match(ORIGINS.fill("^{app|re}$"), ORIGINS.app))
        self.assertFalse(re.match(ORIGINS.fill("^{app|re}$"), "https://app-lab.localhost:8443"))

    def test_origin_is_the_requests_own_or_nothing(self):
        self.assertEqual(ORIGINS.fill("{origin}", "https://x.example"), "https://x.example")
        self.assertEqual(ORIGINS.fill("{origin}"), "")
        self.assertTrue(echoes_origin("{origin}, {app}"))
        self.assertFalse(echoes_origin("{app}"))

    def test_anything_else_in_braces_stays_as_written(self):
        for value in ("^a{2,3}$", "{nope}", "{app|nope}", "{APP}", "{ app }", "{{app}"):
            with self.subTest(value):
                self.assertEqual(ORIGINS.fill(value), value if value != "{{app}" else "{" + ORIGINS.app)

    def test_values_inside_lists_and_objects_are_filled(self):
        self.assertEqual(ORIGINS.fill_all({"cors": {"CORS_ALLOWED_ORIGINS": ["{app}", "null"], "CORS_ALLOW_CREDENTIALS": True}}),
                         {"cors": {"CORS_ALLOWED_ORIGINS": [ORIGINS.app, "null"], "CORS_ALLOW_CREDENTIALS": True}})

    def test_the_running_lab_reads_its_settings(self):
        origins = lab_origins()
        self.assertEqual((origins.app, origins.sibling), (settings.LAB_APP_ORIGIN, settings.LAB_SIBLING_ORIGIN))
        self.assertEqual(origins.site, "lab.localhost")
