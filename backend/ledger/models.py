from django.db import models

MAX_RUNS = 200
MAX_ENTRIES_PER_RUN = 200


class Run(models.Model):
    """One experiment as the page ran it; the page names it with ?run=<id> on every request."""

    run_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @classmethod
    def drop_old_runs(cls):
        newest_first = cls.objects.order_by("-id").values_list("id", flat=True)
        too_old = list(newest_first[MAX_RUNS:MAX_RUNS + 1])
        if too_old:
            cls.objects.filter(id__lte=too_old[0]).delete()


class Entry(models.Model):
    """One request as the API received it, and what the API answered. Names, never secrets."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(auto_now_add=True)
    request = models.JSONField()
    response = models.JSONField()

    class Meta:
        ordering = ["id"]

    @property
    def is_preflight(self) -> bool:
        return self.request["method"] == "OPTIONS" and bool(self.request["access_control_request_method"])

    def as_json(self) -> dict:
        return {"at": self.at.isoformat(), "kind": "preflight" if self.is_preflight else "request",
                "request": self.request, "response": self.response}
