"""The per-entry CSRF check agrees with Django's own CsrfViewMiddleware under the same setting:
if a Django upgrade changes how CSRF_TRUSTED_ORIGINS is read, this fails."""

from django.middleware.csrf import CsrfViewMiddleware
from django.test import RequestFactory, SimpleTestCase, override_settings

from leaks.csrf import TrustedOriginsCsrfMiddleware, refusal, the_protected_view

TRUSTED = [["https://app.lab.localhost"], ["https://*.lab.localhost"], ["https://*.lab.localhost", "https://app.lab.localhost"]]
ORIGINS = ["https://app.lab.localhost", "https://evil.lab.localhost", "https://evillab.localhost",
           "https://attacker.localhost", "null", "http://evil.lab.localhost"]
SECRET = "a" * 32


def post(origin):
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": SECRET}, HTTP_ORIGIN=origin,
                                    HTTP_HOST="api.lab.localhost", secure=True)
    request.COOKIES["csrftoken"] = SECRET
    return request


class TrustedOriginsCsrfTests(SimpleTestCase):
    def test_agrees_with_django_under_the_same_setting(self):
        for trusted in TRUSTED:
            for origin in ORIGINS:
                with self.subTest(trusted=trusted, origin=origin):
                    with override_settings(CSRF_TRUSTED_ORIGINS=trusted, ALLOWED_HOSTS=["api.lab.localhost"]):
                        django = CsrfViewMiddleware(lambda r: None)
                        request = post(origin)
                        django.process_request(request)
                        expected = django.process_view(request, the_protected_view, (), {})
                    with override_settings(ALLOWED_HOSTS=["api.lab.localhost"]):
                        ours = refusal(post(origin), trusted)
                    self.assertEqual(expected is None, ours is None)

    def test_the_wildcard_lets_the_sibling_through_and_nothing_shared_changes(self):
        with override_settings(ALLOWED_HOSTS=["api.lab.localhost"]):
            self.assertIsNone(refusal(post("https://evil.lab.localhost"), ["https://*.lab.localhost"]))
            self.assertIsNotNone(refusal(post("https://evil.lab.localhost"), ["https://app.lab.localhost"]))
        self.assertEqual(TrustedOriginsCsrfMiddleware(lambda r: None, ["x"]).trusted_origins, ["x"])
