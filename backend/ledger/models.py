from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone


class Run(models.Model):
    """One experiment as the page ran it; the page names it with ?run=<id> on every request.

    Who may fill the ledger, and whom a flood can push out. Any web page the learner has open can
    send the API requests with new run ids (an <img> loop does: Sec-Fetch-Site: cross-site, no
    Origin). Under one shared cap it could push out the learner's runs, or keep the ledger full of
    runs in use so that the learner's next run is refused. So each run belongs to the page that
    started it, as far as the browser vouches for it (ledger/runs.py owner_of): the app when the
    page's origin is the app's, another of the lab's pages by its origin (the Origin header, or
    the Referer's where the browser sends no Origin), "same-site" by Sec-Fetch-Site, or ANYONE.
    A page can set none of these headers: the browser does, from the page's own origin, URL and
    relation to the API. Each owner has a share of the runs; when it is full, a new run evicts
    that owner's least recently used run, or is refused while all of them are in use. So a page
    can push out only runs started by pages of its own owner: a flood from any web page, the
    lab's sibling or its attacker page fills and churns its own share, and the app's share moves
    only at the app's own pace. That is the fairness that matters here: nobody takes what another
    owner holds, and the app, where the learner and the test suite work, holds the largest share.

    ANYONE is every other page: those of other sites, and those the browser vouches nothing for.
    A sandboxed frame sends Origin "null" and no Referer, wherever it is, and so does the
    playground's own "null" page (the lab's attacker page, sandboxed). They cannot be told apart,
    so none is held: that share evicts its least recently used run even in use, a flood churns
    it, and it works again the moment the flood stops. A run there moves to the share of the
    first page the browser does vouch for that records into it or reads it (the app reads the
    "null" page's runs), where no flood reaches it.

    A client that is not a browser (curl, a script) can send any Origin, the app's too, and fill
    the app's share. Such a client runs on the learner's own machine (the lab listens on
    127.0.0.1 only), where it could as well stop the lab or delete its volume: the ledger keeps
    the learner's runs safe from web pages, not from the learner's own programs.
    """

    # Bounds, so that no page can grow the ledger without limit (see ledger/middleware.py for the
    # size of one entry): the app's MAX_RUNS plus MAX_RUNS_OF_OTHERS for each of the five other
    # owners (attacker, sibling, untrusted cross-site app, same-site, anyone), 750 runs of at most
    # MAX_ENTRIES_PER_RUN entries of MAX_ENTRY_BYTES: 75,000 rows, 150 MB.
    # make test's browser suite alone starts about 170 app runs, at most 80 in 2 minutes, on your
    # lab: 500 leaves room for a second browser run started right after the first, whose runs are
    # still protected. It starts at most 10 of any other owner in 2 minutes.
    MAX_RUNS = 500
    MAX_RUNS_OF_OTHERS = 50
    MAX_ENTRIES_PER_RUN = 100
    # A run used (written or read) this recently is never evicted, but in ANYONE's share: a page
    # flooding new run ids gets its new runs refused instead of pushing out a run in use.
    PROTECTED_FOR = timedelta(seconds=120)
    # Recording does not need the exact time of use, only a recent one: one write saved per request.
    TOUCH_AT_MOST_EVERY = timedelta(seconds=10)
    APP = "app"
    ANYONE = ""

    run_id = models.CharField(max_length=64, unique=True)
    # Who started the run (ledger/runs.py owner_of): APP, another lab page's origin, "same-site",
    # or ANYONE.
    owner = models.CharField(max_length=200, default=ANYONE)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "last_used"], name="ledger_run_owner_last_used")]

    def touch(self):
        Run.objects.filter(pk=self.pk).update(last_used=timezone.now())

    def adopt(self, owner: str):
        """A run of ANYONE's moves to the first owner the browser vouches for that uses it."""
        if self.owner == Run.ANYONE and owner != Run.ANYONE:
            Run.objects.filter(pk=self.pk, owner=Run.ANYONE).update(owner=owner)

    @classmethod
    def share_of(cls, owner: str) -> int:
        return cls.MAX_RUNS if owner == cls.APP else cls.MAX_RUNS_OF_OTHERS

    @classmethod
    def for_recording(cls, run_id: str, owner: str):
        """The run to record into, created in its owner's share if there is room; None when that
        share is full of runs in use."""
        run = cls.objects.filter(run_id=run_id).first()
        if run is not None:
            run.adopt(owner)
            if run.last_used < timezone.now() - cls.TOUCH_AT_MOST_EVERY:
                run.touch()
            return run
        try:
            # One transaction (IMMEDIATE: it holds the write lock from its start), so that runs
            # created at the same time cannot all take the last free place.
            with transaction.atomic():
                # Over the share by more than one only where the share was made smaller (or the
                # runs came from before shares): then it shrinks back as new runs arrive.
                excess = cls.objects.filter(owner=owner).count() + 1 - cls.share_of(owner)
                if excess > 0 and cls.evict_least_recently_used(owner, excess) < excess:
                    return None
                return cls.objects.create(run_id=run_id, owner=owner)
        except IntegrityError:
            # A request of the same run, served at the same time, created it first.
            return cls.objects.filter(run_id=run_id).first()

    @classmethod
    def evict_least_recently_used(cls, owner: str, count: int) -> int:
        """Deletes up to `count` of the owner's least recently used runs, none in use but in
        ANYONE's share; how many."""
        runs = cls.objects.filter(owner=owner)
        if owner != cls.ANYONE:
            runs = runs.filter(last_used__lt=timezone.now() - cls.PROTECTED_FOR)
        oldest = list(runs.order_by("last_used").values_list("pk", flat=True)[:count])
        cls.objects.filter(pk__in=oldest).delete()
        return len(oldest)


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
