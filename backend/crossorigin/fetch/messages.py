"""Every sentence the Fetch model says: why a verdict came out as it did, and the fix.

A verdict's reason is a key of MESSAGES; the other keys are the pieces deviation.py and
redirects.py put around a sentence.
"""

from crossorigin.translation import gettext_noop, translate

# Every user-facing sentence, in one place for translation (gettext_noop marks it for
# makemessages; message_for() gives it in the reader's language). {placeholders} are filled in.
MESSAGES = {
    "ReadableSimple": (gettext_noop("No preflight was needed and the server allowed {origin}, so the page can read the answer."), ""),
    "ReadablePreflighted": (gettext_noop("The preflight allowed {method} from {origin}, then the answer allowed it too: readable."), ""),
    "Opaque": (
        gettext_noop("A no-cors request: the page gets an opaque answer (status 0, no headers, no body), never a CORS error."),
        gettext_noop("Use mode 'cors' (the default) and let the server allow {origin} if the page must read the answer.")),
    "ForbiddenMethod": (
        gettext_noop("{method} is a forbidden method: fetch() threw a TypeError and nothing was sent."),
        gettext_noop("Browsers never send CONNECT, TRACE or TRACK; use another method.")),
    "InvalidMethod": (
        gettext_noop("{method!r} is not a valid HTTP method token: fetch() threw a TypeError and nothing was sent."),
        gettext_noop("Use a method made of token characters only, such as PATCH.")),
    "NoCorsMethodNotSafelisted": (
        gettext_noop("In no-cors mode only GET, HEAD and POST are allowed: fetch() threw a TypeError for {method}."),
        gettext_noop("Use mode 'cors' and let the server allow {method}.")),
    "DisallowedByMode": (
        gettext_noop("The request's mode is 'same-origin' but the URL is on another origin: nothing was sent."),
        gettext_noop("Use mode 'cors' for a request to another origin.")),
    "MissingAllowOriginHeader": (
        gettext_noop("The server answered (HTTP {status}) but without Access-Control-Allow-Origin, so the browser kept the answer from the page."),
        gettext_noop("Add the page's origin to CORS_ALLOWED_ORIGINS (django-cors-headers), and make sure error pages pass through CorsMiddleware too.")),
    "AllowOriginMismatch": (
        gettext_noop("The server allowed {allow_origin}, not the request's origin {origin_sent}."),
        gettext_noop("Let django-cors-headers echo an allowed origin (CORS_ALLOWED_ORIGINS) instead of a fixed value.")),
    "MultipleAllowOriginValues": (
        gettext_noop("Access-Control-Allow-Origin held several values ({allow_origin}); it must hold exactly one."),
        gettext_noop("Send one origin, the one that asked: django-cors-headers does this from CORS_ALLOWED_ORIGINS.")),
    "InvalidAllowOriginValue": (
        gettext_noop("Access-Control-Allow-Origin held {allow_origin!r}, which is not an origin."),
        gettext_noop("Send the page's origin, as django-cors-headers does from CORS_ALLOWED_ORIGINS.")),
    "WildcardOriginNotAllowed": (
        gettext_noop("A request with credentials is never shared with '*': the server must name the origin."),
        gettext_noop("Use CORS_ALLOWED_ORIGINS with CORS_ALLOW_CREDENTIALS = True, not a hand-written '*'.")),
    "InvalidAllowCredentials": (
        gettext_noop("The request carried credentials, but Access-Control-Allow-Credentials was {allow_credentials!r}, not exactly 'true'."),
        gettext_noop("Set CORS_ALLOW_CREDENTIALS = True (django-cors-headers sends exactly 'true').")),
    "PreflightDisallowedRedirect": (
        gettext_noop("The preflight was answered with a redirect (HTTP {status}); browsers never follow redirects for preflights."),
        gettext_noop("Call the URL with its trailing slash (Django's APPEND_SLASH redirects it), and keep CorsMiddleware above CommonMiddleware.")),
    "PreflightInvalidStatus": (
        gettext_noop("The preflight was answered with HTTP {status}; it must be a 2xx status."),
        gettext_noop("Let CorsMiddleware (placed above CommonMiddleware) answer OPTIONS with 200.")),
    "InvalidAllowMethodsPreflightResponse": (
        gettext_noop("Access-Control-Allow-Methods ({allow_methods!r}) could not be parsed."),
        gettext_noop("List methods as a comma-separated list in CORS_ALLOW_METHODS.")),
    "InvalidAllowHeadersPreflightResponse": (
        gettext_noop("Access-Control-Allow-Headers ({allow_headers!r}) could not be parsed."),
        gettext_noop("List header names as a comma-separated list in CORS_ALLOW_HEADERS.")),
    "MethodDisallowedByPreflightResponse": (
        gettext_noop("The preflight allowed only {allow_methods}; {method} is not among them (methods compare case-sensitively), so the request was never sent."),
        gettext_noop("Add {method} to CORS_ALLOW_METHODS, spelled exactly as the page sends it.")),
    "HeaderDisallowedByPreflightResponse": (
        gettext_noop("The preflight did not allow the request header {header}, so the request was never sent."),
        gettext_noop("Add {header} to CORS_ALLOW_HEADERS.")),
    "HeaderDisallowedWildcardWithCredentials": (
        gettext_noop("With credentials, '*' in Access-Control-Allow-Headers is a header literally named '*', so {header} was not allowed."),
        gettext_noop("Name {header} in CORS_ALLOW_HEADERS instead of '*'.")),
    "AuthorizationNotCoveredByWildcard": (
        gettext_noop("'*' in Access-Control-Allow-Headers never covers Authorization, so the request was never sent."),
        gettext_noop("Name authorization in CORS_ALLOW_HEADERS (django-cors-headers lists it by default).")),
    "RedirectContainsCredentials": (
        gettext_noop("A redirect pointed to a URL with a user name or password ({location}); a CORS request never follows it."),
        gettext_noop("Redirect to a URL without user:password@.")),
    "CorsDisabledScheme": (
        gettext_noop("A redirect pointed to {location}, which is not http or https; a CORS request never follows it."),
        gettext_noop("Redirect to an https URL.")),
    "TooManyRedirects": (
        gettext_noop("The request was redirected more than 20 times, so the browser gave up."),
        gettext_noop("Fix the redirect loop.")),
    # Said of a check that failed on a redirect response rather than the final one.
    "OnRedirect": (gettext_noop("On a redirect (HTTP {status}) to {location}: "), ""),
    # Said of a request whose origin was 'tainted' by a redirect to another origin.
    "TaintedOrigin": (gettext_noop("After the redirect from another origin the browser sent 'Origin: null'. "), ""),
    # deviation(): the two engines' outcomes, then each engine rule that played a part.
    "Outcome.readable": (gettext_noop("readable"), ""),
    "Outcome.opaque": (gettext_noop("an opaque answer"), ""),
    "Outcome.blocked": (gettext_noop("blocked ({reason}, at the {failed_at})"), ""),
    "Deviation": (gettext_noop("The Fetch standard predicts {standard}; Chromium predicts {chromium}."), ""),
    "DeviationPreflight": (gettext_noop("The standard sends {standard_preflight} preflight; Chromium sends {chromium_preflight}."), ""),
    "Deviation.wildcard_covers_authorization": (
        gettext_noop("'*' in Access-Control-Allow-Headers covers Authorization in Chromium; in the standard it never does."), ""),
    "Deviation.negative_max_age_not_cached": (
        gettext_noop("A negative Access-Control-Max-Age means 'do not cache' in Chromium; the standard falls back to 5 seconds."), ""),
    "Deviation.combines_duplicate_request_headers": (
        gettext_noop("Chromium joins repeated request headers into one value before checking the safelist; the standard checks each."), ""),
    "Deviation.one_cache_entry_per_url": (
        gettext_noop("Chromium keeps only the latest preflight per origin and URL; the standard adds entries per method and header."), ""),
    "Deviation.client_hint_headers_safelisted": (
        gettext_noop("Chromium also safelists DPR, Device-Memory, Width, Viewport-Width, Save-Data and Intervention; the standard does not."), ""),
    "Deviation.long_url_not_cached": (
        gettext_noop("Chromium never caches a preflight for a URL of 1024 characters or more; the standard has no such limit."), ""),
    "Deviation.opaque_origin_not_cached": (
        gettext_noop("Chromium does not reuse a preflight made from an opaque origin (Origin: null); the standard caches it under 'null'."), ""),
    "Deviation.cache_wildcard_never_covers_authorization": (
        gettext_noop("Chromium's preflight cache never lets '*' cover Authorization, so such requests are preflighted every time."), ""),
}
# The access check's reasons get this prefix when the preflight's answer is the one at fault.
PREFLIGHT_PREFIX = "Preflight"
IN_THE_PREFLIGHT = gettext_noop("The preflight failed this check: ")


def message_for(reason: str) -> tuple[str, str]:
    """The (why, fix) sentences for a reason; Preflight* access reasons reuse the plain one."""
    if reason in MESSAGES:
        why, fix = MESSAGES[reason]
        return translate(why), translate(fix)
    why, fix = MESSAGES[reason.removeprefix(PREFLIGHT_PREFIX)]
    return translate(IN_THE_PREFLIGHT) + translate(why), translate(fix)

