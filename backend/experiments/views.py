"""The seed article's experiments, one view each, in the article's order.

CORS headers are not written here: django-cors-headers adds them to every /api/ response (see
config/settings.py). That is the point: the views stay ordinary Django views.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from crossorigin.sites import relation
from experiments.models import UserRecord
from lab.api import ApiError, api_view, json_body
from people import tokens
from people.users import change_display_name, demo_user_from, session_user, user_json

USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def echo_of(request) -> dict:
    """What the server saw of the browser's request; the page shows it beside the outcome."""
    return {
        "origin": request.headers.get("Origin"),
        "sec_fetch_site": request.headers.get("Sec-Fetch-Site"),
        "cookies": sorted(request.COOKIES),
    }


@api_view("GET")
def hello(request):
    """A simple request: no preflight; readable because the app origin is allowed."""
    return JsonResponse({"message": _("Hello from Django!"), "received": echo_of(request)})


@api_view("GET")
def hello_without_cors(request):
    """Answers 200 like hello, but CORS_URLS_REGEX leaves it out: the browser hides the reply."""
    return JsonResponse({"message": _("Hello from Django, with no CORS headers.")})


# A JSON body cannot be sent by a cross-site <form>, and no cookie is involved: nothing for CSRF.
@csrf_exempt
@api_view("POST")
def create_user(request):
    data = json_body(request, "username", "email")
    username, email = data["username"].strip(), data["email"].strip()
    if not USERNAME.match(username):
        raise ApiError(400, "invalid_username", _("Use up to 150 letters, digits and @.+-_ ."))
    try:
        validate_email(email)
    except ValidationError:
        raise ApiError(400, "invalid_email", _("%(email)s is not an e-mail address.") % {"email": email}) from None
    record = UserRecord.objects.create(username=username, email=email)
    return JsonResponse({"user": record.as_json()}, status=201)


def requested_lifetime(data: dict) -> timedelta:
    """A learner may ask for a shorter-lived token, to watch it expire; never for a longer one."""
    longest = int(tokens.LIFETIME.total_seconds())
    seconds = data.get("lifetime_seconds", longest)
    if type(seconds) is not int or not 1 <= seconds <= longest:  # type(): True is an int too
        raise ApiError(400, "invalid_lifetime",
                       _("lifetime_seconds must be a whole number from 1 to %(longest)d.") % {"longest": longest})
    return timedelta(seconds=seconds)


# Issuing a token uses no cookie, so there is no ambient authority for CSRF to protect.
@csrf_exempt
@api_view("POST")
def issue_token(request):
    data = json_body(request, "username", "password")
    lifetime = requested_lifetime(data)
    user = demo_user_from(request, data)
    return JsonResponse({"token": tokens.issue(user, lifetime=lifetime), "token_type": "Bearer",
                         "expires_in": int(lifetime.total_seconds())})


def bearer_challenge(reason: str, message: str, **fields: str) -> ApiError:
    # RFC 6750: a 401 names the scheme the client should use, and what was wrong with its token.
    challenge = 'Bearer realm="lab"'
    if reason != "missing_token":
        challenge += f', error="invalid_token", error_description="{reason}"'
    return ApiError(401, reason, message, {"WWW-Authenticate": challenge}, **fields)


def bearer_token(request) -> str:
    """The token of Authorization: Bearer <token>, or the 401 that asks for one."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise bearer_challenge("missing_token", _("Send Authorization: Bearer <token>."))
    return token.strip()


@api_view("GET")
def protected(request):
    token = bearer_token(request)
    try:
        claims = tokens.verify(token)
    except tokens.TokenRejected as rejected:
        raise bearer_challenge(rejected.reason, rejected.message, detail=rejected.detail) from None
    return JsonResponse({"user": {"id": claims["sub"], "username": claims["name"]}, "claims": claims})


@api_view("GET")
def csrf(request):
    """Sets the csrftoken cookie and returns a MASKED token for the X-CSRFToken header.

    The app's scripts cannot read a cookie of api's origin, so the token travels in the body.
    The cookie holds the secret; each masked token differs (a fresh random mask, against BREACH)
    yet every one of them unmasks to the same secret, so every one validates.
    """
    token = get_token(request)
    return JsonResponse({"csrfToken": token, "length": len(token),
                         "header": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")})


@api_view("POST")
def login_view(request):
    user = demo_user_from(request, json_body(request, "username", "password"))
    login(request, user)
    # login() rotates the CSRF secret (against session fixation): the old token is dead now.
    return JsonResponse({"user": user_json(user), "csrfToken": get_token(request)})


@api_view("GET")
def me(request):
    return JsonResponse({"user": user_json(session_user(request)), "received": echo_of(request)})


@api_view("POST")
def logout_view(request):
    was_logged_in = request.user.is_authenticated
    # Flushes the session; SessionMiddleware then answers with an expired, empty sessionid cookie.
    logout(request)
    return JsonResponse({"logged_out": was_logged_in})


@api_view("POST")
def set_display_name(request):
    """The state-changing endpoint the attacker's form targets. CSRF-protected unless the
    deliberately vulnerable variant is switched on (experiments/urls.py)."""
    return JsonResponse({"user": change_display_name(request, session_user(request))})


@api_view("GET")
def config(request):
    """The settings the learner can switch in .env, as the running server has them."""
    return JsonResponse({
        "origins": {"app": settings.LAB_APP_ORIGIN, "api": settings.LAB_API_ORIGIN,
                    "attacker": settings.LAB_ATTACKER_ORIGIN, "sibling": settings.LAB_SIBLING_ORIGIN,
                    "cross_site_app": settings.LAB_CROSS_SITE_APP_ORIGIN},
        # How each page's origin stands to the API (same site? trusted by CORS, by CSRF?).
        "relations": {role: relation(origin, settings.LAB_API_ORIGIN, settings.CORS_ALLOWED_ORIGINS,
                                     settings.CSRF_TRUSTED_ORIGINS)
                      for role, origin in (("app", settings.LAB_APP_ORIGIN), ("attacker", settings.LAB_ATTACKER_ORIGIN),
                                           ("sibling", settings.LAB_SIBLING_ORIGIN),
                                           ("cross_site_app", settings.LAB_CROSS_SITE_APP_ORIGIN))},
        # same-site or cross-site (LAB_DEPLOYMENT): whether the cross-site app is trusted.
        "deployment": settings.LAB_DEPLOYMENT,
        "PARTITIONED_COOKIES": settings.LAB_PARTITIONED_COOKIES,
        "SESSION_COOKIE_SAMESITE": settings.SESSION_COOKIE_SAMESITE,
        "CSRF_COOKIE_SAMESITE": settings.CSRF_COOKIE_SAMESITE,
        "COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
        "CORS_ALLOWED_ORIGINS": settings.CORS_ALLOWED_ORIGINS,
        "DISPLAY_NAME_CSRF_EXEMPT": settings.LAB_DISPLAY_NAME_CSRF_EXEMPT,
        "EXPOSE_CORS_HEADERS": settings.LAB_EXPOSE_CORS_HEADERS,
        "XSS_STAND_IN": settings.LAB_XSS_STAND_IN,
        "demo_username": settings.LAB_DEMO_USERNAME,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        # Cookie scope, CSRF storage and the scheme behind the proxy (mistakes.html).
        **settings.LAB_SETTINGS_SHOWN,
        # The .env values the server runs with, as it read them (the e2e suite checks them).
        "environment": settings.LAB_BEHAVIOUR_SETTINGS,
    })
