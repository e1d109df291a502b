"""What a run is, and which run a request belongs to.

A run is one experiment as the page ran it: the page adds ?run=<id> to every request it makes,
and the ledger records those requests under that id. Every other app asks this module, never the
middleware or the views, for "the run of this request".
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from lab.api import ApiError
from ledger.models import Run

RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")


def valid_run_id(value: str | None) -> bool:
    return bool(value) and RUN_ID.fullmatch(value) is not None


def run_id_of(request) -> str | None:
    """The request's run id, or None when it names no (valid) run."""
    run_id = request.GET.get("run")
    return run_id if valid_run_id(run_id) else None


def page_origin(request) -> str | None:
    """The origin of the page that sent the request, as the browser states it: its Origin header,
    or where it sends none or "null" (an <img>, a no-cors GET), the origin of its Referer, which
    the browser takes from the page's own URL (a page can only drop it; a sandboxed frame sends
    none)."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin
    try:
        referrer = urlsplit(request.headers.get("Referer", ""))
    except ValueError:
        return None
    return f"{referrer.scheme}://{referrer.netloc}" if referrer.scheme and referrer.netloc else None


def owner_of(request) -> str:
    """Who started a run, as far as the browser vouches for it: ledger.models.Run says why this
    decides which runs a new one may evict. Origin, Referer and Sec-Fetch-Site are set by the
    browser, never by the page (Fetch standard, forbidden request headers)."""
    origin = page_origin(request)
    if origin in settings.LAB_APP_ORIGINS:
        return Run.APP
    if origin in (settings.LAB_ATTACKER_ORIGIN, settings.LAB_SIBLING_ORIGIN, settings.LAB_CROSS_SITE_APP_ORIGIN):
        return origin
    if request.headers.get("Sec-Fetch-Site") in ("same-origin", "same-site"):
        return "same-site"
    return Run.ANYONE


def not_recorded(view):
    """Marks a view whose requests the ledger does not record: the views that READ a run."""
    view.ledger_not_recorded = True
    return view


def run_from(request) -> Run:
    """The run this request asks about. Only the app origin (or no browser at all) may read one."""
    return run_named(request, run_id_of(request))


def run_named(request, run_id: str | None) -> Run:
    """Like run_from, for a run id the request names in another way (several runs, say)."""
    origin = request.headers.get("Origin")
    # The app's origins: the cross-site app's too, when the cross-site deployment trusts it.
    if origin is not None and origin not in settings.LAB_APP_ORIGINS:
        raise ApiError(403, "ledger_is_private", _("Only the app origin may read the ledger."))
    if not valid_run_id(run_id):
        run_id = None
    if run_id is None:
        raise ApiError(400, "invalid_run_id",
                       _("Pass ?run=<8 to 64 letters, digits, - or _>, the id the page sent."))
    run = Run.objects.filter(run_id=run_id).first()
    if run is None:
        raise ApiError(404, "unknown_run",
                       _("No request of this run reached the API, or the run was dropped "
                         "(the ledger keeps the %(max)d most recently used runs).") % {"max": Run.MAX_RUNS})
    if origin is not None:
        run.adopt(Run.APP)
    run.touch()
    return run
