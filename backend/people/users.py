"""The session's user and what the API says of it: one place for every app that serves the demo
user (experiments' /api/me/, the leak endpoints' mistaken copies of it)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _

from lab.api import ApiError, form_or_json_body
from people import throttle
from people.models import Profile

MAX_DISPLAY_NAME = 40


def session_user(request):
    if not request.user.is_authenticated:
        # A session has no standard auth scheme; the challenge names it for completeness.
        raise ApiError(401, "not_logged_in", _("No session: log in first."),
                       {"WWW-Authenticate": 'Cookie realm="lab"'})
    return request.user


def user_json(user) -> dict:
    return {"username": user.username, "display_name": Profile.display_name_of(user)}


def change_display_name(request, user) -> dict:
    """Sets the display name the request's form or JSON body asks for; returns the user's JSON."""
    name = form_or_json_body(request, "display_name")["display_name"].strip()
    if len(name) > MAX_DISPLAY_NAME:
        raise ApiError(400, "invalid_display_name", _("Use at most 40 characters."))
    Profile.objects.update_or_create(user=user, defaults={"display_name": name})
    return user_json(user)


def demo_user_from(request, data: dict):
    """The user these credentials name; a client that failed too often meets the throttle first."""
    with throttle.login_attempt(request):
        user = authenticate(username=data["username"], password=data["password"])
        if user is None:
            raise ApiError(400, "invalid_credentials", _("Wrong username or password."))
    return user
