from datetime import timedelta

from django.db import IntegrityError, models
from django.utils import timezone


class Run(models.Model):
    """One experiment as the page ran it; the page names it with ?run=<id> on every request."""

    # Bounds, so that no page can grow the ledger without limit (see ledger/middleware.py for the
    # size of one entry): at most MAX_RUNS * MAX_ENTRIES_PER_RUN * MAX_ENTRY_BYTES, 100 MiB.
    # make test's browser suite alone starts about 150 runs in 2 minutes on your lab: 500 leaves
    # room for a second browser run started right after the first, whose runs are still protected.
    MAX_RUNS = 500
    MAX_ENTRIES_PER_RUN = 100
    # A run used (written or read) this recently is never evicted: a page flooding new run ids
    # gets its new runs refused instead of pushing out the run a learner is looking at.
    PROTECTED_FOR = timedelta(seconds=120)
    # Recording does not need the exact time of use, only a recent one: one write saved per request.
    TOUCH_AT_MOST_EVERY = timedelta(seconds=10)

    run_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(default=timezone.now, db_index=True)

    def touch(self):
        Run.objects.filter(pk=self.pk).update(last_used=timezone.now())

    @classmethod
    def for_recording(cls, run_id: str):
        """The run to record into, created if there is room; None when the ledger is full of
        runs in use."""
        run = cls.objects.filter(run_id=run_id).first()
        if run is not None:
            if run.last_used < timezone.now() - cls.TOUCH_AT_MOST_EVERY:
                run.touch()
            return run
        if cls.objects.count() >= cls.MAX_RUNS and not cls.evict_least_recently_used():
            return None
        try:
            return cls.objects.create(run_id=run_id)
        except IntegrityError:
            # A request of the same run, served at the same time, created it first.
            return cls.objects.filter(run_id=run_id).first()

    @classmethod
    def evict_least_recently_used(cls) -> bool:
        oldest = cls.objects.filter(last_used__lt=timezone.now() - cls.PROTECTED_FOR).order_by("last_used").first()
        if oldest is None:
            return False
        oldest.delete()
        return True


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
