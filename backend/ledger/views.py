from django.http import JsonResponse

from lab.api import api_view
from ledger.models import Run
from ledger.runs import not_recorded, run_from


@not_recorded
@api_view("GET")
def ledger(request):
    run = run_from(request)
    entries = [entry.as_json() for entry in run.entries.all()]
    return JsonResponse({"run": run.run_id, "entries": entries,
                         "truncated": len(entries) >= Run.MAX_ENTRIES_PER_RUN})
