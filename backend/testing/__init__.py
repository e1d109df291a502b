"""What the tests share, and only the tests: a Django test client that talks to the API the way
nginx forwards a browser's request, the URL of a case at the playground's endpoint, and every
route of the URLconf. Not an app and not on a floor of the house: no production module may
import it (config/tests/test_layers.py).
"""

import http.client
import json
from urllib.parse import quote

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver


class ApiClient(Client):
    """Host is the API's, the request arrived over https, and the Origin is the page's."""

    def __init__(self, origin: str | None = None, **kwargs):
        defaults = {"HTTP_HOST": settings.LAB_API_HOST, "HTTP_X_FORWARDED_PROTO": "https"}
        if origin:
            defaults["HTTP_ORIGIN"] = origin
        super().__init__(enforce_csrf_checks=True, **{**defaults, **kwargs})

    def post_json(self, path: str, data, **extra):
        body = data if isinstance(data, (str, bytes)) else json.dumps(data)
        return self.post(path, body, content_type="application/json", **extra)

    def preflight(self, path: str, method: str = "POST", headers: str = "content-type"):
        return self.options(path, headers={"Access-Control-Request-Method": method,
                                           "Access-Control-Request-Headers": headers})


def get_over_http(server_thread, path: str, origin: str) -> dict:
    """A GET to a LiveServerTestCase's threaded server, as nginx forwards it: its headers
    (lower-cased) and its status. For the tests of answers served at the same time."""
    connection = http.client.HTTPConnection(server_thread.host, server_thread.port, timeout=10)
    connection.request("GET", path, headers={"Host": settings.LAB_API_HOST, "X-Forwarded-Proto": "https",
                                             "Origin": origin})
    response = connection.getresponse()
    response.read()
    connection.close()
    return {name.lower(): value for name, value in response.getheaders()} | {"status": response.status}


def url_routes(patterns=None, prefix=""):
    """(route, view) for every URL pattern of the root URLconf, the route as Django writes it
    ("api/cookies/probe/<slug:context>/"): for the tests that must cover every endpoint."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def endpoint(server: dict, run: str = "run-playground-1", *, slot: int = 0, hop: int = 0, trailing_slash=True) -> str:
    """The path a page fetches to have `server` (a case's) answer it: the playground's endpoint."""
    path = f"/playground/{slot}/{hop}" + ("/" if trailing_slash else "")
    return f"{path}?run={run}&s={quote(json.dumps(server))}"
