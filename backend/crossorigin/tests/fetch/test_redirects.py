"""Redirects of the actual request in the Fetch model (https://fetch.spec.whatwg.org/#http-redirect-fetch).
WPT: cors/redirect-origin.htm, fetch/api/cors/cors-redirect*.any.js, cors/redirect-userinfo.htm.
No Django needed."""

from unittest import TestCase

from crossorigin.fetch import Hop, PageRequest, RecordedResponse, judge, judge_chain

ORIGIN = "https://app.lab.localhost"           # the page ("local" in redirect-origin.htm)
LOCAL = ORIGIN + "/resources/cors-makeheader"
REMOTE = "https://api.lab.localhost/resources/cors-makeheader"
REMOTE2 = "https://other.lab.localhost/resources/cors-makeheader"
NAMES = {"local": LOCAL, "remote": REMOTE, "remote2": REMOTE2}


def allow(value) -> dict:
    return {} if value == "none" else {"Access-Control-Allow-Origin": value}


def redir_test(first, second):
    """redirect-origin.htm's redir_test: a GET to first[0] answering a redirect with
    Access-Control-Allow-Origin first[1], then second[0] answering with second[1]."""
    first_url, second_url = NAMES[first[0]], NAMES[second[0]]
    hops = [Hop(RecordedResponse(302, {"Location": second_url, **allow(first[1])}, url=first_url)),
            Hop(RecordedResponse(200, allow(second[1]), url=second_url))]
    return judge_chain(PageRequest(ORIGIN, "GET", {}, "omit", url=first_url), hops)


class RedirectOriginTests(TestCase):
    """cors/redirect-origin.htm, row by row: (first, second, the Origin the last server saw, or
    'disallow')."""

    ROWS = [
        # local -> remote
        (("local", "*"), ("remote", "*"), ORIGIN), (("local", "*"), ("remote", ORIGIN), ORIGIN),
        (("local", "*"), ("remote", "null"), "disallow"), (("local", "*"), ("remote", "none"), "disallow"),
        (("local", ORIGIN), ("remote", "*"), ORIGIN), (("local", ORIGIN), ("remote", ORIGIN), ORIGIN),
        (("local", ORIGIN), ("remote", "null"), "disallow"), (("local", ORIGIN), ("remote", "none"), "disallow"),
        (("local", "null"), ("remote", "*"), ORIGIN), (("local", "none"), ("remote", "*"), ORIGIN),
        # remote -> local
        (("remote", "*"), ("local", "*"), "null"), (("remote", "*"), ("local", ORIGIN), "disallow"),
        (("remote", "*"), ("local", "null"), "null"), (("remote", "*"), ("local", "none"), "disallow"),
        (("remote", ORIGIN), ("local", "*"), "null"), (("remote", ORIGIN), ("local", ORIGIN), "disallow"),
        (("remote", ORIGIN), ("local", "null"), "null"), (("remote", ORIGIN), ("local", "none"), "disallow"),
        (("remote", "null"), ("local", "*"), "disallow"), (("remote", "none"), ("local", "*"), "disallow"),
        # remote -> remote
        (("remote", "*"), ("remote", "*"), ORIGIN), (("remote", "*"), ("remote", ORIGIN), ORIGIN),
        (("remote", "*"), ("remote", "null"), "disallow"), (("remote", "*"), ("remote", "none"), "disallow"),
        (("remote", ORIGIN), ("remote", "*"), ORIGIN), (("remote", ORIGIN), ("remote", ORIGIN), ORIGIN),
        (("remote", ORIGIN), ("remote", "null"), "disallow"), (("remote", ORIGIN), ("remote", "none"), "disallow"),
        (("remote", "null"), ("remote", "*"), "disallow"), (("remote", "none"), ("remote", "*"), "disallow"),
        # remote -> remote2
        (("remote", "*"), ("remote2", "*"), "null"), (("remote", "*"), ("remote2", ORIGIN), "disallow"),
        (("remote", "*"), ("remote2", "null"), "null"), (("remote", "*"), ("remote2", "none"), "disallow"),
        (("remote", ORIGIN), ("remote2", "*"), "null"), (("remote", ORIGIN), ("remote2", ORIGIN), "disallow"),
        (("remote", ORIGIN), ("remote2", "null"), "null"), (("remote", ORIGIN), ("remote2", "none"), "disallow"),
        (("remote", "null"), ("remote2", "*"), "disallow"), (("remote", "none"), ("remote2", "*"), "disallow"),
        # Bonus weird edge checks
        (("remote", "*"), ("remote", "https://api.lab.localhost"), "disallow"),
        (("remote", "*"), ("remote2", "https://api.lab.localhost"), "disallow"),
        (("remote", "https://api.lab.localhost"), ("remote", "*"), "disallow"),
    ]

    def test_every_row(self):
        for first, second, expected in self.ROWS:
            with self.subTest(first=first, second=second):
                verdict = redir_test(first, second)
                if expected == "disallow":
                    self.assertFalse(verdict.readable)
                else:
                    self.assertTrue(verdict.readable, verdict.why)
                    self.assertEqual(verdict.origin_sent, expected)

    def test_failure_on_the_redirect_itself_is_reported_there(self):
        verdict = redir_test(("remote", "none"), ("remote", "*"))
        self.assertEqual((verdict.reason, verdict.failed_at), ("MissingAllowOriginHeader", "redirect"))

    def test_tainted_origin_failure_names_origin_null(self):
        verdict = redir_test(("remote", "*"), ("remote2", ORIGIN))
        self.assertEqual((verdict.reason, verdict.failed_at, verdict.origin_sent), ("AllowOriginMismatch", "response", "null"))
        self.assertIn("null", verdict.why)


class RedirectCredentialsTests(TestCase):
    """fetch/api/cors/cors-redirect-credentials.any.js: a Location with user or password fails a
    CORS request whatever the hop (Chromium: RedirectContainsCredentials)."""

    def test_userinfo_in_location(self):
        for userinfo in ("user:password@", "user:@", ":password@"):
            for code in (301, 302, 303, 307, 308):
                with self.subTest(userinfo=userinfo, code=code):
                    location = REMOTE2.replace("https://", "https://" + userinfo)
                    verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit"), None, None, redirects=[
                        Hop(RecordedResponse(code, {"Location": location, "Access-Control-Allow-Origin": "*"}, REMOTE))])
                    self.assertEqual((verdict.reason, verdict.failed_at), ("RedirectContainsCredentials", "redirect"))

    def test_no_userinfo_is_fine(self):
        verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit"), None, RecordedResponse(200, allow("*"), REMOTE2),
                        redirects=[Hop(RecordedResponse(301, {"Location": REMOTE2, **allow("*")}, REMOTE))])
        self.assertTrue(verdict.readable)

    def test_from_the_pages_own_origin_to_another_with_userinfo_fails_too(self):
        # cors-redirect-credentials.any.js, "from same origin to remote with user and password":
        # the step reads the request's mode, not its tainting, which is still basic on that hop.
        for userinfo in ("user:password@", "user:@", ":password@"):
            with self.subTest(userinfo=userinfo):
                location = REMOTE.replace("https://", "https://" + userinfo)
                verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit", url=LOCAL), None, None, redirects=[
                    Hop(RecordedResponse(302, {"Location": location}, LOCAL))])
                self.assertEqual((verdict.reason, verdict.failed_at), ("RedirectContainsCredentials", "redirect"))

    def test_userinfo_back_to_the_pages_own_origin_is_followed(self):
        # "...and request's origin is not same origin with locationURL's origin".
        location = LOCAL.replace("https://", "https://user:pw@")
        verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit", url=LOCAL), None, RecordedResponse(200, {}, LOCAL),
                        redirects=[Hop(RecordedResponse(302, {"Location": location}, LOCAL))])
        self.assertTrue(verdict.readable)

    def test_empty_userinfo_is_no_credentials(self):
        # cors/redirect-userinfo.htm: ":@" and "@" are trimmed during URL parsing.
        for userinfo in (":@", "@"):
            with self.subTest(userinfo=userinfo):
                location = REMOTE2.replace("https://", "https://" + userinfo)
                verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit"), None, RecordedResponse(200, allow("*"), REMOTE2),
                                redirects=[Hop(RecordedResponse(302, {"Location": location, **allow("*")}, REMOTE))])
                self.assertTrue(verdict.readable, verdict.reason)

    def test_no_cors_follows_anything(self):
        # Mode no-cors: no CORS check on any hop, the answer is opaque (fetch/api/redirect/redirect-mode.any.js).
        location = REMOTE2.replace("https://", "https://user:pw@")
        verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit", mode="no-cors"), None, RecordedResponse(200, {}),
                        redirects=[Hop(RecordedResponse(302, {"Location": location}, REMOTE))])
        self.assertEqual((verdict.reason, verdict.response_type), ("Opaque", "opaque"))


class RedirectLimitTests(TestCase):
    """https://fetch.spec.whatwg.org/#http-redirect-fetch: 'If request's redirect count is 20,
    return a network error' (fetch/api/redirect/redirect-count.any.js)."""

    def chain(self, redirects):
        hops = [Hop(RecordedResponse(302, {"Location": f"{REMOTE}?{i + 1}", **allow("*")}, f"{REMOTE}?{i}"))
                for i in range(redirects)]
        return judge_chain(PageRequest(ORIGIN, "GET", {}, "omit"), hops + [Hop(RecordedResponse(200, allow("*")))])

    def test_twenty_redirects_are_followed(self):
        self.assertTrue(self.chain(20).readable)

    def test_the_twenty_first_fails(self):
        self.assertEqual(self.chain(21).reason, "TooManyRedirects")

    def test_non_http_location(self):
        verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit"), None, None,
                        redirects=[Hop(RecordedResponse(302, {"Location": "data:,x", **allow("*")}, REMOTE))])
        self.assertEqual(verdict.reason, "CorsDisabledScheme")


class PreflightAfterRedirectTests(TestCase):
    """fetch/api/cors/cors-redirect-preflight.any.js: after a redirect, a request that needs a
    preflight is preflighted again at the new URL, with Origin: null once tainted."""

    page = PageRequest(ORIGIN, "GET", {"x-w3c": "test"}, "omit")

    def pf(self, origin="*", headers="x-w3c"):
        return RecordedResponse(200, {**allow(origin), "Access-Control-Allow-Headers": headers})

    def test_cors_to_another_cors_success(self):
        verdict = judge_chain(self.page, [
            Hop(RecordedResponse(307, {"Location": REMOTE2, **allow("*")}, REMOTE), preflight=self.pf()),
            Hop(RecordedResponse(200, allow("*"), REMOTE2), preflight=self.pf())])
        self.assertTrue(verdict.readable)
        self.assertEqual((verdict.preflights, verdict.origin_sent), (2, "null"))

    def test_the_second_preflight_must_allow_the_header(self):
        verdict = judge_chain(self.page, [
            Hop(RecordedResponse(307, {"Location": REMOTE2, **allow("*")}, REMOTE), preflight=self.pf()),
            Hop(RecordedResponse(200, allow("*"), REMOTE2), preflight=self.pf(headers=""))])
        self.assertEqual((verdict.reason, verdict.failed_at), ("HeaderDisallowedByPreflightResponse", "preflight"))

    def test_the_second_preflight_sees_origin_null(self):
        verdict = judge_chain(self.page, [
            Hop(RecordedResponse(307, {"Location": REMOTE2, **allow("*")}, REMOTE), preflight=self.pf()),
            Hop(RecordedResponse(200, allow("*"), REMOTE2), preflight=self.pf(origin=ORIGIN))])
        self.assertEqual(verdict.reason, "PreflightAllowOriginMismatch")

    def test_a_missing_second_preflight_record_is_an_error(self):
        with self.assertRaises(ValueError):
            judge(self.page, self.pf(), RecordedResponse(200, allow("*"), REMOTE2),
                  redirects=[Hop(RecordedResponse(307, {"Location": REMOTE2, **allow("*")}, REMOTE))])

    def test_303_turns_put_into_a_simple_get(self):
        # https://fetch.spec.whatwg.org/#http-redirect-fetch step 12: no second preflight needed.
        put = PageRequest(ORIGIN, "PUT", {"Content-Type": "application/json"}, "omit")
        pf = RecordedResponse(200, {**allow("*"), "Access-Control-Allow-Methods": "PUT",
                                    "Access-Control-Allow-Headers": "content-type"})
        verdict = judge_chain(put, [Hop(RecordedResponse(303, {"Location": REMOTE2, **allow("*")}, REMOTE), preflight=pf),
                                    Hop(RecordedResponse(200, allow("*"), REMOTE2))])
        self.assertTrue(verdict.readable)
        self.assertEqual(verdict.preflights, 1)

    def test_authorization_is_dropped_on_a_hop_to_another_origin(self):
        # https://fetch.spec.whatwg.org/#http-redirect-fetch: CORS non-wildcard request-header names
        # are deleted when the redirect leaves for another origin.
        bearer = PageRequest(ORIGIN, "GET", {"Authorization": "Bearer x"}, "omit")
        pf = RecordedResponse(200, {**allow("*"), "Access-Control-Allow-Headers": "authorization"})
        verdict = judge_chain(bearer, [Hop(RecordedResponse(302, {"Location": REMOTE2, **allow("*")}, REMOTE), preflight=pf),
                                       Hop(RecordedResponse(200, allow("*"), REMOTE2))])
        self.assertTrue(verdict.readable)
        self.assertEqual(verdict.preflights, 1)


class OriginSerializationTests(TestCase):
    """Origins are compared as URL parsing serializes them: the host in lower case, no default
    port. A redirect to the same origin written another way taints nothing."""

    def test_the_same_origin_written_another_way_is_the_same_origin(self):
        preflight = RecordedResponse(204, {**allow(ORIGIN), "Access-Control-Allow-Headers": "authorization"})
        for location in ("https://api.lab.localhost:443/x", "https://API.lab.localhost/x", "HTTPS://api.lab.localhost/x"):
            with self.subTest(location=location):
                verdict = judge_chain(PageRequest(ORIGIN, "GET", {"Authorization": "Bearer t"}, "omit"), [
                    Hop(RecordedResponse(307, {"Location": location, **allow(ORIGIN)}, REMOTE), preflight),
                    Hop(RecordedResponse(200, allow(ORIGIN), location), preflight)])
                # Not tainted (the Origin stays the page's), and Authorization was not dropped:
                # the second preflight was needed for it.
                self.assertTrue(verdict.readable, verdict.reason)
                self.assertEqual((verdict.origin_sent, verdict.preflights), (ORIGIN, 2))

    def test_a_port_that_is_not_the_default_is_another_origin(self):
        location = "https://api.lab.localhost:8443/x"
        verdict = judge(PageRequest(ORIGIN, "GET", {}, "omit"), None, RecordedResponse(200, allow(ORIGIN), location),
                        redirects=[Hop(RecordedResponse(302, {"Location": location, **allow(ORIGIN)}, REMOTE))])
        self.assertEqual((verdict.reason, verdict.origin_sent), ("AllowOriginMismatch", "null"))
