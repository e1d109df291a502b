"""A small model of the Fetch standard's CORS rules, and of where Chromium departs from them.

Given the request a page's fetch() asks for and the responses the server recorded (the ledger),
it predicts what the browser does: hand the response to the page, or block it, with the reason
Chromium reports in DevTools (corsErrorStatus.corsError), one plain sentence of why, and the
setting that would change it. Pure Python (no Django); the e2e suite checks predictions against
Chromium.

The checks follow the order of Chromium's network code (services/network/cors/cors_url_loader.cc,
preflight_controller.cc, preflight_result.cc, public/cpp/cors/cors.cc), so that when several
things are wrong the model names the same one the browser does. Where Chromium and the standard
disagree, the difference is one row of CHROMIUM_DEVIATIONS: nothing else branches on the engine.

Reasons a verdict can carry:
- a network::mojom::CorsError name, as Chromium reports it (MissingAllowOriginHeader, ...);
- Opaque: a no-cors request; fetch() resolves with an opaque response (status 0, no headers,
  no body), which is never a CORS error;
- ForbiddenMethod, InvalidMethod, NoCorsMethodNotSafelisted, DisallowedByMode: fetch() rejects
  with a TypeError before anything is sent (failed_at "request", nothing needs a preflight).
  Chromium reports no corsError for them; only DisallowedByMode is a CorsError name;
- TooManyRedirects: the 21st redirect; Chromium reports net::ERR_TOO_MANY_REDIRECTS.
https://fetch.spec.whatwg.org/#http-cors-protocol

One topic a module, each with its tests in crossorigin/tests/fetch/:
- messages.py: every sentence the model says, and the fix it suggests;
- engines.py: the engines, and where each departs from the standard;
- headers.py: header values as the browser reads them, and the CORS-safelisted request headers;
- request.py: the request fetch() builds, and whether it needs a preflight;
- response.py: the checks on the answers, the headers the page may read, and the Verdict;
- redirects.py: judge(), over every URL of a redirect chain;
- deviation.py: the two engines' verdicts compared, in words;
- cache.py: the preflight cache.
"""

from crossorigin.fetch.cache import PreflightCache, count_preflights, preflight_cache_seconds
from crossorigin.fetch.deviation import chromium_rules, describe_deviation, deviation
from crossorigin.fetch.engines import BROWSERS, CHROMIUM_DEVIATIONS, DEVIATIONS, ENGINES, FIREFOX_REASONS, differs, reported_as
from crossorigin.fetch.headers import header, is_safelisted_request_header
from crossorigin.fetch.messages import MESSAGES, message_for
from crossorigin.fetch.redirects import Hop, judge, judge_chain
from crossorigin.fetch.request import (
    PageRequest, is_forbidden_request_header, needs_preflight, normalize_method, sent_headers, unsafe_request_headers,
)
from crossorigin.fetch.response import RecordedResponse, Verdict

__all__ = [
    "BROWSERS", "CHROMIUM_DEVIATIONS", "DEVIATIONS", "ENGINES", "FIREFOX_REASONS", "MESSAGES", "Hop", "PageRequest",
    "PreflightCache", "RecordedResponse", "Verdict", "chromium_rules", "count_preflights", "describe_deviation", "deviation", "differs",
    "header", "is_forbidden_request_header", "is_safelisted_request_header", "judge", "judge_chain", "message_for",
    "needs_preflight", "normalize_method", "preflight_cache_seconds", "reported_as", "sent_headers",
    "unsafe_request_headers",
]
