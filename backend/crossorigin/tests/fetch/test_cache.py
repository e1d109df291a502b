"""The CORS-preflight cache (https://fetch.spec.whatwg.org/#concept-cache) in both engines.
WPT: fetch/api/cors/cors-preflight-cache.any.js, cors/preflight-cache.htm. No Django needed."""

from unittest import TestCase

from crossorigin.fetch import PageRequest, PreflightCache, RecordedResponse, count_preflights, preflight_cache_seconds

APP = "https://app.lab.localhost"
URL = "https://api.lab.localhost/scenarios/x/"


def request(method="POST", headers=None, credentials="omit") -> PageRequest:
    return PageRequest(origin=APP, method=method, headers=headers or {}, credentials=credentials)


def preflight(**headers) -> RecordedResponse:
    return RecordedResponse(200, {"Access-Control-Allow-Origin": APP, **headers})


class BothEnginesTests(TestCase):
    def each_engine(self):
        for engine in ("standard", "chromium"):
            with self.subTest(engine=engine):
                yield PreflightCache(engine)

    def test_second_request_is_served_from_the_cache(self):
        # cors-preflight-cache.any.js: max_age=12000, same URL, the header's value changes.
        answer = preflight(**{"Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "x-test-header",
                              "Access-Control-Max-Age": "12000"})
        for cache in self.each_engine():
            first = request(headers={"x-test-header": "test1"})
            self.assertTrue(cache.needs_preflight_now(first, URL, 0))
            self.assertTrue(cache.store(first, URL, answer, 0))
            self.assertFalse(cache.needs_preflight_now(request(headers={"x-test-header": "test2"}), URL, 1))

    def test_entries_expire(self):
        # cors/preflight-cache.htm: max_age=1, second from cache, wait, third preflights again.
        page = request("GET", {"x-print": "1"})
        answer = preflight(**{"Access-Control-Allow-Headers": "x-print", "Access-Control-Max-Age": "1"})
        for cache in self.each_engine():
            cache.store(page, URL, answer, 0)
            self.assertFalse(cache.needs_preflight_now(page, URL, 0.5))
            self.assertTrue(cache.needs_preflight_now(page, URL, 1.5))

    def test_max_age_zero_is_not_cached(self):
        # cors/preflight-cache.htm: "age = 0, should not be cached".
        page = request("GET", {"x-print": "1"})
        answer = preflight(**{"Access-Control-Allow-Headers": "x-print", "Access-Control-Max-Age": "0"})
        for cache in self.each_engine():
            cache.store(page, URL, answer, 0)
            self.assertTrue(cache.needs_preflight_now(page, URL, 0))

    def test_keyed_by_url_and_origin(self):
        page = request("PUT")
        for cache in self.each_engine():
            cache.store(page, URL, preflight(**{"Access-Control-Allow-Methods": "PUT"}), 0)
            self.assertTrue(cache.needs_preflight_now(page, URL + "other/", 1))
            self.assertTrue(cache.needs_preflight_now(PageRequest("https://x.localhost", "PUT", {}), URL, 1))

    def test_an_uncredentialed_entry_does_not_serve_a_credentialed_request(self):
        # https://fetch.spec.whatwg.org/#concept-cache-match
        for cache in self.each_engine():
            cache.store(request("PUT"), URL, preflight(**{"Access-Control-Allow-Methods": "PUT"}), 0)
            self.assertTrue(cache.needs_preflight_now(request("PUT", credentials="include"), URL, 1))

    def test_a_credentialed_entry_serves_both(self):
        answer = preflight(**{"Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Credentials": "true"})
        for cache in self.each_engine():
            cache.store(request("PUT", credentials="include"), URL, answer, 0)
            self.assertFalse(cache.needs_preflight_now(request("PUT"), URL, 1))

    def test_a_failed_preflight_is_not_stored(self):
        # fetch/api/cors/cors-preflight-response-validation.any.js (max_age=0 aside, nothing cached).
        for cache in self.each_engine():
            self.assertFalse(cache.store(request("PUT"), URL, preflight(**{"Access-Control-Allow-Methods": "GET"}), 0))
            self.assertEqual(cache.entries, [])

    def test_every_needed_header_must_have_an_entry(self):
        page = request("GET", {"X-A": "1", "X-B": "1"})
        for cache in self.each_engine():
            cache.store(request("GET", {"X-A": "1"}), URL, preflight(**{"Access-Control-Allow-Headers": "x-a"}), 0)
            self.assertTrue(cache.needs_preflight_now(page, URL, 1))

    def test_simple_requests_never_consult_the_cache(self):
        for cache in self.each_engine():
            self.assertFalse(cache.needs_preflight_now(request("GET"), URL, 0))


class EnginesDifferTests(TestCase):
    def test_standard_accumulates_entries_chromium_keeps_the_latest(self):
        """Standard: one entry per method (#cors-preflight-fetch-0 steps 7.12-7.13), so PUT then
        DELETE leaves both cached. Chromium's PreflightCache::AppendEntry replaces the entry."""
        put, delete = request("PUT"), request("DELETE")
        outcomes = {}
        for engine in ("standard", "chromium"):
            cache = PreflightCache(engine)
            cache.store(put, URL, preflight(**{"Access-Control-Allow-Methods": "PUT"}), 0)
            cache.store(delete, URL, preflight(**{"Access-Control-Allow-Methods": "DELETE"}), 1)
            outcomes[engine] = cache.needs_preflight_now(put, URL, 2)
        self.assertEqual(outcomes, {"standard": False, "chromium": True})

    @staticmethod
    def wildcard_then(header: str, seconds: float) -> PreflightCache:
        """The standard cache after PUT x-foo answered with Allow-Headers "*" for 100 s, then, at
        10 s, DELETE `header` answered with Allow-Headers naming it for 1 s."""
        cache = PreflightCache("standard")
        cache.store(request("PUT", {"x-foo": "1"}), URL, preflight(**{
            "Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": "*", "Access-Control-Max-Age": "100"}), 0)
        cache.store(request("DELETE", {header: "1"}), URL, preflight(**{
            "Access-Control-Allow-Methods": "DELETE", "Access-Control-Allow-Headers": header.lower(),
            "Access-Control-Max-Age": str(seconds)}), 10)
        return cache

    def test_a_wildcard_entry_is_the_match_for_a_name_stored_later(self):
        """Standard, header-name cache entry match: an entry "*" matches any name but Authorization.
        So x-foo allowed later only sets the "*" entry's max-age (1 s here), and makes no entry of
        its own: once that second expires, x-bar needs a preflight again."""
        cache = self.wildcard_then("x-foo", 1)
        self.assertFalse(cache.needs_preflight_now(request("PUT", {"x-bar": "1"}), URL, 10.5))
        self.assertTrue(cache.needs_preflight_now(request("PUT", {"x-bar": "1"}), URL, 20))

    def test_a_wildcard_entry_is_no_match_for_authorization(self):
        cache = self.wildcard_then("Authorization", 1)
        # The "*" entry kept its 100 s: Authorization got an entry of its own, which expired.
        self.assertFalse(cache.needs_preflight_now(request("PUT", {"x-bar": "1"}), URL, 20))
        self.assertTrue(cache.needs_preflight_now(request("PUT", {"Authorization": "Bearer t"}), URL, 20))

    def test_authorization_under_a_wildcard_is_preflighted_every_time_in_chromium(self):
        """Seen in Chromium 156: with Access-Control-Allow-Headers: * the Authorization request
        passes, yet every repeat is preflighted again (the cache passes
        NonWildcardRequestHeadersSupport(true)). The standard never lets it pass at all."""
        page = PageRequest(APP, "GET", {"Authorization": "Bearer x"}, "omit")
        answer = RecordedResponse(200, {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"})
        self.assertEqual(count_preflights(page, answer, 3, engine="chromium"), 3)
        self.assertEqual(count_preflights(page, answer, 3, engine="standard"), 3)

    def test_negative_max_age(self):
        """cors/preflight-cache.htm expects 'age = -1, should not be cached' (Chromium agrees; seen
        in Chromium 156); the standard's text gives the 5 s default for a value that fails to parse."""
        page = request("GET", {"x-print": "1"})
        answer = preflight(**{"Access-Control-Allow-Headers": "x-print", "Access-Control-Max-Age": "-1"})
        self.assertEqual(count_preflights(page, answer, 2, engine="chromium"), 2)
        self.assertEqual(count_preflights(page, answer, 2, engine="standard"), 1)

    def test_count_preflights_with_time_between(self):
        page = request("PUT")
        answer = preflight(**{"Access-Control-Allow-Methods": "PUT"})  # 5 s default
        self.assertEqual(count_preflights(page, answer, 4, interval=2), 2)   # 0 s, 6 s
        self.assertEqual(count_preflights(page, answer, 4, interval=0), 1)


class ChromiumCacheLimitsTests(TestCase):
    """Found by e2e/test_playground_differential.py (seed 222699), where the model expected one
    preflight for three fetches and Chromium 156 sent three."""

    PREFLIGHT = RecordedResponse(200, {"Access-Control-Allow-Origin": "null", "Access-Control-Allow-Headers": "x-a",
                                       "Access-Control-Max-Age": "600"})

    def test_a_url_of_1024_characters_or_more_is_never_cached_in_chromium(self):
        # services/network/cors/preflight_cache.cc, PreflightCache::AppendEntry: "Do not cache
        # `preflight_result` if `url` is too long", url_spec.length() >= kMaxKeyLength (1024u).
        request = PageRequest("https://app.example", "GET", {"X-A": "1"})
        preflight = RecordedResponse(200, {**self.PREFLIGHT.headers, "Access-Control-Allow-Origin": "https://app.example"})
        long_url, short_url = "https://api.example/?" + "s" * 1003, "https://api.example/?" + "s" * 1002
        self.assertEqual((len(long_url), len(short_url)), (1024, 1023))
        self.assertEqual(count_preflights(request, preflight, 3, url=long_url), 3)
        self.assertEqual(count_preflights(request, preflight, 3, url=short_url), 1)
        self.assertEqual(count_preflights(request, preflight, 3, url=long_url, engine="standard"), 1)

    def test_a_preflight_from_an_opaque_origin_is_not_reused_in_chromium(self):
        # Observed (Chromium 156, the playground's sandboxed iframe): Max-Age 600, three fetches,
        # three preflights; the same case from https://attacker.localhost sent one. The standard
        # keys the cache by the serialized origin, "null", and would reuse it.
        request = PageRequest("null", "GET", {"X-A": "1"})
        self.assertEqual(count_preflights(request, self.PREFLIGHT, 3), 3)
        self.assertEqual(count_preflights(request, self.PREFLIGHT, 3, engine="standard"), 1)


class PreflightCacheTests(TestCase):
    def test_max_age_absent_caches_five_seconds(self):
        self.assertEqual(preflight_cache_seconds(preflight()), 5)

    def test_max_age_is_capped_at_two_hours(self):
        self.assertEqual(preflight_cache_seconds(preflight(**{"Access-Control-Max-Age": "86400"})), 7200)

    def test_max_age_zero_disables_the_cache(self):
        self.assertEqual(preflight_cache_seconds(preflight(**{"Access-Control-Max-Age": "0"})), 0)
