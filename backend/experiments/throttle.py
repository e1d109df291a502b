"""Login throttling: after LIMIT failed logins from one client within WINDOW, every login attempt
from that client gets a JSON 429 with Retry-After until the window ends, without a password check.

The client is the address nginx saw (X-Forwarded-For, which nginx sets to $remote_addr and so
replaces whatever the client sent). Only nginx can reach gunicorn (a unix socket on a volume only
the two mount), so the header is nginx's word. Counts live in the database, shared by every
gunicorn worker; a transaction (IMMEDIATE in settings) makes each increment atomic.
"""

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experiments.models import LoginFailures
from lab.api import ApiError

LIMIT = 10
WINDOW = timedelta(minutes=1)


def client_of(request) -> str:
    forwarded = request.headers.get("X-Forwarded-For", "").strip()
    return (forwarded or request.META.get("REMOTE_ADDR") or "unknown")[:64]


def refuse_if_throttled(request):
    """Raises the 429 before any password is checked: a blocked guess costs the server nothing."""
    now = timezone.now()
    row = LoginFailures.objects.filter(client=client_of(request), window_start__gt=now - WINDOW).first()
    if row and row.failures >= LIMIT:
        retry_after = max(1, math.ceil((row.window_start + WINDOW - now).total_seconds()))
        raise ApiError(429, "too_many_attempts",
                       _("Too many failed logins from your address; try again in %(seconds)d s.")
                       % {"seconds": retry_after},
                       {"Retry-After": str(retry_after)})


def record_failure(request):
    now = timezone.now()
    with transaction.atomic():
        # Windows that are over are forgotten, so the table stays as small as the current attacks.
        LoginFailures.objects.filter(window_start__lte=now - WINDOW).delete()
        row, created = LoginFailures.objects.get_or_create(client=client_of(request),
                                                           defaults={"window_start": now, "failures": 1})
        if not created:
            row.failures += 1
            row.save(update_fields=["failures"])
