"""What nginx answers by itself (nginx/json-errors.conf), as curl and as the page see it.

nginx adds no CORS header (the lab's rule: every Access-Control-* header comes from Django), so a
JSON answer nginx makes is readable by curl and by no page of another origin: the page's fetch()
throws a TypeError. The HTTP/2 limits of nginx are not the HTTP/1.1 ones: the browser speaks
HTTP/2, and nginx ends an HTTP/2 connection whose headers are too large instead of answering.
The 502 and 504 need the backend down: tests/faults/ stops it and runs test_backend_down.py.

nginx's messages follow Accept-Language as Django's do (nginx/accept-language.conf): Japanese when
the request prefers ja to en. Each answer is asked for in both languages here, and nginx's choice of
language is compared with Django's for the same header on the same stack.
"""

import http.client
import json
import re
import socket

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


def test_request_line_over_4_kib_gets_nginx_json_414_over_http11_not_gunicorn_html():
    status, text, headers = http11(lab.API_HOST, "/api/ledger/?run=" + "a" * 5000)
    assert_nginx_json(status, text, headers, 414, "uri_too_long")


def test_header_line_over_4_kib_gets_nginx_json_431_over_http11():
    status, text, headers = http11(lab.API_HOST, "/api/hello/", {"X-Big": "a" * 5000})
    assert_nginx_json(status, text, headers, 431, "headers_too_large")


def test_more_header_fields_than_gunicorns_default_reach_django():
    """gunicorn alone would refuse over 100 fields with an HTML 400; its limit is raised above
    what nginx's 16 KiB of headers can hold."""
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


def test_body_over_64_kib_gets_nginx_json_413():
    status, text, headers = http11(lab.API_HOST, "/api/users/", {"Content-Type": "application/json"},
                                   "POST", '{"pad": "' + "x" * 70_000 + '"}')
    assert_nginx_json(status, text, headers, 413, "body_too_large")


@pytest.mark.parametrize("sni", ["API_HOST", "APP_HOST", "ATTACKER_HOST"])
def test_known_tls_name_with_an_unknown_host_gets_json_421(sni):
    status, text, headers = http11("evil.example", "/", sni=getattr(lab, sni))
    assert_nginx_json(status, text, headers, 421, "misdirected_request")


def test_missing_static_file_gets_json_404():
    status, text, headers = http11(lab.APP_HOST, "/no-such-page.html")
    assert_nginx_json(status, text, headers, 404, "not_found")


def test_the_page_reads_djangos_answer_to_a_5000_character_url_over_http2(app_page):
    """Over HTTP/2 nginx's 4 KiB limit applies to the compressed field: this URL reaches Django,
    whose JSON 400 carries CORS headers, so the page can read it."""
    result = lab.fetch_in_page(app_page, f"{lab.API}/api/ledger/?run=" + "a" * 5000)
    assert result["threw"] is False and result["status"] == 400
    assert json.loads(result["body"])["error"] == "invalid_run_id"


def test_the_page_gets_a_typeerror_for_urls_and_headers_nginx_refuses_over_http2(app_page, network):
    too_long_url = lab.fetch_in_page(app_page, f"{lab.API}/api/hello/?pad=" + "a" * 20_000)
    # Same-origin: a custom header to the API would need a preflight, which Django refuses first.
    too_large_header = lab.fetch_in_page(app_page, f"{lab.APP}/lab-config.json", headers={"X-Pad": "a" * 20_000})
    assert too_long_url["threw"] is True and "TypeError" in too_long_url["error"]
    assert too_large_header["threw"] is True and "TypeError" in too_large_header["error"]
    # Not a CORS refusal: nginx ended the HTTP/2 connection, the request got no answer at all.
    network.wait_for_failures("/api/hello/")
    network.wait_for_failures("/lab-config.json")
    failures = [f for f in network.failed if "/api/hello/" in f["url"] or "/lab-config.json" in f["url"]]
    assert len(failures) == 2 and all(f["cors_error"] is None for f in failures), failures


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
BIG = "a" * 5000


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
    "body_too_large": (lambda h: http11(lab.API_HOST, "/api/users/", {"Content-Type": "application/json", **h},
                                        "POST", '{"pad": "' + "x" * 70_000 + '"}'), 413, "body_too_large"),
    "headers_too_large": (lambda h: http11(lab.API_HOST, "/api/hello/", {**h, "X-Big": BIG}), 431, "headers_too_large"),
    "misdirected_request": (lambda h: http11("evil.example", "/", h, sni=lab.API_HOST), 421, "misdirected_request"),
    "bad_request": (without_host, 400, "bad_request"),
    "not_implemented": (unknown_transfer_encoding, 501, "not_implemented"),
}


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
    """The request line of a 414 or a 505 is refused before any header; a 431 whose big header
    comes before Accept-Language, and a 400 or 501 with none, end before nginx knows the language."""
    for status, text, headers in (http11(lab.API_HOST, "/api/ledger/?run=" + BIG, {"Accept-Language": "ja"}),
                                  raw_request("GET /api/hello/ HTTP/2.0", {"Host": lab.API_HOST, "Accept-Language": "ja"}),
                                  http11(lab.API_HOST, "/api/hello/", {"X-Big": BIG, "Accept-Language": "ja"}),
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
