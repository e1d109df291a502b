"""The CORS-preflight cache: how long a preflight's answer is reused, and how many preflights a
series of identical fetch() calls sends. https://fetch.spec.whatwg.org/#concept-cache
"""

import re
from dataclasses import dataclass

from crossorigin.fetch.engines import ENGINES, differs
from crossorigin.fetch.headers import header, header_values, token_list
from crossorigin.fetch.request import (
    SAFELISTED_METHODS, PageRequest, needs_preflight, normalize_method, sends_credentials, unsafe_request_headers,
)
from crossorigin.fetch.response import RecordedResponse, preflight_check

DEFAULT_PREFLIGHT_CACHE_SECONDS = 5   # both engines, when Access-Control-Max-Age is absent
MAX_PREFLIGHT_CACHE_SECONDS = 7200    # Chromium's cap; the standard leaves the cap to the browser
MAX_CACHE_KEY_LENGTH = 1024           # Chromium's preflight cache skips URLs this long or longer


def preflight_cache_seconds(preflight: RecordedResponse, engine: str = "chromium") -> int:
    """How long a passed preflight is reused for the same origin, URL and credentials mode; 0 means
    not at all. Chromium caps it at 2 hours; the standard leaves the cap to the browser, so the
    "standard" engine returns what the server said."""
    values = header_values(preflight.headers, "access-control-max-age")
    if differs(engine, "negative_max_age_not_cached"):
        # preflight_result.cc: not an integer -> the 5 s default; negative -> 0; capped.
        joined = ", ".join(values)
        if not values or not re.fullmatch(r"-?\d+", joined):
            return DEFAULT_PREFLIGHT_CACHE_SECONDS
        return max(0, min(int(joined), MAX_PREFLIGHT_CACHE_SECONDS))
    # The standard: delta-seconds, one header line; anything else (even -1) is the 5 s default.
    if len(values) != 1 or not re.fullmatch(r"\d+", values[0]):
        return DEFAULT_PREFLIGHT_CACHE_SECONDS
    seconds = int(values[0])
    return min(seconds, MAX_PREFLIGHT_CACHE_SECONDS) if engine == "chromium" else seconds


@dataclass
class _Entry:
    key: tuple             # (network partition, origin, URL)
    credentials: bool
    expires: float
    method: str | None = None
    header: str | None = None
    methods: frozenset = frozenset()   # Chromium keeps the whole answer in one entry
    headers: frozenset = frozenset()


class PreflightCache:
    """The CORS-preflight cache: https://fetch.spec.whatwg.org/#concept-cache

    Entries are keyed by (network partition, origin, URL, credentials). The standard keeps one
    entry per allowed method and per allowed header name, and a request skips the preflight only if
    each method and header it needs has a live entry. Chromium (preflight_cache.cc) keeps only the
    latest answer per (origin, URL, partition). `now` is any clock in seconds."""

    def __init__(self, engine: str = "chromium"):
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        self.engine = engine
        self.entries: list[_Entry] = []

    def _key(self, request: PageRequest, url: str, partition: str) -> tuple:
        return (partition, request.origin, url)

    def _live(self, request: PageRequest, url: str, now: float, partition: str) -> list[_Entry]:
        key, include = self._key(request, url, partition), sends_credentials(request)
        return [e for e in self.entries if e.key == key and e.expires > now and (e.credentials or not include)]

    def store(self, request: PageRequest, url: str, preflight: RecordedResponse, now: float,
              partition: str = "") -> bool:
        """Remember a preflight's answer if it let the request through; True if stored."""
        if preflight_check(request, preflight, self.engine, request.origin, set()):
            return False
        if differs(self.engine, "long_url_not_cached") and len(url) >= MAX_CACHE_KEY_LENGTH:
            return False
        if differs(self.engine, "opaque_origin_not_cached") and request.origin == "null":
            return False
        expires = now + preflight_cache_seconds(preflight, self.engine)
        key, include = self._key(request, url, partition), sends_credentials(request)
        methods = token_list(header(preflight.headers, "access-control-allow-methods")) or []
        names = token_list(header(preflight.headers, "access-control-allow-headers")) or []
        if differs(self.engine, "one_cache_entry_per_url"):
            self.entries = [e for e in self.entries if e.key != key]
            self.entries.append(_Entry(key, include, expires, methods=frozenset(methods),
                                       headers=frozenset(n.lower() for n in names)))
            return True
        live = self._live(request, url, now, partition)
        for method in methods:
            matches = [e for e in live if e.method in (method, "*")]
            for entry in matches:
                entry.expires = expires
            if not matches:
                self.entries.append(_Entry(key, include, expires, method=method))
        for name in names:
            # Header-name cache entry match: the same name, or "*" for any name but Authorization.
            matches = [e for e in live if e.header is not None and (
                e.header.lower() == name.lower() or (e.header == "*" and name.lower() != "authorization"))]
            for entry in matches:
                entry.expires = expires
            if not matches:
                self.entries.append(_Entry(key, include, expires, header=name))
        return True

    def needs_preflight_now(self, request: PageRequest, url: str, now: float, partition: str = "") -> bool:
        """Would this request send a preflight now, or be served from the cache?"""
        if not needs_preflight(request, self.engine):
            return False
        live = self._live(request, url, now, partition)
        method = normalize_method(request.method)
        unsafe = unsafe_request_headers(request, self.engine)
        if differs(self.engine, "one_cache_entry_per_url"):
            return not any(self._chromium_allows(e, request, method, unsafe) for e in live)
        if method not in SAFELISTED_METHODS and not any(e.method in (method, "*") for e in live):
            return True
        return not all(any(e.header is not None and (e.header.lower() == name or
                                                     (e.header == "*" and name != "authorization"))
                           for e in live) for name in unsafe)

    def _chromium_allows(self, entry: _Entry, request: PageRequest, method: str, unsafe: list) -> bool:
        # preflight_result.cc EnsureAllowedRequest, as called from the cache.
        wildcard = not entry.credentials
        if not (method in SAFELISTED_METHODS or method in entry.methods or (wildcard and "*" in entry.methods)):
            return False
        if wildcard and "*" in entry.headers:
            # The cache always passes NonWildcardRequestHeadersSupport(true).
            covers_authorization = not differs(self.engine, "cache_wildcard_never_covers_authorization")
            return covers_authorization or "authorization" not in unsafe or "authorization" in entry.headers
        return all(name in entry.headers for name in unsafe)


def count_preflights(request: PageRequest, preflight: RecordedResponse | None, repeat: int, *,
                     engine: str = "chromium", url: str = "", interval: float = 0.0) -> int:
    """How many preflights `repeat` identical fetch() calls send, `interval` seconds apart."""
    cache, count = PreflightCache(engine), 0
    for attempt in range(repeat):
        now = attempt * interval
        if cache.needs_preflight_now(request, url, now):
            count += 1
            if preflight is not None:
                cache.store(request, url, preflight, now)
    return count
