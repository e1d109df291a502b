"""The token lifecycle experiment (frontend/tokens.html): three ways to stay logged in, side by side.

(a) The page keeps an access token and a refresh token itself (localStorage) and sends the refresh
    token in the JSON body.
(b) The page keeps the access token in memory; the browser keeps the refresh token in a cookie,
    HttpOnly, Secure, with the lab's SameSite, and sent to the refresh path only.
(c) The session cookie: the experiments' POST /api/login/, unchanged.

(a) and (b) share the token families of people/families.py: every refresh rotates the refresh
token, a retired one that comes back revokes the family, and so does logout.

CSRF. A token in a JSON body is no ambient credential: the browser attaches nothing by itself, and
a page of another origin cannot send JSON without a preflight, which CORS refuses to all but the
app. So pair/, and refresh/ and refresh/revoke/ with a token in the body, need no CSRF check. The
refresh cookie is ambient: the browser attaches it to any POST to the refresh path, whoever made
the page. A request that relies on it changes state (it rotates or revokes the family) on the
strength of a cookie, exactly like a session login, so it meets the same check: Django's
CsrfViewMiddleware (the Origin must be trusted, X-CSRFToken must match the csrftoken cookie),
applied with csrf_protect. SameSite alone would not do: it keeps the cookie off requests from
other sites, never from the same site (a sibling subdomain), and None keeps it off nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from crossorigin.cookies import CONTEXTS, ENGINE_POLICIES, POLICIES, WHY, Context, Probe, expected
from crossorigin.defences import attacker_of
from crossorigin.translation import translate
from experiments.views import bearer_token
from lab.api import ApiError, api_view, json_body
from lab.csrf_reasons import django_reason_of, explain
from lab.origins import lab_hosts
from ledger.runs import not_recorded, run_from
from people import families, tokens
from people.users import demo_user_from, user_json

REFRESH_COOKIE = "refresh_token"
# The refresh path: the cookie's Path, so that no other request of the API carries it (the revoke
# path lies under it). Its page is api.lab.localhost's: no page of the app's host ever sees it.
REFRESH_PATH = "/api/token/refresh/"
REVOKE_PATH = REFRESH_PATH + "revoke/"
REFRESH_IN = ("body", "cookie")


def refresh_cookie() -> dict:
    """The refresh cookie's attributes. SameSite and Secure are the session cookie's (.env's
    LAB_SESSION_COOKIE_SAMESITE, LAB_COOKIE_SECURE): (b) and (c) are compared under one rule."""
    return {"path": REFRESH_PATH, "secure": settings.SESSION_COOKIE_SECURE, "httponly": True,
            "samesite": settings.SESSION_COOKIE_SAMESITE}


def minutes(lifetime: timedelta) -> int:
    return int(lifetime.total_seconds() // 60)


def tokens_answer(family, access: str, refresh: str, refresh_in: str, message: str) -> JsonResponse:
    """The tokens of a login or a refresh: the refresh token in the body, or in the cookie."""
    body = {"access": access, "token_type": "Bearer", "expires_in": int(tokens.LIFETIME.total_seconds()),
            "refresh_in": refresh_in, "family": family.as_json(), "message": message}
    if refresh_in == "body":
        return JsonResponse({**body, "refresh": refresh})
    response = JsonResponse({**body, "refresh_cookie": {"name": REFRESH_COOKIE, **refresh_cookie()}})
    response.set_cookie(REFRESH_COOKIE, refresh, max_age=int(tokens.REFRESH_LIFETIME.total_seconds()),
                        **refresh_cookie())
    return response


def clear_refresh_cookie(response):
    # Deleted with the attributes it was set with: an expired, empty cookie of the same path.
    response.set_cookie(REFRESH_COOKIE, "", max_age=0, expires="Thu, 01 Jan 1970 00:00:00 GMT", **refresh_cookie())


def token_in_body(request) -> str | None:
    """The refresh token of a JSON body (mode (a)); None when the request sends no JSON and so
    relies on the refresh cookie (mode (b))."""
    if request.content_type != "application/json":
        return None
    return json_body(request, "refresh")["refresh"].strip()


def token_in_cookie(request) -> str:
    token = request.COOKIES.get(REFRESH_COOKIE, "")
    if not token:
        # RFC 6750: no error code in the challenge of a request that brought no token.
        raise ApiError(401, "no_refresh_token", _(
            "No refresh token: send it as the refresh field of a JSON body, or log in with the refresh cookie "
            "first (the browser sends it to %(path)s only).") % {"path": REFRESH_PATH},
            {"WWW-Authenticate": 'Bearer realm="lab"'})
    return token


# Issuing tokens takes a password, not a cookie: nothing for CSRF to protect. A page of another
# origin cannot send this JSON anyway: it needs a preflight, which CORS refuses to all but the app.
@csrf_exempt
@api_view("POST")
def pair(request):
    data = json_body(request, "username", "password", "refresh_in")
    refresh_in = data["refresh_in"]
    if refresh_in not in REFRESH_IN:
        raise ApiError(400, "invalid_refresh_in", _("refresh_in must be body or cookie."))
    user = demo_user_from(request, data)
    family, access, refresh = families.start(user)
    hours = int(tokens.REFRESH_LIFETIME.total_seconds() // 3600)
    message = _("Logged in: a new token family. The access token lives %(minutes)d minutes; the refresh token "
                "lives %(hours)d hours and works once.") % {"minutes": minutes(tokens.LIFETIME), "hours": hours}
    return tokens_answer(family, access, refresh, refresh_in, f"{message} {where_it_is(refresh_in)}")


def where_it_is(refresh_in: str) -> str:
    if refresh_in == "body":
        return _("The refresh token is in this answer: the page keeps it where its scripts can read it.")
    return _("The refresh token is in an HttpOnly cookie of the API, sent to %(path)s only: no script reads it, "
             "and the browser attaches it by itself.") % {"path": REFRESH_PATH}


def refreshed(refresh_token: str, refresh_in: str) -> JsonResponse:
    family, access, refresh = families.rotate(refresh_token)
    message = _("Refreshed (refresh number %(count)d of this family): a new access token, and a new refresh "
                "token; the one sent is retired, and sending it again revokes the family.") % {"count": family.refreshes}
    return tokens_answer(family, access, refresh, refresh_in, f"{message} {where_it_is(refresh_in)}")


# The body's token needs no CSRF check; the cookie's gets Django's own (see the top of this file).
@csrf_exempt
@api_view("POST")
def refresh(request):
    token = token_in_body(request)
    if token is not None:
        return refreshed(token, "body")
    return refresh_with_cookie(request)


@csrf_protect
def refresh_with_cookie(request):
    return refreshed(token_in_cookie(request), "cookie")


def logged_out(refresh_token: str) -> JsonResponse:
    family, revoked_now = families.log_out(refresh_token)
    message = (_("Logged out: the family is revoked on the server. Its refresh tokens and, at GET /api/token/me/, "
                 "its access tokens are refused from now on.") if revoked_now
               else _("This family was revoked already; nothing changed."))
    return JsonResponse({"logged_out": revoked_now, "family": family.as_json(), "message": message})


@csrf_exempt
@api_view("POST")
def revoke(request):
    token = token_in_body(request)
    if token is not None:
        return logged_out(token)
    return revoke_with_cookie(request)


@csrf_protect
def revoke_with_cookie(request):
    response = logged_out(token_in_cookie(request))
    clear_refresh_cookie(response)
    return response


@api_view("GET")
def me(request):
    """The access token's user, if its family still stands: the check that makes logout stick."""
    claims, family = families.check_access(bearer_token(request))
    return JsonResponse({"user": {"id": claims["sub"], **user_json(family.user)}, "claims": claims,
                         "family": family.as_json()})


# --- Where the refresh cookie goes, and what other pages' requests to it did ------------------

def probe() -> Probe:
    """The refresh cookie as the cookie model sees it: host-only, with the lab's SameSite."""
    return Probe(REFRESH_COOKIE, settings.SESSION_COOKIE_SAMESITE)


@api_view("GET")
def cookie(request):
    """The refresh cookie's attributes, and in which request contexts of the SameSite matrix each
    engine sends it, by the lab's cookie model (crossorigin/cookies.py)."""
    if not lab_hosts().one_site:
        raise ApiError(409, "cookie_model_needs_one_site", two_sites())
    contexts = []
    for context in CONTEXTS:
        predictions = {policy: expected(probe(), context, policy, hosts=lab_hosts()) for policy in POLICIES}
        contexts.append({
            "context": context.name, "title": translate(context.title),
            "sent": {policy: sent for policy, (sent, _why) in predictions.items()},
            "why": {policy: translate(WHY[why]) for policy, (_sent, why) in predictions.items()},
            "expected_by_engine": {engine: dict(zip(("sent", "why"), expected(probe(), context, policy, hosts=lab_hosts(), engine=engine)))
                                   for engine, policy in ENGINE_POLICIES.items()},
        })
    return JsonResponse({"name": REFRESH_COOKIE, **refresh_cookie(), "contexts": contexts})


def two_sites() -> str:
    hosts = lab_hosts()
    return _("The cookie model covers an app and an API of one site; %(app)s and %(api)s are two sites.") % {
        "app": hosts.app, "api": hosts.api}


def observed_context(request: dict) -> Context:
    """The context of a recorded request, in the cookie model's terms, from its Sec-Fetch-* headers."""
    return Context("observed", "", cross_site=request["sec_fetch_site"] == "cross-site",
                   top_level=request["sec_fetch_mode"] == "navigate" and request["sec_fetch_dest"] == "document",
                   method=request["method"])


def why_the_cookie(entry) -> str:
    """Why the refresh cookie came or stayed home: the cookie model's reason under the
    third-party-cookie policy that agrees with what arrived."""
    if entry.is_preflight:
        return _("A preflight never carries cookies.")
    if not lab_hosts().one_site:
        return two_sites()
    request, samesite = entry.request, entry.response["session_cookie_samesite"]
    arrived = REFRESH_COOKIE in request["cookies"]
    context = observed_context(request)
    for policy in POLICIES:
        sent, why = expected(Probe(REFRESH_COOKIE, samesite), context, policy, hosts=lab_hosts())
        if sent == arrived:
            return translate(WHY[why])
    # The model says it would ride, whatever the policy: the browser held none.
    return _("No refresh cookie came: the browser held none (log in with the cookie first).")


def what_it_did(entry) -> tuple[str, str]:
    """(code, sentence): what the API did with the request."""
    response = entry.response
    if entry.is_preflight:
        return "preflight_refused", _(
            "Only the preflight arrived: a JSON body needs the API's permission first, CORS refused it to this "
            "origin, and the browser never sent the request itself.")
    if response["status"] == 403 and (response["error"] or {}).get("code") == "csrf_failed":
        _code, told = explain(django_reason_of(response))
        return "csrf", _("Django's CSRF check refused it, so nothing was rotated: %(reason)s") % {"reason": told}
    if response["status"] == 405:
        return "method", _("The refresh endpoint takes POST only: a link (a GET) rotates nothing.")
    return "other", _("HTTP %(status)s.") % {"status": response["status"]}


def what_the_page_read(entry) -> str:
    request, headers = entry.request, entry.response["headers"]
    if request["sec_fetch_mode"] == "navigate":
        return _("A navigation: the answer went to the tab, in front of the user, not to the page's script.")
    if request["origin"] and headers.get("access-control-allow-origin") == request["origin"]:
        return _("CORS shared the answer with this page.")
    return _("CORS shared nothing with this page: its fetch() threw, whatever the API answered.")


def is_attempt(entry) -> bool:
    """A request of another page (the attacker's, the sibling's) to the refresh path."""
    request = entry.request
    return request["path"] in (REFRESH_PATH, REVOKE_PATH) and (
        request["origin"] == settings.LAB_ATTACKER_ORIGIN or request["sec_fetch_site"] == "cross-site"
        or attacker_of(request["sec_fetch_site"], request["origin"], settings.LAB_SIBLING_ORIGIN) == "sibling")


@not_recorded
@api_view("GET")
def attempts(request):
    """The other pages' requests of one run to the refresh path: did the refresh cookie come, what
    did the API do, what could the page read. Every sentence from here; the page decides nothing."""
    rows = []
    for entry in filter(is_attempt, run_from(request).entries.all()):
        code, did = what_it_did(entry)
        rows.append({
            "attacker": attacker_of(entry.request["sec_fetch_site"], entry.request["origin"], settings.LAB_SIBLING_ORIGIN),
            "kind": "preflight" if entry.is_preflight else "request",
            "method": entry.request["method"], "path": entry.request["path"],
            "sec_fetch_mode": entry.request["sec_fetch_mode"], "sec_fetch_dest": entry.request["sec_fetch_dest"],
            "cookie_arrived": REFRESH_COOKIE in entry.request["cookies"],
            "status": entry.response["status"], "outcome": code,
            "said": [why_the_cookie(entry), did, what_the_page_read(entry)],
        })
    return JsonResponse({"attempts": rows, "cookie": REFRESH_COOKIE})
