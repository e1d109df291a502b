"""What nginx answers by itself (nginx/json-errors.conf), as curl and as the page see it.

nginx adds no CORS header (the lab's rule: every Access-Control-* header comes from Django), so a
JSON answer nginx makes is readable by curl and by no page of another origin: the page's fetch()
throws a TypeError, and Chromium's DevTools say why (the answer came, without CORS headers).
The browser speaks HTTP/2: every size limit is tried over HTTP/1.1 and HTTP/2 (curl), and from
the page, and answers the same JSON over both, where nginx's own HTTP/2 limits would end the
connection with no answer at all (nginx/nginx.conf.template).
The 502 and 504 need the backend down: tests/faults/ stops it and runs test_backend_down.py.

nginx's messages follow Accept-Language as Django's do (nginx/accept-language.conf): Japanese when
the request prefers ja to en. Each answer is asked for in both languages here, and nginx's choice of
language is compared with Django's for the same header on the same stack.
"""

import http.client
import json
import re
import socket
import ssl
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import lab


def fields(response: http.client.HTTPResponse) -> dict[str, str]:
    """The answer's header fields by lower-case name; a field sent twice is joined with ", ", as
    HTTP reads a list (RFC 9110 5.3), so that a second Vary or Content-Language shows."""
    joined: dict[str, str] = {}
    for name, value in response.getheaders():
        joined[name.lower()] = f"{joined[name.lower()]}, {value}" if name.lower() in joined else value
    return joined


def http11(host: str, path: str, headers: dict | None = None, method: str = "GET", body=None,
           sni: str | None = None) -> tuple[int, str, dict]:
    """One HTTP/1.1 request as curl would send it, with the TLS name `sni` and the Host `host`."""
    raw = socket.create_connection(("127.0.0.1", lab.HTTPS_PORT), timeout=15)
    tls = lab.TLS.wrap_socket(raw, server_hostname=sni or host)
    connection = http.client.HTTPSConnection(host, lab.HTTPS_PORT)
    connection.sock = tls
    connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, text, fields(response)


def assert_nginx_json(status, text, headers, expected_status, code):
    assert status == expected_status, text
    assert headers["content-type"].startswith("application/json")
    assert headers["x-content-type-options"] == "nosniff"
    assert json.loads(text)["error"] == code
    assert not any(name.startswith("access-control-") for name in headers)


def curl(protocol: str, host: str, path: str, headers: dict | None = None,
         body: bytes | None = None) -> tuple[int, str, dict]:
    """One request with curl over "http1.1" or "http2" (negotiated by TLS, as browsers do), trusting
    the lab CA. A connection that ends with no answer fails the test, with curl's own words."""
    with tempfile.TemporaryDirectory() as folder:
        head, answer = Path(folder, "head"), Path(folder, "body")
        command = ["curl", "-sS", f"--{protocol}", "--cacert", lab.CA_FILE, "-D", str(head), "-o", str(answer),
                   "-w", "%{http_version}", *(f"-H{name}: {value}" for name, value in (headers or {}).items())]
        if body is not None:
            Path(folder, "request").write_bytes(body)
            command += ["--data-binary", f"@{Path(folder, 'request')}"]
        done = subprocess.run([*command, f"https://{host}:{lab.HTTPS_PORT}{path}"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"no answer over {protocol}: {done.stderr.strip()}"
        assert done.stdout == {"http1.1": "1.1", "http2": "2"}[protocol], done.stdout
        lines = head.read_text().splitlines()
        status = int(lines[0].split()[1])
        fields = {}
        for line in filter(None, lines[1:]):
            name, _, value = line.partition(":")
            fields[name.lower()] = f"{fields[name.lower()]}, {value.strip()}" if name.lower() in fields else value.strip()
        return status, answer.read_text(), fields


CROSS_SITE_APP_HOST = urlsplit(lab.CROSS_SITE_APP).hostname
LINE = 16 * 1024        # the lab's limit on a URL or one header line (nginx/request-limits.js)
HEADERS = 64 * 1024     # ...and on every header line together
BODY = 64 * 1024        # ...and on a body (client_max_body_size, nginx/nginx.conf.template)
JSON = {"Content-Type": "application/json"}
# Each limit, just over and far over it (yet under nginx's own buffers, 64 KiB a line, where HTTP/2
# would end the connection), and what nginx answers. Sizes count the whole request target, or the
# "Name: value" line. A body, on every location that hands one to Django.
LIMITS = {
    "url just over 16 KiB": (lab.API_HOST, "/api/ledger/?run=" + "a" * (LINE - 16), {}, None, 414, "uri_too_long"),
    "url of 60,000": (lab.API_HOST, "/api/ledger/?run=" + "a" * 60_000, {}, None, 414, "uri_too_long"),
    "url on a static host": (lab.APP_HOST, "/lab-config.json?" + "a" * LINE, {}, None, 414, "uri_too_long"),
    "header line just over 16 KiB": (lab.API_HOST, "/api/hello/", {"X-Big": "a" * (LINE - 6)}, None, 431,
                                     "headers_too_large"),
    "header line of 40,000": (lab.APP_HOST, "/lab-config.json", {"X-Big": "a" * 40_000}, None, 431,
                              "headers_too_large"),
    "body on the api host": (lab.API_HOST, "/api/users/", JSON, b"x" * (BODY + 1), 413, "body_too_large"),
    "body on a static host": (lab.APP_HOST, "/lab-config.json", JSON, b"x" * (BODY + 1), 413, "body_too_large"),
    "body on the cross-site app's /api/": (CROSS_SITE_APP_HOST, "/api/users/", JSON, b"x" * 900_000, 413,
                                           "body_too_large"),
    "body on the attacker's /playground/": (lab.ATTACKER_HOST, "/playground/0/0/", JSON, b"x" * 900_000, 413,
                                            "body_too_large"),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_every_limit_gets_the_same_nginx_json_over_http11_and_http2(limit):
    host, path, headers, body, status, code = LIMITS[limit]
    over_http11 = curl("http1.1", host, path, headers, body)
    over_http2 = curl("http2", host, path, headers, body)
    assert_nginx_json(*over_http11, status, code)
    assert_nginx_json(*over_http2, status, code)
    assert over_http2[1] == over_http11[1]


def test_header_lines_over_64_kib_in_all_get_nginx_json_431_over_http11():
    """Over HTTP/2 curl will not send so many headers (nghttp2's own 64 KiB cap): the page does,
    test_the_page_reads_nginx_json_for_headers_over_the_limits_over_http2."""
    headers = {f"X-Big-{n}": "a" * 15_000 for n in range(5)}
    assert sum(len(f"{name}: {value}") for name, value in headers.items()) > HEADERS
    assert_nginx_json(*curl("http1.1", lab.APP_HOST, "/lab-config.json", headers), 431, "headers_too_large")


@pytest.mark.parametrize("protocol", ["http1.1", "http2"])
def test_requests_within_the_limits_reach_django(protocol):
    """Up to 16 KiB a line and 64 KiB in all, as the lab's pages may send: a URL, a header line, a
    cookie line over gunicorn's default 8 KiB (nginx joins HTTP/2's cookie crumbs into one such
    line), and four lines of 15,000."""
    url = curl(protocol, lab.API_HOST, "/api/hello/?pad=" + "a" * (LINE - 20), {"Origin": lab.APP})
    header = curl(protocol, lab.API_HOST, "/api/hello/", {"X-Big": "a" * (LINE - 7)})
    cookies = curl(protocol, lab.API_HOST, "/api/hello/", {"Cookie": "; ".join(f"c{n}={'a' * 3000}" for n in range(4))})
    four_lines = {f"X-Big-{n}": "a" * 15_000 for n in range(4)}
    assert sum(len(f"{name}: {value}") for name, value in four_lines.items()) < HEADERS
    many = curl(protocol, lab.API_HOST, "/api/hello/", four_lines)
    for status, text, headers in (url, header, cookies, many):
        assert status == 200 and "Hello from Django" in text, text[:300]
    assert url[2]["access-control-allow-origin"] == lab.APP
    assert json.loads(cookies[1])["received"]["cookies"] == ["c0", "c1", "c2", "c3"]


def test_more_header_fields_than_gunicorns_default_reach_django():
    """gunicorn alone would refuse over 100 fields with an HTML 400; its limit is raised above
    what the lab's 64 KiB of headers can hold."""
    status, text, _headers = http11(lab.API_HOST, "/api/hello/", {f"X-Field-{n}": "v" for n in range(150)})
    assert status == 200 and "Hello from Django" in text


@pytest.mark.parametrize("request_line", [
    b"GET /api/hello/\xff HTTP/1.1",                  # a byte outside ASCII in the path, not %-encoded
    b"GET /api/ledger/?run=\xe3\x81\x82 HTTP/1.1",    # raw UTF-8 in the query
    b"A" * 21 + b" /api/hello/ HTTP/1.1",             # a method longer than gunicorn takes
], ids=["path", "query", "method"])
def test_what_gunicorn_would_refuse_in_html_gets_nginx_json_400_first(request_line):
    host = f"Host: {lab.API_HOST}".encode()
    status, text, headers = raw_http11(request_line + b"\r\n" + host + b"\r\nConnection: close\r\n\r\n")
    assert_nginx_json(status, text, headers, 400, "bad_request")
    assert "nginx could not read this request" in text


@pytest.mark.parametrize("value", ["a\x01b", "a\x7fb", "\x1b[31m"])
def test_a_control_character_in_a_header_value_gets_gunicorns_refusal_in_json(value):
    """nginx passes it on; gunicorn refuses it (RFC 9110 5.5), in the JSON of
    backend/config/gunicorn_worker.py instead of its HTML page."""
    status, text, headers = http11(lab.API_HOST, "/api/hello/", {"X-Lab-Probe": value})
    assert_nginx_json(status, text, headers, 400, "bad_request")
    assert "gunicorn could not read this request" in text
    assert headers["content-language"] == "en, ja"


@pytest.mark.parametrize("sni", ["API_HOST", "APP_HOST", "ATTACKER_HOST"])
def test_known_tls_name_with_an_unknown_host_gets_json_421(sni):
    status, text, headers = http11("evil.example", "/", sni=getattr(lab, sni))
    assert_nginx_json(status, text, headers, 421, "misdirected_request")


def test_missing_static_file_gets_json_404():
    status, text, headers = http11(lab.APP_HOST, "/no-such-page.html")
    assert_nginx_json(status, text, headers, 404, "not_found")


def speaks_http2(page) -> bool:
    return page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol") == "h2"


# Run ids the page may send (ledger/runs.py takes 8 to 64 characters): Django answers each, with
# the API's CORS headers, up to a URL of 16 KiB.
RUN_IDS = {"64, the longest run id": ("r" * 64, 404, "unknown_run"),
           "65": ("r" * 65, 400, "invalid_run_id"),
           "16,000": ("r" * 16_000, 400, "invalid_run_id")}


@pytest.mark.parametrize("run_id", RUN_IDS)
def test_the_page_reads_djangos_answer_to_a_long_run_id_over_http2(app_page, run_id):
    value, status, code = RUN_IDS[run_id]
    assert speaks_http2(app_page)
    result = lab.fetch_in_page(app_page, f"{lab.API}/api/ledger/?run={value}")
    assert result["threw"] is False, result
    assert (result["status"], json.loads(result["body"])["error"]) == (status, code)
    assert result["headers"]["access-control-allow-origin"] == lab.APP


# A playground case as the page sends it to the checker (frontend/js/playground.js: URLSearchParams,
# which percent-encodes "%" as three characters): nearly every byte of this one is encoded so, about
# the longest URL a case of that size makes. It is no valid case; what matters is who answers.
CHECK_CASE = """async (size) => {
  const text = `{"page": "app", "body": "${"%".repeat(size - 27)}"}`;
  const query = new URLSearchParams({ case: text }).toString();
  const response = await fetch(`${(await (await fetch("/lab-config.json")).json()).api}/api/playground/check/?${query}`);
  return {bytes: new TextEncoder().encode(text).length, url: query.length, status: response.status,
          body: await response.json(), cors: response.headers.get("access-control-allow-origin")};
}"""


@pytest.mark.parametrize("size", [4096, 4097])
def test_a_playground_case_up_to_the_checkers_limit_and_over_reaches_django_over_http2(app_page, size):
    """backend/lab/case.py checks MAX_CASE_BYTES (4096) itself: nginx must let the longest
    URL of such a case through, and one byte more, for the checker to say so."""
    answer = app_page.evaluate(CHECK_CASE, size)
    assert answer["bytes"] == size and answer["url"] > 3 * 4000, answer["url"]
    assert answer["status"] == 400 and answer["body"]["error"] == "invalid_case", answer["body"]
    assert answer["cors"] == lab.APP
    over = "over 4096 bytes" in answer["body"]["message"]
    assert over is (size > 4096), answer["body"]


@pytest.mark.parametrize("length", [20_000, 100_000])
def test_a_url_over_the_limit_gets_nginx_answer_not_a_dropped_connection_over_http2(app_page, network, length):
    """nginx's JSON 414 carries no CORS header, so the page gets a TypeError; but Chromium did get
    the answer (a CORS error), where nginx's own HTTP/2 limit would have ended the connection."""
    result = lab.fetch_in_page(app_page, f"{lab.API}/api/hello/?pad=" + "a" * length)
    assert result["threw"] is True and "TypeError" in result["error"]
    network.wait_for_failures("/api/hello/?pad=")
    assert network.cors_errors_for("/api/hello/?pad=") == ["MissingAllowOriginHeader"], network.failed
    # The same URL on the page's own origin needs no CORS: the page reads nginx's JSON.
    same_origin = lab.fetch_in_page(app_page, f"{lab.APP}/lab-config.json?pad=" + "a" * length)
    assert (same_origin["status"], json.loads(same_origin["body"])["error"]) == (414, "uri_too_long")


@pytest.mark.parametrize("headers", [{"X-Pad": "a" * 20_000}, {f"X-Pad-{n}": "a" * 15_000 for n in range(5)}],
                         ids=["one line over 16 KiB", "lines over 64 KiB in all"])
def test_the_page_reads_nginx_json_for_headers_over_the_limits_over_http2(app_page, headers):
    # Same-origin: a custom header to the API would need a preflight, which Django refuses first.
    assert speaks_http2(app_page)
    result = lab.fetch_in_page(app_page, f"{lab.APP}/lab-config.json", headers=headers)
    assert result["threw"] is False, result
    assert (result["status"], json.loads(result["body"])["error"]) == (431, "headers_too_large")
    assert result["headers"]["content-type"].startswith("application/json")


def test_nginx_gives_up_on_a_client_that_stops_sending_its_body_on_every_path_to_django():
    """client_body_timeout (10 s, nginx/django-proxy.conf) on the three locations that reach Django;
    without it nginx would wait 60 s. The three wait side by side."""
    def stalled_post(host: str, path: str) -> float:
        raw = socket.create_connection(("127.0.0.1", lab.HTTPS_PORT), timeout=50)
        tls = lab.TLS.wrap_socket(raw, server_hostname=host)
        started = time.monotonic()
        tls.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100\r\n\r\n{".encode())
        try:
            while tls.recv(4096):
                pass
        except (ConnectionError, ssl.SSLError):
            pass  # a connection reset is nginx giving up too
        finally:
            tls.close()
        return time.monotonic() - started

    paths = [(lab.API_HOST, "/api/users/"), (CROSS_SITE_APP_HOST, "/api/users/"),
             (lab.ATTACKER_HOST, "/playground/0/0/")]
    with ThreadPoolExecutor() as pool:
        waited = list(pool.map(lambda hostpath: stalled_post(*hostpath), paths))
    assert all(9 < seconds < 40 for seconds in waited), dict(zip((host for host, _ in paths), waited))


def plain_http(host: str | None, path: str = "/", headers: dict | None = None,
               version: str = "HTTP/1.1") -> tuple[int, str, dict]:
    """One request to the lab's plain http port, as a browser or a script would send it."""
    raw = socket.create_connection(("127.0.0.1", lab.HTTP_PORT), timeout=15)
    lines = [f"GET {path} {version}", *([f"Host: {host}"] if host else []),
             *(f"{name}: {value}" for name, value in (headers or {}).items()), "Connection: close", "", ""]
    raw.sendall("\r\n".join(lines).encode())
    response = http.client.HTTPResponse(raw)
    response.begin()
    text = response.read().decode()
    raw.close()
    return response.status, text, fields(response)


def test_plain_http_redirects_each_lab_hostname_to_https_on_the_labs_port():
    port = "" if lab.HTTPS_PORT == 443 else f":{lab.HTTPS_PORT}"
    hosts = [lab.APP_HOST, lab.API_HOST, lab.ATTACKER_HOST, *(urlsplit(origin).hostname for origin in
             (lab.SIBLING, lab.CROSS_SITE_APP, *lab.LOOKALIKES.values()))]
    for host in hosts:
        status, _text, headers = plain_http(f"{host}:{lab.HTTP_PORT}", "/path?query=1")
        assert (status, headers["location"]) == (301, f"https://{host}{port}/path?query=1")


@pytest.mark.parametrize("host", ["example.com", f"{lab.APP_HOST}.example.com", "127.0.0.1", None],
                         ids=["other", "lab name as a prefix", "address", "none (HTTP/1.0)"])
def test_plain_http_answers_any_other_host_with_json_421_and_no_redirect(host):
    """Redirecting whatever Host came would make the learner's port 80 an open redirect."""
    status, text, headers = plain_http(host, "/", version="HTTP/1.0" if host is None else "HTTP/1.1")
    assert_nginx_json(status, text, headers, 421, "misdirected_request")
    assert "location" not in headers


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Over the lab's limit (16 KiB a line): refused once the whole header is read, in the language asked.
BIG = "a" * 20_000
# Over nginx's own buffer (64 KiB a line): refused while nginx reads it, before Accept-Language.
HUGE = "a" * 70_000


def raw_http11(request: bytes) -> tuple[int, str, dict]:
    """Bytes no HTTP client library sends, to the API host over TLS; the answer read as curl would."""
    raw = socket.create_connection(("127.0.0.1", lab.HTTPS_PORT), timeout=15)
    tls = lab.TLS.wrap_socket(raw, server_hostname=lab.API_HOST)
    tls.sendall(request)
    response = http.client.HTTPResponse(tls)
    response.begin()
    text = response.read().decode()
    tls.close()
    return response.status, text, fields(response)


def raw_request(request_line: str, headers: dict, body: bytes = b"") -> tuple[int, str, dict]:
    lines = [request_line, *(f"{name}: {value}" for name, value in headers.items()), "", ""]
    return raw_http11("\r\n".join(lines).encode() + body)


def without_host(headers: dict) -> tuple[int, str, dict]:
    """An HTTP/1.1 request with no Host header, which nginx refuses with its 400."""
    return raw_request("GET /api/hello/ HTTP/1.1", headers)


def unknown_transfer_encoding(headers: dict) -> tuple[int, str, dict]:
    """A body in a transfer coding nginx does not take (chunked only), which it refuses with its 501."""
    return raw_request("POST /api/users/ HTTP/1.1", {"Host": lab.API_HOST, "Content-Type": "application/json",
                                                     "Transfer-Encoding": "gzip, chunked", **headers},
                       b"2\r\n{}\r\n0\r\n\r\n")


# nginx's own answers, each a function of the request's extra headers, and its status and code.
NGINX_ANSWERS = {
    "not_found (app)": (lambda h: http11(lab.APP_HOST, "/no-such-page.html", h), 404, "not_found"),
    "not_found (attacker)": (lambda h: http11(lab.ATTACKER_HOST, "/no-such-page.html", h), 404, "not_found"),
    "method_not_allowed (app)": (lambda h: http11(lab.APP_HOST, "/", h, "POST", "{}"), 405, "method_not_allowed"),
    "method_not_allowed (HTTP/2, attacker)": (lambda h: curl("http2", lab.ATTACKER_HOST, "/", h, b"{}"),
                                              405, "method_not_allowed"),
    "body_too_large": (lambda h: http11(lab.API_HOST, "/api/users/", {"Content-Type": "application/json", **h},
                                        "POST", '{"pad": "' + "x" * 70_000 + '"}'), 413, "body_too_large"),
    "headers_too_large": (lambda h: http11(lab.API_HOST, "/api/hello/", {**h, "X-Big": BIG}), 431, "headers_too_large"),
    "misdirected_request": (lambda h: http11("evil.example", "/", h, sni=lab.API_HOST), 421, "misdirected_request"),
    "misdirected_request (plain http)": (lambda h: plain_http("evil.example", "/", h), 421, "misdirected_request"),
    "headers_too_large (HTTP/2)": (lambda h: curl("http2", lab.API_HOST, "/api/hello/", {**h, "X-Big": BIG}), 431,
                                   "headers_too_large"),
    "bad_request": (without_host, 400, "bad_request"),
    "not_implemented": (unknown_transfer_encoding, 501, "not_implemented"),
}


@pytest.mark.parametrize("protocol", ["http1.1", "http2"])
def test_a_static_page_answers_another_method_with_json_and_the_methods_it_takes(protocol):
    status, text, headers = curl(protocol, lab.APP_HOST, "/index.html", {"Content-Type": "application/json"}, b"{}")
    assert_nginx_json(status, text, headers, 405, "method_not_allowed")
    assert headers["allow"] == "GET, HEAD"  # RFC 9110 15.5.6: a 405 names the methods that work
    # Only that answer says so: not a page, not nginx's other answers.
    assert "allow" not in curl(protocol, lab.APP_HOST, "/index.html")[2]
    assert "allow" not in curl(protocol, lab.APP_HOST, "/no-such-page.html")[2]


@pytest.mark.parametrize("answer", NGINX_ANSWERS)
def test_nginx_answers_in_japanese_when_the_request_prefers_it(answer):
    provoke, status, code = NGINX_ANSWERS[answer]
    english = provoke({"Accept-Language": "en-US,en;q=0.9"})
    japanese = provoke({"Accept-Language": "ja,en;q=0.9"})
    for answered in (english, japanese):
        assert_nginx_json(*answered, status, code)
        # As Django says of its answers: chosen by Accept-Language (a cache keeps one per value).
        assert answered[2]["vary"] == "Accept-Language"
    assert (english[2]["content-language"], japanese[2]["content-language"]) == ("en", "ja")
    en, ja = json.loads(english[1])["message"], json.loads(japanese[1])["message"]
    assert JAPANESE.search(ja) and not JAPANESE.search(en), (en, ja)
    assert json.loads(japanese[1]).keys() == {"error", "message"}


def test_what_nginx_refuses_before_reading_accept_language_is_said_in_both_languages():
    """The request line of a 414 or a 505 is refused before any header; a 431 whose header line
    overflows nginx's buffer before Accept-Language, and a 400 or 501 with none, end before nginx
    knows the language. A 414 is always in both, even when the lab's limit refuses it later."""
    for status, text, headers in (http11(lab.API_HOST, "/api/ledger/?run=" + HUGE, {"Accept-Language": "ja"}),
                                  http11(lab.API_HOST, "/api/ledger/?run=" + BIG, {"Accept-Language": "ja"}),
                                  raw_request("GET /api/hello/ HTTP/2.0", {"Host": lab.API_HOST, "Accept-Language": "ja"}),
                                  http11(lab.API_HOST, "/api/hello/", {"X-Big": HUGE, "Accept-Language": "ja"}),
                                  without_host({}), unknown_transfer_encoding({})):
        message = json.loads(text)["message"]
        english, japanese = message.split(" / ")
        assert status in (400, 414, 431, 501, 505) and headers["content-type"].startswith("application/json")
        assert JAPANESE.search(japanese) and not JAPANESE.search(english), message
        assert headers["content-language"] == "en, ja" and headers["x-content-type-options"] == "nosniff"


# Accept-Language values, and the language both Django and nginx must pick. The forms browsers send
# (descending q), with other languages before, after and between; see nginx/accept-language.conf.
ACCEPT_LANGUAGES = {
    "ja": "ja", "ja-JP": "ja", "JA-jp": "ja", "ja,en;q=0.9": "ja", "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7": "ja",
    "fr-FR,fr;q=0.9,ja;q=0.8,en;q=0.7": "ja", "zh-CN,zh;q=0.9,ja;q=0.8": "ja", "es-419, ja;q=0.9": "ja",
    "ja-Latn-JP": "ja", "ja;q=0.5": "ja",
    "en-US,en;q=0.9,ja;q=0.8": "en", "en": "en", "en-GB , ja": "en", "fr,en;q=0.9,ja;q=0.8": "en",
    "de": "en", "*": "en", "fr, *, ja": "en", "jv": "en", "jav,en": "en", "en;q=0.9,ja;q=0.8": "en",
}


@pytest.mark.parametrize("accept_language", ACCEPT_LANGUAGES)
def test_nginx_picks_the_language_django_picks(accept_language):
    headers = {"Accept-Language": accept_language}
    _status, _text, django = http11(lab.API_HOST, "/api/nowhere/", headers)
    _status, text, nginx_headers = http11(lab.APP_HOST, "/no-such-page.html", headers)
    nginx = "ja" if JAPANESE.search(json.loads(text)["message"]) else "en"
    assert (django["content-language"], nginx) == (ACCEPT_LANGUAGES[accept_language],) * 2
    assert nginx_headers["content-language"] == nginx


@pytest.mark.parametrize("path", ["/api/hello/", "/api/nowhere/"])
def test_djangos_answers_through_nginx_carry_their_headers_once(path):
    """nginx adds Vary, Content-Language and nosniff to its own answers only
    (nginx/answer-headers.conf): Django's, which carry their own, get none twice."""
    _status, _text, headers = http11(lab.API_HOST, path, {"Accept-Language": "ja", "Origin": lab.APP})
    assert headers["vary"].lower().split(", ").count("accept-language") == 1, headers["vary"]
    assert headers["content-language"] == "ja"
    assert headers["x-content-type-options"] == "nosniff"
