"""The live probe: the requests a browser would send for each flow, sent from the learner's own
terminal to the API, and recorded for the models to judge (crossorigin.deployment.recorded).

Only a terminal runs it (python -m cors_doctor --probe, make doctor): no view of the lab imports
this module (doctor/tests/test_views.py checks it), so no web page can make the lab fetch a URL.
It requests nothing but the API's own origin; it follows no redirect (it records it, and says so);
each request waits at most `timeout` seconds in all and reads at most MAX_BODY bytes of the answer.

For every request it sends what the browser would: the preflight (OPTIONS with Origin and
Access-Control-Request-Method/-Headers) when the request needs one, then, if that preflight would
let the browser go on, the request itself with Origin and every cookie the API set so far. With
test credentials it also logs in (the session flows), and fetches a JWT.
"""

import http.client
import json
import socket
import ssl
import time
from urllib.parse import urlsplit

from crossorigin.deployment.flows import STEPS, page_request
from crossorigin.deployment.recorded import Answer, Recording
from crossorigin.fetch import RecordedResponse, judge, needs_preflight, unsafe_request_headers
from crossorigin.fetch.request import normalize_method
from crossorigin.sites import origin_of

MAX_BODY = 64 * 1024
TIMEOUT = 10.0
USER_AGENT = "cors-doctor-probe"
# The order of the browser test (and of flows.run): each step's cookies come from those before it.
SEQUENCE = ("hello", "users", "csrf", "me-anonymous", "login", "me", "logout-csrf", "logout", "token",
            "protected-anonymous", "protected")
# Steps that need test credentials (a JWT comes from the login too).
CREDENTIAL_STEPS = ("me-anonymous", "login", "me", "logout-csrf", "logout", "token", "protected-anonymous", "protected")


class ProbeError(Exception):
    """The API could not be reached, or answered beyond the bounds."""


class _Connection(http.client.HTTPConnection):
    """One connection to `address`, speaking to `host` (TLS with SNI and certificate checks for it)."""

    def __init__(self, host: str, port: int, address: str, tls: ssl.SSLContext | None, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address, self.tls = address, tls

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host) if self.tls else sock


class Client:
    """HTTP/1.1 to one origin. Hosts under .localhost resolve to loopback, as browsers resolve them
    (RFC 6761); `resolve` pins other names ({"api.example.com": "127.0.0.1"}), as curl's --resolve."""

    def __init__(self, origin: str, cafile: str | None = None, resolve: dict | None = None, timeout: float = TIMEOUT):
        self.origin, self.timeout = origin_of(origin), timeout
        parts = urlsplit(self.origin)
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        local = self.host == "localhost" or self.host.endswith(".localhost")
        self.address = (resolve or {}).get(self.host) or ("127.0.0.1" if local else self.host)
        self.tls = ssl.create_default_context(cafile=cafile) if self.scheme == "https" else None

    def send(self, method: str, url: str, headers: dict, body: bytes | None = None) -> Answer:
        if origin_of(url) != self.origin:
            raise ProbeError(f"refusing {url}: the probe only requests {self.origin}")
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        deadline = time.monotonic() + self.timeout
        connection = _Connection(self.host, self.port, self.address, self.tls, self.timeout)
        try:
            connection.request(method, target, body=body, headers={"User-Agent": USER_AGENT, **headers})
            response = connection.getresponse()
            data = b""
            while len(data) <= MAX_BODY:
                chunk = response.read(8192)
                if not chunk:
                    break
                data += chunk
                if time.monotonic() > deadline:
                    raise ProbeError(f"{method} {url}: the answer took over {self.timeout} s")
            return Answer(response.status, tuple(response.getheaders()), data[:MAX_BODY].decode("utf-8", "replace"), url)
        except (OSError, http.client.HTTPException) as error:
            raise ProbeError(f"{method} {url}: {error}") from None
        finally:
            connection.close()


def _browser_goes_on(request, preflight: Answer) -> bool:
    """Would the browser send the request after this preflight? (An answer that passes the CORS
    check stands in for the one not sent yet.)"""
    stand_in = RecordedResponse(200, {"access-control-allow-origin": request.origin,
                                      "access-control-allow-credentials": "true"})
    return judge(request, preflight.response(), stand_in, engine="chromium").failed_at != "preflight"


def send_like_browser(client: Client, request, headers: dict, body: bytes | None = None) -> Recording:
    """One fetch() as the browser sends it: its preflight when it needs one (Origin and
    Access-Control-Request-*), then, unless that preflight stops it, the request with Origin and
    `headers` (the request's own, and the cookies)."""
    preflight = None
    if origin_of(request.url) != request.origin and needs_preflight(request):
        asked = {"Origin": request.origin, "Access-Control-Request-Method": normalize_method(request.method)}
        unsafe = unsafe_request_headers(request)
        if unsafe:
            asked["Access-Control-Request-Headers"] = ",".join(unsafe)
        preflight = client.send("OPTIONS", request.url, asked)
        if not _browser_goes_on(request, preflight):
            return Recording(preflight, None)
    # Browsers send Origin with every cross-origin request, and with same-origin ones but GET and HEAD.
    if origin_of(request.url) != request.origin or normalize_method(request.method) not in ("GET", "HEAD"):
        headers = {"Origin": request.origin, **headers}
    return Recording(preflight, client.send(normalize_method(request.method), request.url, headers, body))


def record(layout, client: Client, csrf_header: str, username: str | None = None, password: str | None = None) -> dict:
    """Every step's Recording, keyed by step name, in the order of the flows, each request with the
    cookies the API set before it. The session and JWT steps need test credentials."""
    cookies, held, recordings = {}, {"csrf": "", "token": ""}, {}
    for key in SEQUENCE:
        if key in CREDENTIAL_STEPS and not username:
            continue
        name = key.removesuffix("-anonymous").removeprefix("logout-")
        step = STEPS[name]
        headers = {}
        if step.json:
            headers["Content-Type"] = "application/json"
        if step.csrf:
            headers[csrf_header] = held["csrf"]
        if step.bearer:
            headers["Authorization"] = f"Bearer {held['token'] if key == 'protected' else 'not-a-token'}"
        if step.credentials == "include" and key != "me-anonymous" and cookies:
            headers["Cookie"] = "; ".join(f"{cookie}={value}" for cookie, value in cookies.items())
        body = json.dumps(_body(step, username, password)).encode() if step.json else None
        recording = recordings[key] = send_like_browser(client, page_request(step, layout, csrf_header), headers, body)
        answer = recording.response
        if answer is None:
            continue
        if step.credentials == "include":
            for header_name, value in answer.headers:
                if header_name.lower() == "set-cookie" and "=" in value.split(";", 1)[0]:
                    cookie, cookie_value = value.split(";", 1)[0].split("=", 1)
                    cookies[cookie.strip()] = cookie_value.strip()
        if name in ("csrf", "login", "token") and answer.token():
            held["token" if name == "token" else "csrf"] = answer.token()
    # The logout flow fetched a fresh token; the model judges one answer of the CSRF endpoint for both.
    recordings.pop("logout-csrf", None)
    return recordings


def _body(step, username: str | None, password: str | None) -> dict:
    """The JSON the page posts: the article's credentials for the login and the token, and for the
    JSON POST a made-up user (its answer may be a 400: what matters is whether the page reads it)."""
    if step.name in ("login", "token"):
        return {"username": username or "", "password": password or ""}
    return {"username": "cors-doctor", "email": "cors-doctor@example.com"}


def summary(recordings: dict) -> list[dict]:
    """What the probe saw, for the report: status and CORS headers, and the cookies' attributes
    (never their values)."""
    lines = []
    for key, recording in recordings.items():
        for kind, answer in (("preflight", recording.preflight), ("request", recording.response)):
            if answer is None:
                continue
            cors = {name.lower(): value for name, value in answer.headers if name.lower().startswith("access-control-")}
            cookies = [value.split("=", 1)[0] + ";" + value.split(";", 1)[1] if ";" in value else value.split("=", 1)[0]
                       for name, value in answer.headers if name.lower() == "set-cookie"]
            lines.append({"step": key, "kind": kind, "url": answer.url, "status": answer.status, "cors": cors,
                          "set_cookie": cookies})
    return lines
