"""The engines the model knows, and where each departs from the Fetch standard.

Nothing else in the model branches on the engine: a check asks differs(engine, rule), and a rule
is a row of DEVIATIONS.
"""

# Where Chromium departs from the standard, one row each; the checks and PreflightCache consult
# only this table. The sentence for a row is MESSAGES["Deviation." + key]. Each row's comment names
# where Chromium's source has it; e2e/test_playground_differential.py checks the model's Chromium
# verdicts against the real browser on random cases (docs/engines.md has the browser's version).
CHROMIUM_DEVIATIONS = frozenset({
    "wildcard_covers_authorization",             # feature CorsNonWildcardRequestHeadersSupport is off
    "negative_max_age_not_cached",               # preflight_result.cc ParseAccessControlMaxAge
    "combines_duplicate_request_headers",        # Blink's header map joins repeated names with ", "
    "one_cache_entry_per_url",                   # preflight_cache.cc: cache_[key] = result
    "cache_wildcard_never_covers_authorization",  # CheckIfRequestCanSkipPreflight passes true
    "client_hint_headers_safelisted",            # cors.cc IsCorsSafelistedHeader: DPR, Save-Data, ...
    "long_url_not_cached",                       # preflight_cache.cc AppendEntry: kMaxKeyLength
    "opaque_origin_not_cached",                  # observed: a sandboxed page preflights every time
})
# Firefox ESR and WebKitGTK, as e2e/test_engines.py runs them: a row is added only when a test
# in that engine shows it (docs/engines.md has what each engine did, with its version).
# Firefox ESR 140 logs "Cross-Origin Request Warning" (CORSAllowHeaderFromPreflightDeprecation)
# when it lets '*' cover Authorization, and lets the request through.
FIREFOX_DEVIATIONS = frozenset({"wildcard_covers_authorization"})
WEBKIT_DEVIATIONS = frozenset({"wildcard_covers_authorization"})
DEVIATIONS = {"chromium": CHROMIUM_DEVIATIONS, "firefox": FIREFOX_DEVIATIONS, "webkit": WEBKIT_DEVIATIONS,
              "standard": frozenset()}
ENGINES = tuple(DEVIATIONS)
BROWSERS = ("chromium", "firefox", "webkit")  # the engines a test can run; "standard" is the text

# How each engine names a reason where a tool can read it: Chromium's DevTools uses the model's
# own names (corsErrorStatus); Firefox writes a console sentence, whose key in its string table
# (security.properties) is MDN's name for the error; WebKit tells nothing ("Load failed").
# Only pairs seen in a test in that engine are listed.
# A failed preflight adds CORSDidNotSucceed to the specific sentence.
FIREFOX_REASONS = {
    "MissingAllowOriginHeader": ["CORSMissingAllowOrigin"],
    "AllowOriginMismatch": ["CORSAllowOriginNotMatchingOrigin"],
    "WildcardOriginNotAllowed": ["CORSNotSupportingCredentials"],
    "InvalidAllowCredentials": ["CORSMissingAllowCredentials"],
    "PreflightInvalidStatus": ["CORSDidNotSucceed", "CORSPreflightDidNotSucceed"],
    "PreflightMissingAllowOriginHeader": ["CORSDidNotSucceed", "CORSMissingAllowOrigin"],
    # The redirect answer carries no Access-Control-Allow-Origin, and Firefox names that.
    "PreflightDisallowedRedirect": ["CORSDidNotSucceed", "CORSMissingAllowOrigin"],
    "MethodDisallowedByPreflightResponse": ["CORSDidNotSucceed", "CORSMethodNotFound"],
    "HeaderDisallowedByPreflightResponse": ["CORSDidNotSucceed", "CORSMissingAllowHeaderFromPreflight"],
}
# Verdicts no engine reports as a CORS error (fetch() rejects before sending, or the answer is
# opaque, or the network layer gave up).
NOT_CORS_ERRORS = {"Opaque", "ForbiddenMethod", "InvalidMethod", "NoCorsMethodNotSafelisted", "DisallowedByMode",
                   "TooManyRedirects"}


def reported_as(engine: str, reason: str | None) -> list[str]:
    """The names the engine itself gives this verdict's reason, as a test can read them."""
    if not reason or reason in NOT_CORS_ERRORS:
        return []
    if engine == "chromium":
        return [reason]
    if engine == "firefox":
        return FIREFOX_REASONS.get(reason, ["?" + reason])
    return []


def differs(engine: str, rule: str) -> bool:
    """Does this engine follow the rule of DEVIATIONS instead of the standard?"""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    return rule in DEVIATIONS[engine]
