"""What curl and the page see while the API is down (502) or hangs (504). tests/faults/ stops or
pauses the backend and runs these (LAB_E2E_BACKEND_DOWN); scripts/run-e2e.sh never selects them.
nginx answers with JSON and, like all of nginx's answers, without a CORS header."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import lab
from test_proxy_answers import JAPANESE, assert_nginx_json, http11


def check(app_page, network, status, code):
    # The three requests at once: against a hanging backend, each waits out nginx's 10 s.
    with ThreadPoolExecutor() as pool:
        english = pool.submit(http11, lab.API_HOST, "/api/hello/")
        # In Japanese when the request prefers it (nginx/accept-language.conf).
        japanese = pool.submit(http11, lab.API_HOST, "/api/hello/", {"Accept-Language": "ja,en;q=0.9"})
        page = lab.fetch_in_page(app_page, f"{lab.API}/api/hello/")
        curl_status, text, headers = english.result()
        ja_status, ja_text, ja_headers = japanese.result()

    assert_nginx_json(curl_status, text, headers, status, code)
    assert_nginx_json(ja_status, ja_text, ja_headers, status, code)
    assert JAPANESE.search(json.loads(ja_text)["message"]) and not JAPANESE.search(json.loads(text)["message"])
    assert page["threw"] is True and "TypeError" in page["error"]
    # The browser did get nginx's answer, and refused it to the page for want of CORS headers.
    assert network.cors_errors_for(f"{lab.API}/api/hello/") == ["MissingAllowOriginHeader"]


@pytest.mark.backend_down("stopped")
def test_backend_stopped_is_a_json_502_for_curl_and_a_typeerror_for_the_page(app_page, network):
    check(app_page, network, 502, "backend_down")


@pytest.mark.backend_down("paused")
def test_backend_hanging_is_a_json_504_for_curl_and_a_typeerror_for_the_page(app_page, network):
    check(app_page, network, 504, "backend_timeout")
