"""Django's CSRF check under one catalogue entry's CSRF_TRUSTED_ORIGINS, for one request.

CsrfViewMiddleware reads settings.CSRF_TRUSTED_ORIGINS through three properties that it caches
per instance: csrf_trusted_origins_hosts (the Referer check), allowed_origins_exact and
allowed_origin_subdomains (the Origin check). This subclass computes the same three from origins
passed in, exactly as Django does from the setting, so a fresh instance checks one request under
the entry's trusted origins and nothing shared is switched. leaks/tests/test_csrf.py runs it beside
Django's own middleware under override_settings and fails if the two ever disagree.
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.middleware.csrf import CsrfViewMiddleware


class TrustedOriginsCsrfMiddleware(CsrfViewMiddleware):
    def __init__(self, get_response, trusted_origins):
        super().__init__(get_response)
        self.trusted_origins = list(trusted_origins)

    @property
    def csrf_trusted_origins_hosts(self):
        return [urlsplit(origin).netloc.lstrip("*") for origin in self.trusted_origins]

    @property
    def allowed_origins_exact(self):
        return {origin for origin in self.trusted_origins if "*" not in origin}

    @property
    def allowed_origin_subdomains(self):
        subdomains = defaultdict(list)
        for parsed in (urlsplit(origin) for origin in self.trusted_origins if "*" in origin):
            subdomains[parsed.scheme].append(parsed.netloc.lstrip("*"))
        return subdomains


def the_protected_view(request):
    """Stands for the view being protected: process_view needs one that is not csrf_exempt."""


def refusal(request, trusted_origins):
    """None when Django's CSRF check accepts `request` under `trusted_origins`, else its 403."""
    checker = TrustedOriginsCsrfMiddleware(lambda request: None, trusted_origins)
    checker.process_request(request)
    return checker.process_view(request, the_protected_view, (), {})
