"""Request headers in the Fetch model: CORS-safelisted, CORS-unsafe and forbidden. Expected answers
come from the Fetch standard and WPT, cited per test. No Django needed."""

from unittest import TestCase

from crossorigin.fetch import (
    PageRequest, RecordedResponse, is_forbidden_request_header, is_safelisted_request_header, judge, needs_preflight,
    sent_headers, unsafe_request_headers,
)

APP = "https://app.lab.localhost"
ALLOWED = RecordedResponse(status=200, headers={"Access-Control-Allow-Origin": APP})


def request(headers, method="POST") -> PageRequest:
    return PageRequest(origin=APP, method=method, headers=headers, credentials="omit")


class SafelistTests(TestCase):
    """https://fetch.spec.whatwg.org/#cors-safelisted-request-header, with the cases of
    cors/cors-safelisted-request-header.any.js (True = preflight expected)."""

    def check(self, name, cases):
        for value, preflight in cases:
            with self.subTest(value=value):
                self.assertEqual(needs_preflight(request({name: value})), preflight)

    def test_content_type(self):
        self.check("content-type", [
            ("text /plain", True), ("text\t/\tplain", True), ("text/plain;", False),
            ("text/plain;garbage", False), ("text/plain;garbage\u0001\u0002", True), ("text/plain,", True),
            (",text/plain", True), ("text/plain,text/plain", True), ("text/plain,x/x", True),
            ("text/plain\u000B", True), ("text/plain\u000C", True), ("application/www-form-urlencoded", True),
            ("application/x-www-form-urlencoded;\u007F", True), ("multipart/form-data", False),
            ('multipart/form-data;"', True)])

    def test_content_type_is_parsed_as_a_mime_type(self):
        # The essence is compared case-insensitively; parameters do not matter.
        self.check("Content-Type", [("TEXT/Plain; charset=UTF-8", False), ("text/plain ;x=y", False),
                                    ("application/json", True), ("text/plain; charset=\"utf-8\"", True)])

    def test_range(self):
        self.check("range", [
            ("100-200", True), ("MB=100-200", True), ("bytes=100-200", False), ("bytes =100-200", True),
            ("bytes\t=100-200", True), ("bytes=  100-200", True), ("bytes=\t\t100-200", True),
            ("bytes= \t100-200", True), ("bytes=100 -200", True), ("bytes=100\t-200", True),
            ("bytes=100- 200", True), ("bytes=100-\t200", True), ("bytes=100-200hello", True),
            ("bytes=abc-def", True), ("bytes=100-200,300-400", True), ("bytes=-200", True),
            ("bytes=200-", False), ("bytes=200-100", True),
            (f"bytes=1{'0' * 60}-2{'0' * 60}", True), ("bytes 100-200", True), ("bytes = 100-200", True),
            (",bytes=100-200", True), ("bytes=,100-200", True)])

    def test_other_names_are_never_safelisted(self):
        self.check("last-event-id", [("abc123", True), ('"', True)])

    def test_accept(self):
        # Any byte but the CORS-unsafe request-header bytes.
        self.check("Accept", [("text/html, */*;q=0.8", False), ("text/html(x)", True), ("a@b", True),
                              ("{json}", True), ("a\tb", False)])

    def test_accept_language_and_content_language(self):
        for name in ("Accept-Language", "Content-Language"):
            with self.subTest(name):
                self.check(name, [("en-US,en;q=0.9", False), ("*", False), ("en_US", True), ("de/ch", True),
                                  ("fr\t", False)])

    def test_values_over_128_bytes_are_unsafe(self):
        self.assertTrue(is_safelisted_request_header("accept", "a" * 128))
        self.assertFalse(is_safelisted_request_header("accept", "a" * 129))
        self.assertFalse(is_safelisted_request_header("content-type", "text/plain;x=" + "y" * 120))

    def test_safelisted_values_over_1024_bytes_turn_unsafe(self):
        """https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names: the total counts."""
        # Nine appended Accept values of 120 bytes: each safelisted, 1080 bytes together.
        nine = request({"Accept": ["a" * 120] * 9, "Content-Language": "en"}, method="GET")
        self.assertEqual(unsafe_request_headers(nine, "standard"), ["accept", "content-language"])
        eight = request({"Accept": ["a" * 120] * 8, "Content-Language": "en"}, method="GET")
        self.assertEqual(unsafe_request_headers(eight, "standard"), [])

    def test_the_accept_that_fetch_adds_counts_toward_the_1024_bytes(self):
        # Eight Content-Language values of 128 bytes: 1024 bytes, plus the Accept: */* fetch()
        # appends to a request without one, 1027: all of them unsafe, Accept too.
        eight = request({"Content-Language": ["a" * 128] * 8}, method="GET")
        self.assertEqual(unsafe_request_headers(eight, "standard"), ["accept", "content-language"])
        seven = request({"Content-Language": ["a" * 128] * 7}, method="GET")
        self.assertEqual(unsafe_request_headers(seven, "standard"), [])


class RequestHeadersListTests(TestCase):
    """Access-Control-Request-Headers: lower-cased, sorted, without duplicates
    (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step 4; cors/request-headers.htm)."""

    def test_sorted_lowercase_set(self):
        page = request({"X-B": "1", "x-a": "1", "Content-Type": "application/json", "X-A": "2"})
        self.assertEqual(unsafe_request_headers(page), ["content-type", "x-a", "x-b"])

    def test_safelisted_headers_are_not_listed(self):
        page = request({"Accept": "x/y", "X-Lab-Trace": "1", "Content-Type": "text/plain"})
        self.assertEqual(unsafe_request_headers(page), ["x-lab-trace"])


class ForbiddenHeaderTests(TestCase):
    """https://fetch.spec.whatwg.org/#forbidden-request-header: fetch() drops them silently, so they
    are neither sent nor make a preflight (fetch/api/basic/request-forbidden-headers.any.js)."""

    def test_the_list_and_the_prefixes(self):
        for name in ("Accept-Charset", "accept-encoding", "Access-Control-Request-Headers", "Connection",
                     "Content-Length", "Cookie", "Cookie2", "Date", "DNT", "Expect", "Host", "Keep-Alive",
                     "Origin", "Referer", "Set-Cookie", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via",
                     "Sec-Foo", "sec-fetch-site", "Proxy-Authorization", "proxy-foo"):
            with self.subTest(name):
                self.assertTrue(is_forbidden_request_header(name, "1"))
        for name in ("Authorization", "X-Sec-Foo", "Secret", "Proxyfoo", "Content-Type"):
            with self.subTest(name):
                self.assertFalse(is_forbidden_request_header(name, "1"))

    def test_method_override_headers_carrying_a_forbidden_method(self):
        for name in ("X-HTTP-Method", "X-HTTP-Method-Override", "X-Method-Override"):
            for value, forbidden in (("TRACE", True), ("put, connect", True), ("track", True),
                                     ("PUT", False), ('"TRACE"', False), ("TRACEX", False)):
                with self.subTest(name=name, value=value):
                    self.assertEqual(is_forbidden_request_header(name, value), forbidden)

    def test_a_backslash_in_quotes_escapes_the_next_character(self):
        """'get, decode, and split' collects an HTTP quoted string: \\" inside quotes does not end
        them. request-forbidden-headers.any.js's cases, and one where the escape decides."""
        for value, forbidden in (('"\\"",TRACE', True), ('"\\",TRACE\\","', False), ("\"GET,track \"", False),
                                 ('"\\\\",TRACE', True), ('"a\\"b,TRACE"', False)):
            with self.subTest(value=value):
                self.assertEqual(is_forbidden_request_header("X-HTTP-Method-Override", value), forbidden)

    def test_dropped_headers_make_no_preflight(self):
        page = request({"Sec-Foo": "1", "Proxy-Foo": "1", "X-HTTP-Method-Override": "TRACE",
                        "Cookie": "a=b"}, method="GET")
        self.assertFalse(needs_preflight(page))
        self.assertEqual(sent_headers(page), [])
        verdict = judge(page, None, ALLOWED)
        self.assertTrue(verdict.readable)
        self.assertEqual(verdict.request_headers, ())

    def test_method_override_with_an_allowed_method_is_an_ordinary_unsafe_header(self):
        page = request({"X-HTTP-Method-Override": "PUT"}, method="GET")
        self.assertEqual(unsafe_request_headers(page), ["x-http-method-override"])


class DuplicateHeaderTests(TestCase):
    """Appending a name twice: the standard checks each header of the list; Chromium joins them
    first (seen in Chromium 156: two 100-byte Accept values made a preflight)."""

    def test_standard_checks_each_value(self):
        page = request({"Accept": ["a" * 100, "b" * 100]}, method="GET")
        self.assertEqual(unsafe_request_headers(page, "standard"), [])
        self.assertFalse(needs_preflight(page, "standard"))

    def test_chromium_checks_the_joined_value(self):
        page = request({"Accept": ["a" * 100, "b" * 100]}, method="GET")
        self.assertEqual(unsafe_request_headers(page, "chromium"), ["accept"])
        self.assertTrue(needs_preflight(page, "chromium"))
