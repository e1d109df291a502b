"""JSON instead of Django's HTML error pages: the page that called the API can show them."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.utils.translation import gettext as _

from lab import csrf_reasons
from lab.api import error_response


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_response(413, "body_too_large", _("The body is too large."))
    return error_response(400, "bad_request", _("The request could not be understood."))


def permission_denied(request, exception=None):
    return error_response(403, "forbidden", _("You may not do this."))


def not_found(request, exception=None):
    return error_response(404, "not_found", _("No endpoint at %(path)s.") % {"path": request.path})


def server_error(request):
    # Django calls this while it handles the exception, so sys.exc_info() holds it.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError) and "database is locked" in str(error):
        # SQLite's busy timeout (settings) ran out while another writer held the lock: this
        # request's write was rolled back, and it says so before nginx would give up on it.
        return error_response(503, "database_busy", _("The database was busy with other writes for too long; "
                                                      "nothing was saved. Try again."), {"Retry-After": "1"})
    return error_response(500, "server_error", _("The server failed; its log says why."))


def csrf_failure(request, reason=""):
    # Django's own reason ("Origin checking failed...", "CSRF cookie not set.") is the lesson: it
    # stays, in Django's English, as `reason`; `message` says it in the request's language. For an
    # untrusted Origin, `own_origin` is what Django compared it with: http://<the Host> when the
    # proxy lost the scheme, though the browser spoke https.
    own = csrf_reasons.own_origin(request)
    code, message = csrf_reasons.explain(reason, own)
    extra = {"own_origin": own} if code == "origin_untrusted" and own else {}
    return error_response(403, "csrf_failed", message, reason=reason, reason_code=code, **extra)
