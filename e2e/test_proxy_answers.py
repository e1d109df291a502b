"""What nginx answers by itself (nginx/json-errors.conf), as curl and as the page see it.

nginx adds no CORS header (the lab's rule: every Access-Control-* header comes from Django), so a
JSON answer nginx makes is readable by curl and by no page of another origin: the page's fetch()
throws a TypeError. The HTTP/2 limits of nginx are not the HTTP/1.1 ones: the browser speaks
HTTP/2, and nginx ends an HTTP/2 connection whose headers are too large instead of answering.
The 502 and 504 need the backend down: tests/faults/ stops it and runs test_backend_down.py.
"""

import http.client
import json
import socket

import pytest

import lab


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
    return response.status, text, {name.lower(): value for name, value in response.getheaders()}


def assert_nginx_json(status, text, headers, expected_status, code):
    assert status == expected_status, text
    assert headers["content-type"].startswith("application/json")
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
