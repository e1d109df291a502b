"""The probe's requests, against a small HTTP server of the test's own: what it sends (the
preflight a browser sends, then the request with Origin and the cookies), and its bounds (one
origin, no redirect followed, a time limit, a size limit)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import TestCase

from cors_doctor import probe
from crossorigin.deployment.flows import STEPS, Layout, page_request
from crossorigin.deployment.recorded import RecordedApi

FRONT = "http://app.doctor.localhost"


class Api(BaseHTTPRequestHandler):
    """Answers as a Django API configured for FRONT would, and writes down what it received."""
    received: list = []

    def log_message(self, *args):
        pass

    def answer(self, status: int, headers: dict, body: bytes = b"{}"):
        self.send_response(status)
        for name, value in headers.items():
            for item in value if isinstance(value, list) else [value]:
                self.send_header(name, item)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def cors(self) -> dict:
        origin = self.headers.get("Origin")
        return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true"} if origin == FRONT else {}

    def do_OPTIONS(self):
        self.received.append(("OPTIONS", self.path, dict(self.headers)))
        self.answer(200, {**self.cors(), "Access-Control-Allow-Headers": "content-type, x-csrftoken",
                          "Access-Control-Allow-Methods": "GET, POST"}, b"")

    def do_GET(self):
        self.received.append(("GET", self.path, dict(self.headers)))
        if self.path.startswith("/slow/"):
            time.sleep(3)
        if self.path.startswith("/big/"):
            return self.answer(200, self.cors(), b"x" * (probe.MAX_BODY * 2))
        if self.path.startswith("/moved/"):
            return self.answer(301, {"Location": "http://elsewhere.example/"})
        if self.path.startswith("/api/csrf/"):
            return self.answer(200, {**self.cors(), "Set-Cookie": "csrftoken=secret; Path=/; SameSite=Lax"},
                               json.dumps({"csrfToken": "masked"}).encode())
        self.answer(200, self.cors())

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(("POST", self.path, dict(self.headers), self.rfile.read(length)))
        self.answer(201, self.cors())


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the probe hangs up on purpose (size and time limits): no traceback for that


class ProbeTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = QuietServer(("127.0.0.1", 0), Api)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        # A name under .localhost: the probe resolves it to loopback itself, as browsers do.
        cls.api = f"http://api.doctor.localhost:{cls.server.server_port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        Api.received = []
        self.client = probe.Client(self.api, timeout=2)

    def test_a_json_post_is_preflighted_as_a_browser_does_then_sent_with_origin(self):
        request = page_request(STEPS["users"], Layout(FRONT, self.api), "X-CSRFToken")
        recording = probe.send_like_browser(self.client, request, {"Content-Type": "application/json"}, b"{}")
        (preflight_method, _, asked), (method, path, headers, body) = Api.received
        self.assertEqual(preflight_method, "OPTIONS")
        self.assertEqual((asked["Origin"], asked["Access-Control-Request-Method"], asked["Access-Control-Request-Headers"]),
                         (FRONT, "POST", "content-type"))
        self.assertEqual((method, path, headers["Origin"], headers["Host"], body), ("POST", "/api/users/", FRONT,
                                                                                     f"api.doctor.localhost:{self.server.server_port}", b"{}"))
        self.assertEqual((recording.preflight.status, recording.response.status), (200, 201))

    def test_a_preflight_that_refuses_stops_the_request_as_in_a_browser(self):
        request = page_request(STEPS["users"], Layout("http://other.example", self.api), "X-CSRFToken")
        recording = probe.send_like_browser(self.client, request, {"Content-Type": "application/json"}, b"{}")
        self.assertIsNone(recording.response)
        self.assertEqual([entry[0] for entry in Api.received], ["OPTIONS"])

    def test_a_simple_get_is_not_preflighted(self):
        request = page_request(STEPS["hello"], Layout(FRONT, self.api), "X-CSRFToken")
        recording = probe.send_like_browser(self.client, request, {})
        self.assertIsNone(recording.preflight)
        self.assertEqual([entry[0] for entry in Api.received], ["GET"])

    def test_the_cookies_the_api_set_go_with_the_next_credentialed_requests(self):
        layout = Layout(FRONT, self.api)
        recordings = probe.record(layout, self.client, "X-CSRFToken")
        self.assertEqual(set(recordings), {"hello", "users", "csrf"})  # no credentials: no login, no JWT
        api = RecordedApi(layout, recordings)
        self.assertEqual(api.cookie("csrf").name, "csrftoken")
        self.assertEqual(api.judged_flows({"simple-get": ("hello",), "session-login": ("csrf", "login")}), ("simple-get",))

    def test_it_requests_nothing_but_the_apis_origin(self):
        with self.assertRaises(probe.ProbeError):
            self.client.send("GET", "http://elsewhere.example/", {})
        self.assertEqual(Api.received, [])

    def test_a_redirect_is_recorded_not_followed(self):
        answer = self.client.send("GET", self.api + "/moved/", {})
        self.assertEqual((answer.status, answer.location()), (301, "http://elsewhere.example/"))
        self.assertEqual(len(Api.received), 1)

    def test_an_answer_is_cut_at_the_size_limit(self):
        self.assertEqual(len(self.client.send("GET", self.api + "/big/", {}).body), probe.MAX_BODY)

    def test_a_slow_api_is_given_up(self):
        started = time.monotonic()
        with self.assertRaises(probe.ProbeError):
            probe.Client(self.api, timeout=0.5).send("GET", self.api + "/slow/", {})
        self.assertLess(time.monotonic() - started, 2.5)
