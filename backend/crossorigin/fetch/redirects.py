"""judge(): one fetch() from the page's request to its verdict, over every URL it visits.

A fetch is a chain of hops, each a URL with its preflight and its answer, all but the last a
redirect: https://fetch.spec.whatwg.org/#http-redirect-fetch. At each hop the request may need a
preflight (request.py) and the answer must pass the CORS check (response.py); between hops the
redirect may change the method, drop headers or taint the origin.
"""

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from crossorigin.fetch.engines import ENGINES
from crossorigin.fetch.headers import CHROMIUM_SAFELISTED_HINTS, header
from crossorigin.fetch.messages import MESSAGES, message_for
from crossorigin.fetch.request import PageRequest, method_error, needs_preflight, normalize_method, sent_headers
from crossorigin.fetch.response import (
    RecordedResponse, Verdict, access_check, is_redirect, preflight_check, readable_headers,
)
from crossorigin.sites import origin_of
from crossorigin.translation import translate

MAX_REDIRECTS = 20
REQUEST_BODY_HEADERS = {"content-encoding", "content-language", "content-location", "content-type"}


@dataclass(frozen=True)
class Hop:
    """One URL of a redirect chain: its preflight (if one was sent) and its answer."""
    response: RecordedResponse | None
    preflight: RecordedResponse | None = None
    url: str = ""   # defaults to response.url, else the previous hop's Location


def _includes_credentials(url: str) -> bool:
    """https://url.spec.whatwg.org/#include-credentials: a non-empty username or password.
    'https://:@b.test/' has neither: URL parsing drops the empty user info."""
    parts = urlsplit(url)
    return bool(parts.username) or bool(parts.password)


@dataclass
class _Fetch:
    """What judge() learns while it walks the chain."""
    request: PageRequest
    engine: str
    preflight_needed: bool = False
    preflights: int = 0
    origin_sent: str | None = None
    tainted: bool = False
    rules: set = field(default_factory=set)
    location: str = ""
    basic: bool = False   # response tainting stayed "basic": every URL on the page's origin

    def verdict(self, reason, failed_at=None, response=None, **details) -> Verdict:
        request = self.request
        why, fix = message_for(details.pop("message", None) or reason)
        if failed_at == "redirect":
            why = translate(MESSAGES["OnRedirect"][0]) + why
        if self.tainted and failed_at in ("preflight", "redirect", "response"):
            why = translate(MESSAGES["TaintedOrigin"][0]) + why
        headers = response.headers if response else {}
        values = {"origin": request.origin, "origin_sent": self.origin_sent or request.origin,
                  "method": normalize_method(request.method),
                  "status": response.status if response else "", "location": self.location,
                  "allow_origin": header(headers, "access-control-allow-origin"),
                  "allow_credentials": header(headers, "access-control-allow-credentials"),
                  "allow_methods": header(headers, "access-control-allow-methods"),
                  "allow_headers": header(headers, "access-control-allow-headers"), "header": "", **details}
        readable = reason in ("ReadableSimple", "ReadablePreflighted")
        response_type = ("basic" if self.basic else "cors") if readable else "opaque" if reason == "Opaque" else "error"
        return Verdict(readable=readable, reason=None if readable else reason,
                       why=(why.format(**values)), fix=fix.format(**values),
                       preflight_needed=self.preflight_needed, failed_at=failed_at,
                       readable_headers=readable_headers(request, response, self.basic) if readable and response else (),
                       response_type=response_type, origin_sent=self.origin_sent,
                       request_headers=tuple(sorted({n.lower() for n, _ in sent_headers(request)})),
                       preflights=self.preflights, engine_rules=tuple(sorted(self.rules)))


def judge(request: PageRequest, preflight: RecordedResponse | None, response: RecordedResponse | None,
          *, engine: str = "chromium", redirects=()) -> Verdict:
    """What the browser does with this request, given what the server answered.

    redirects: the Hops answered with a redirect before `response`, in order; the first one's
    preflight defaults to `preflight`. For a chain where later URLs are preflighted too, use
    judge_chain(). A preflight that was needed but not recorded is a ValueError."""
    hops = list(redirects) + [Hop(response=response)]
    hops[0] = Hop(response=hops[0].response, preflight=hops[0].preflight or preflight, url=hops[0].url)
    return judge_chain(request, hops, engine=engine)


def judge_chain(request: PageRequest, hops, *, engine: str = "chromium") -> Verdict:
    """Like judge(), over every URL the request visited: hops[i] is the answer (and preflight)
    at the i-th URL; every hop but the last was a redirect."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    fetch = _Fetch(request, engine)
    if any(isinstance(v, (list, tuple)) and len(v) > 1 for v in request.headers.values()):
        fetch.rules.add("combines_duplicate_request_headers")
    if any(name.lower() in CHROMIUM_SAFELISTED_HINTS for name in request.headers):
        fetch.rules.add("client_hint_headers_safelisted")
    failure = method_error(request)
    if failure:
        return fetch.verdict(failure, "request")
    url = hops[0].url or (hops[0].response.url if hops[0].response else "") or request.url
    method, current, cors, opaque = normalize_method(request.method), request, False, False

    for index, hop in enumerate(hops):
        cross_origin = not url or origin_of(url) != request.origin
        if request.mode == "same-origin" and cross_origin:
            return fetch.verdict("DisallowedByMode", "request" if index == 0 else "redirect")
        # Response tainting: 'cors' from the first URL on another origin, and it stays so, even
        # if a redirect comes back to the page's origin.
        cors = cors or (request.mode == "cors" and cross_origin)
        opaque = opaque or (request.mode == "no-cors" and cross_origin)
        fetch.origin_sent = "null" if fetch.tainted else request.origin
        if cors and needs_preflight(current, engine):
            fetch.preflight_needed = True
            if hop.preflight is None:
                raise ValueError("a preflight was needed but none was recorded")
            fetch.preflights += 1
            failure = preflight_check(current, hop.preflight, engine, fetch.origin_sent, fetch.rules)
            if failure:
                reason, details = failure
                return fetch.verdict(reason, "preflight", hop.preflight, **details)
        response = hop.response
        if response is None:
            raise ValueError("no recorded response to judge")
        last = index == len(hops) - 1
        if not last and is_redirect(response):
            fetch.location = urljoin(url, header(response.headers, "location"))
        if cors:
            access = access_check(current, response.headers, fetch.origin_sent)
            if access:
                return fetch.verdict(access, "response" if last else "redirect", response)
        if last:
            break
        if not is_redirect(response):
            raise ValueError(f"hop {index} is not a redirect, yet more hops follow")
        location = fetch.location
        if index + 1 > MAX_REDIRECTS:
            return fetch.verdict("TooManyRedirects", "redirect", response)
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https"):
            return fetch.verdict("CorsDisabledScheme", "redirect", response)
        # Step "if request's mode is cors, locationURL includes credentials, and request's origin
        # is not same origin with locationURL's origin": the mode, not the tainting, so a redirect
        # from the page's own origin to another one with user info fails too.
        if request.mode == "cors" and _includes_credentials(location) and origin_of(location) != request.origin:
            return fetch.verdict("RedirectContainsCredentials", "redirect", response)
        # https://fetch.spec.whatwg.org/#concept-request-tainted-origin: leaving a URL of another
        # origin than the page's for yet another origin makes the request's origin 'null'.
        if origin_of(location) != origin_of(url) and request.origin != origin_of(url):
            fetch.tainted = True
        current = _redirected(current, method, response.status, origin_of(location) != origin_of(url))
        method = normalize_method(current.method)
        url = hops[index + 1].url or (hops[index + 1].response.url if hops[index + 1].response else "") or location

    if opaque:
        return fetch.verdict("Opaque", response=response)
    if not cors:
        # Every URL was on the page's origin: a basic response, whatever the mode.
        fetch.basic = True
        return fetch.verdict("ReadableSimple", response=response)
    return fetch.verdict("ReadablePreflighted" if fetch.preflight_needed else "ReadableSimple", response=response)


def _redirected(request: PageRequest, method: str, status: int, to_other_origin: bool) -> PageRequest:
    """HTTP-redirect fetch: 301/302 turn POST into GET, 303 turns all but GET/HEAD into GET (both
    drop the body's headers); a hop to another origin drops Authorization."""
    headers = dict(request.headers)
    if (status in (301, 302) and method == "POST") or (status == 303 and method not in ("GET", "HEAD")):
        method = "GET"
        headers = {n: v for n, v in headers.items() if n.lower() not in REQUEST_BODY_HEADERS}
    if to_other_origin:
        headers = {n: v for n, v in headers.items() if n.lower() != "authorization"}
    return PageRequest(request.origin, method, headers, request.credentials, request.mode, request.url)

