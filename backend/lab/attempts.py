"""An attacker's request, as the ledger recorded it, judged by the one classifier of what stopped
it (crossorigin/defences.py): the cookies page's attacks and the leak tables both ask here."""

from django.conf import settings

from crossorigin.defences import Attempt, Stopped, what_stopped
from lab.csrf_reasons import django_reason_of, explain


def judged(entry) -> tuple[Stopped, str]:
    """(what stopped it, its sentence in the reader's language) for one ledger entry."""
    status = entry.response["status"]
    # Django's reason, told in the language of the page that asks (the attack's own request may
    # have been in another).
    csrf_reason, told = explain(django_reason_of(entry.response)) if status == 403 else (None, "")
    attempt = Attempt.from_ledger(entry.request, entry.response, settings.SESSION_COOKIE_NAME, csrf_reason)
    stopped = what_stopped(attempt, settings.LAB_SIBLING_ORIGIN)
    return stopped, stopped.message(status, told)
