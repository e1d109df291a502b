from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from lab.api import ApiError, api_view
from ledger.middleware import valid_run_id
from ledger.models import MAX_ENTRIES_PER_RUN, MAX_RUNS, Run


def run_from(request) -> Run:
    origin = request.headers.get("Origin")
    if origin is not None and origin != settings.LAB_APP_ORIGIN:
        raise ApiError(403, "ledger_is_private", _("Only the app origin may read the ledger."))
    run_id = request.GET.get("run")
    if not valid_run_id(run_id):
        raise ApiError(400, "invalid_run_id",
                       _("Pass ?run=<8 to 64 letters, digits, - or _>, the id the page sent."))
    run = Run.objects.filter(run_id=run_id).first()
    if run is None:
        raise ApiError(404, "unknown_run",
                       _("No request of this run reached the API, or the run was dropped "
                         "(the ledger keeps the newest %(max)d runs).") % {"max": MAX_RUNS})
    return run


@api_view("GET")
def ledger(request):
    run = run_from(request)
    entries = [entry.as_json() for entry in run.entries.all()]
    return JsonResponse({"run": run.run_id, "entries": entries,
                         "truncated": len(entries) >= MAX_ENTRIES_PER_RUN})
