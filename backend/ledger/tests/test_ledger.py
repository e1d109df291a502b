import json
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.db.models import Count
from django.test import RequestFactory, TestCase

from testing import ApiClient
from ledger.middleware import MAX_ENTRY_BYTES
from ledger.models import Entry, Run
from ledger.runs import owner_of


class LedgerTests(TestCase):
    def setUp(self):
        self.app = ApiClient(origin=settings.LAB_APP_ORIGIN)

    def read(self, run_id: str, client=None):
        return (client or self.app).get(f"/api/ledger/?run={run_id}")

    def test_request_with_run_id_is_recorded_with_cookie_names_not_values(self):
        self.app.cookies["sessionid"] = "secret-value"
        self.app.get("/api/hello/?run=unit-0001", headers={"Authorization": "Bearer abc.def.ghi"})
        [entry] = self.read("unit-0001").json()["entries"]
        self.assertEqual(entry["request"]["cookies"], ["sessionid"])
        self.assertEqual(entry["request"]["authorization"], "Bearer")
        self.assertNotIn("secret-value", str(entry))
        self.assertNotIn("abc.def.ghi", str(entry))

    def test_preflight_answered_by_cors_middleware_is_recorded(self):
        self.app.preflight("/api/users/?run=unit-0002")
        [entry] = self.read("unit-0002").json()["entries"]
        self.assertEqual(entry["kind"], "preflight")
        self.assertEqual(entry["request"]["access_control_request_method"], "POST")
        self.assertEqual(entry["response"]["headers"]["access-control-allow-origin"], settings.LAB_APP_ORIGIN)

    def test_request_refused_by_csrf_is_recorded(self):
        self.app.post_json("/api/login/?run=unit-0003", {"username": "a", "password": "b"})
        [entry] = self.read("unit-0003").json()["entries"]
        self.assertEqual(entry["response"]["status"], 403)

    def test_set_cookie_attributes_are_recorded_without_the_value(self):
        self.app.get("/api/csrf/?run=unit-0004")
        [entry] = self.read("unit-0004").json()["entries"]
        [cookie] = entry["response"]["set_cookies"]
        self.assertEqual(cookie["name"], "csrftoken")
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertTrue(cookie["secure"])
        self.assertNotIn("value", cookie)

    def test_reading_the_ledger_is_not_recorded(self):
        self.app.get("/api/hello/?run=unit-0005")
        self.read("unit-0005")
        self.assertEqual(len(self.read("unit-0005").json()["entries"]), 1)

    def test_garbage_run_id_is_400(self):
        response = self.read("<script>")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "invalid_run_id")

    def test_missing_run_id_is_400(self):
        self.assertEqual(self.app.get("/api/ledger/").status_code, 400)

    def test_unknown_run_is_404(self):
        response = self.read("never-used-0000")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"], "unknown_run")

    def test_other_origins_may_not_read_it(self):
        self.app.get("/api/hello/?run=unit-0006")
        response = self.read("unit-0006", ApiClient(origin=settings.LAB_ATTACKER_ORIGIN))
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_the_cross_site_app_reads_it_only_in_the_cross_site_deployment(self):
        self.app.get("/api/hello/?run=unit-0007")
        front = ApiClient(origin=settings.LAB_CROSS_SITE_APP_ORIGIN)
        self.assertEqual(self.read("unit-0007", front).status_code, 403)
        with self.settings(LAB_APP_ORIGINS=[settings.LAB_APP_ORIGIN, settings.LAB_CROSS_SITE_APP_ORIGIN]):
            self.assertEqual(self.read("unit-0007", front).status_code, 200)

    @mock.patch.object(Run, "MAX_RUNS", 3)
    @mock.patch.object(Run, "PROTECTED_FOR", timedelta(0))
    def test_least_recently_used_runs_are_dropped(self):
        for number in range(4):
            self.app.get(f"/api/hello/?run=unit-old-{number:04d}")
        self.read("unit-old-0001")  # reading a run uses it
        self.app.get("/api/hello/?run=unit-old-0004")
        self.assertEqual(sorted(Run.objects.values_list("run_id", flat=True)),
                         ["unit-old-0001", "unit-old-0003", "unit-old-0004"])

    @mock.patch.object(Run, "MAX_RUNS", 5)
    def test_a_flood_of_new_run_ids_cannot_push_out_a_run_in_use(self):
        self.app.get("/api/hello/?run=learner-0001")
        for number in range(50):
            self.app.get(f"/api/hello/?run=learner-flood-{number:04d}")
        self.assertEqual(Run.objects.count(), 5)
        self.assertEqual(len(self.read("learner-0001").json()["entries"]), 1)

    @mock.patch.object(Run, "MAX_ENTRIES_PER_RUN", 2)
    def test_a_full_run_stops_recording_and_says_so(self):
        for _ in range(4):
            self.app.get("/api/hello/?run=unit-full-01")
        body = self.read("unit-full-01").json()
        self.assertEqual(len(body["entries"]), 2)
        self.assertTrue(body["truncated"])

    def test_authorization_without_a_space_is_never_stored(self):
        for value in ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "abc123", "Bearer\teyJ.payload.sig",
                      "sk_live_0123456789", "Basic dXNlcjpwYXNz"):
            with self.subTest(value):
                run = f"unit-auth-{abs(hash(value)) % 10**8:08d}"
                self.app.get(f"/api/hello/?run={run}", headers={"Authorization": value})
                [entry] = self.read(run).json()["entries"]
                stored = entry["request"]["authorization"]
                self.assertIn(stored, ("Bearer", "Basic", "(not a known scheme: not recorded)"))
                for secret in value.split():
                    if secret not in ("Bearer", "Basic"):
                        self.assertNotIn(secret, str(entry))

    def test_an_entry_stays_small_whatever_the_request_carried(self):
        huge = {f"X-Big-{n}": "v" * 6000 for n in range(10)}
        for n in range(30):
            self.app.cookies[f"cookie-{n}-" + "c" * 100] = "x"
        self.app.get("/api/hello/?run=unit-huge-01", headers={"Origin": "https://" + "o" * 5000, **huge})
        [entry] = Entry.objects.filter(run__run_id="unit-huge-01")
        self.assertLessEqual(len(json.dumps([entry.request, entry.response])), MAX_ENTRY_BYTES)


# What each kind of page sends, as Chromium sets it (Origin and Sec-Fetch-* are the browser's,
# never the page's): an <img> loop on any site, the lab's attacker page, its sibling, and a
# no-cors request of a page of the lab's site.
IMG_ON_ANY_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}
FROM_ATTACKER = {"Origin": settings.LAB_ATTACKER_ORIGIN, "Sec-Fetch-Site": "cross-site"}
FROM_SIBLING = {"Origin": settings.LAB_SIBLING_ORIGIN, "Sec-Fetch-Site": "same-site"}
SAME_SITE_IMG = {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"}
FROM_APP = {"Origin": settings.LAB_APP_ORIGIN, "Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}
# The playground's "null" page, the attacker host's frame sandboxed, as Chromium sends it: an opaque
# origin and no Referer, like a sandboxed frame on any site. An <img> of the app page: the origin
# of its URL as Referer (the lab's Referrer-Policy, strict-origin-when-cross-origin, trims it).
FROM_NULL_PAGE = SANDBOXED_ELSEWHERE = {"Origin": "null", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}
APP_IMG = {"Referer": settings.LAB_APP_ORIGIN + "/", "Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"}


@mock.patch.object(Run, "MAX_RUNS", 10)
@mock.patch.object(Run, "MAX_RUNS_OF_OTHERS", 4)
class FloodTests(TestCase):
    """The eviction of ledger.models.Run: each owner fills and evicts only its own share."""

    def setUp(self):
        self.client = ApiClient()

    def send(self, run_id: str, headers: dict):
        return self.client.get(f"/api/hello/?run={run_id}", headers=headers)

    def flood(self, prefix: str, headers: dict, runs: int):
        for number in range(runs):
            self.send(f"{prefix}-{number:05d}", headers)

    def assert_recorded(self, run_id: str, entries: int = 1):
        response = ApiClient(origin=settings.LAB_APP_ORIGIN).get(f"/api/ledger/?run={run_id}")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(len(response.json()["entries"]), entries)

    def test_after_a_flood_of_new_run_ids_from_any_page_the_apps_new_run_is_recorded(self):
        # The 1,100 runs, at the scale of these shares: eleven times the largest.
        self.flood("img-flood", IMG_ON_ANY_SITE, 11 * Run.MAX_RUNS)
        self.send("app-run-after-flood", FROM_APP)
        self.assert_recorded("app-run-after-flood")

    def test_after_a_flood_the_null_pages_run_is_recorded_and_once_the_app_reads_it_no_flood_evicts_it(self):
        self.flood("sandboxed", SANDBOXED_ELSEWHERE, 3 * Run.MAX_RUNS_OF_OTHERS)
        self.send("null-page-run", FROM_NULL_PAGE)
        self.assert_recorded("null-page-run")  # the app reads it: now the app's
        self.flood("sandboxed-again", SANDBOXED_ELSEWHERE, 3 * Run.MAX_RUNS_OF_OTHERS)
        self.assert_recorded("null-page-run")
        self.assertEqual(Run.objects.get(run_id="null-page-run").owner, Run.APP)

    def test_a_run_anyone_started_moves_to_the_first_vouched_page_that_records_into_it(self):
        self.send("shared-run-1", IMG_ON_ANY_SITE)
        self.send("shared-run-1", FROM_ATTACKER)
        self.send("shared-run-1", FROM_APP)
        self.assertEqual(Run.objects.get(run_id="shared-run-1").owner, settings.LAB_ATTACKER_ORIGIN)

    @mock.patch.object(Run, "PROTECTED_FOR", timedelta(0))
    def test_a_flooding_sibling_attacker_or_other_site_cannot_evict_the_apps_runs(self):
        # Nothing is protected by recent use here: only the owner's share keeps the app's runs.
        for number in range(Run.MAX_RUNS):
            self.send(f"app-run-{number:04d}", FROM_APP)
        for prefix, headers in (("sibling", FROM_SIBLING), ("attacker", FROM_ATTACKER), ("img", IMG_ON_ANY_SITE),
                                ("same-site-img", SAME_SITE_IMG),
                                ("forged", {"Origin": "https://app.lab.localhost.attacker.localhost"})):
            self.flood(prefix, headers, 3 * Run.MAX_RUNS)
        for number in range(Run.MAX_RUNS):
            self.assert_recorded(f"app-run-{number:04d}")

    @mock.patch.object(Run, "PROTECTED_FOR", timedelta(0))
    def test_the_total_stays_bounded_in_rows_and_bytes(self):
        floods = (("app", FROM_APP), ("sibling", FROM_SIBLING), ("attacker", FROM_ATTACKER),
                  ("front", {"Origin": settings.LAB_CROSS_SITE_APP_ORIGIN}), ("same-site", SAME_SITE_IMG),
                  ("img", IMG_ON_ANY_SITE), ("elsewhere", {"Origin": "https://elsewhere.example"}))
        for prefix, headers in floods:
            self.flood(prefix, headers, 2 * Run.MAX_RUNS)
        shares = dict(Run.objects.values("owner").annotate(runs=Count("id")).values_list("owner", "runs"))
        self.assertEqual(shares, {Run.APP: Run.MAX_RUNS, settings.LAB_SIBLING_ORIGIN: Run.MAX_RUNS_OF_OTHERS,
                                  settings.LAB_ATTACKER_ORIGIN: Run.MAX_RUNS_OF_OTHERS,
                                  settings.LAB_CROSS_SITE_APP_ORIGIN: Run.MAX_RUNS_OF_OTHERS,
                                  "same-site": Run.MAX_RUNS_OF_OTHERS, Run.ANYONE: Run.MAX_RUNS_OF_OTHERS})
        # Every entry of every run is bounded too: the whole ledger is at most this many bytes.
        self.assertEqual(Entry.objects.count(), Run.objects.count())
        most_bytes = Run.objects.count() * Run.MAX_ENTRIES_PER_RUN * MAX_ENTRY_BYTES
        self.assertLessEqual(sum(len(json.dumps([e.request, e.response])) for e in Entry.objects.all()), most_bytes)

    def test_a_flood_fills_only_its_own_share_and_then_is_refused_while_its_runs_are_in_use(self):
        self.send("same-site-run", SAME_SITE_IMG)
        self.flood("sibling", FROM_SIBLING, 3 * Run.MAX_RUNS_OF_OTHERS)
        self.assertEqual(Run.objects.filter(owner=settings.LAB_SIBLING_ORIGIN).count(), Run.MAX_RUNS_OF_OTHERS)
        self.assertTrue(Run.objects.filter(run_id="same-site-run").exists())
        self.assertFalse(Run.objects.filter(run_id=f"sibling-{Run.MAX_RUNS_OF_OTHERS:05d}").exists())

    @mock.patch.object(Run, "PROTECTED_FOR", timedelta(0))
    def test_a_share_over_its_size_shrinks_back_as_new_runs_arrive(self):
        # Runs recorded before shares existed are all ANYONE's (the migration's default).
        Run.objects.bulk_create(Run(run_id=f"old-run-{number:04d}") for number in range(3 * Run.MAX_RUNS_OF_OTHERS))
        self.send("img-after-upgrade", IMG_ON_ANY_SITE)
        self.assertEqual(Run.objects.filter(owner=Run.ANYONE).count(), Run.MAX_RUNS_OF_OTHERS)
        self.assertTrue(Run.objects.filter(run_id="img-after-upgrade").exists())

    def test_the_owner_is_what_the_browser_vouches_for(self):
        cases = [(FROM_APP, Run.APP), (FROM_ATTACKER, settings.LAB_ATTACKER_ORIGIN),
                 (FROM_SIBLING, settings.LAB_SIBLING_ORIGIN), (SAME_SITE_IMG, "same-site"),
                 ({"Sec-Fetch-Site": "same-origin"}, "same-site"), (IMG_ON_ANY_SITE, Run.ANYONE), ({}, Run.ANYONE),
                 ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, Run.ANYONE),
                 ({"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"}, Run.ANYONE),
                 ({"Origin": settings.LAB_CROSS_SITE_APP_ORIGIN}, settings.LAB_CROSS_SITE_APP_ORIGIN),
                 (FROM_NULL_PAGE, Run.ANYONE), (APP_IMG, Run.APP),
                 ({"Referer": settings.LAB_ATTACKER_ORIGIN + "/form.html", "Sec-Fetch-Site": "cross-site"},
                  settings.LAB_ATTACKER_ORIGIN),
                 ({"Referer": "https://elsewhere.example/", "Sec-Fetch-Site": "cross-site"}, Run.ANYONE),
                 # An Origin the browser did send wins over the Referer.
                 ({"Origin": "https://elsewhere.example", "Referer": settings.LAB_APP_ORIGIN + "/"}, Run.ANYONE),
                 ({"Origin": "null", "Referer": "http://[::1"}, Run.ANYONE)]
        for headers, owner in cases:
            with self.subTest(headers=headers):
                self.assertEqual(owner_of(RequestFactory().get("/api/hello/", headers=headers)), owner)
        # The cross-site deployment trusts the cross-site app: its runs are the app's.
        with self.settings(LAB_APP_ORIGINS=[settings.LAB_APP_ORIGIN, settings.LAB_CROSS_SITE_APP_ORIGIN]):
            front = RequestFactory().get("/api/hello/", headers={"Origin": settings.LAB_CROSS_SITE_APP_ORIGIN})
            self.assertEqual(owner_of(front), Run.APP)
