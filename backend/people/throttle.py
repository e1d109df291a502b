"""Login throttling: after LIMIT failed logins from one client within WINDOW, every login attempt
from that client gets a JSON 429 with Retry-After until the window ends, without a password check.

The client is the address nginx saw (X-Forwarded-For, which nginx sets to $remote_addr and so
replaces whatever the client sent). Only nginx can reach gunicorn (a unix socket on a volume only
the two mount), so the header is nginx's word. Counts live in the database, shared by every
gunicorn worker and thread.

Deciding and counting are one step. An attempt is counted as a failure before its password is
checked, in the same transaction that read the count; the count is taken back if the password
was right. Checking first and counting after the (slow, PBKDF2) password check let every attempt
in flight pass the check: 16 at a time got 20 and more guesses through a limit of 10. The
transaction is IMMEDIATE (settings: transaction_mode), so SQLite's write lock is held from its
first read: no other attempt, in this worker or the other, reads the count in between. A right
password sent while others are in flight may meet a 429 that a later success would have avoided:
the throttle errs on the side of fewer guesses.
"""

import math
from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import LoginFailures
from lab.api import ApiError

LIMIT = 10
WINDOW = timedelta(minutes=1)


def client_of(request) -> str:
    forwarded = request.headers.get("X-Forwarded-For", "").strip()
    return (forwarded or request.META.get("REMOTE_ADDR") or "unknown")[:64]


def throttled(row: LoginFailures, now) -> ApiError:
    retry_after = max(1, math.ceil((row.window_start + WINDOW - now).total_seconds()))
    return ApiError(429, "too_many_attempts",
                    _("Too many failed logins from your address; try again in %(seconds)d s.")
                    % {"seconds": retry_after},
                    {"Retry-After": str(retry_after)})


def count_or_refuse(client: str) -> None:
    """Counts one more failure for the client, or raises the 429 if it has LIMIT already."""
    now = timezone.now()
    with transaction.atomic():
        # Windows that are over are forgotten, so the table stays as small as the current attacks.
        LoginFailures.objects.filter(window_start__lte=now - WINDOW).delete()
        row, _created = LoginFailures.objects.get_or_create(client=client, defaults={"window_start": now})
        if row.failures >= LIMIT:
            raise throttled(row, now)
        row.failures += 1
        row.save(update_fields=["failures"])


@contextmanager
def login_attempt(request):
    """Around a password check: a 429 before it, for a client that failed LIMIT times; the attempt
    counts as a failure unless the block ends without an exception (the password was right)."""
    client = client_of(request)
    count_or_refuse(client)
    yield
    LoginFailures.objects.filter(client=client, failures__gt=0).update(failures=F("failures") - 1)
