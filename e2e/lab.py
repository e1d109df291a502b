"""What the tests know about the lab: its origins, and ways to see what the browser hides.

Chromium runs with the lab CA trusted through its NSS store (docker-entrypoint.sh), never with
ignore_https_errors: a certificate problem fails the test as it would fail a person.
"""

import json
import os
import secrets
import ssl
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

# The lab's own models, for what a test expects where the names decide it: compose.yaml mounts the
# checkout's backend/ here, read-only.
sys.path.insert(0, "/backend")
from crossorigin.sites import suffix_section  # noqa: E402,F401  (lab.suffix_section)

# How long a test waits for something the browser or the lab is to do: a page's data-state, a
# navigation, a DevTools event, a console message, an answer from the API. Every wait of the suite
# ends as soon as its event comes, so only a failing test waits this long. Sized for a 2-core
# machine running all of `make test` at once: there, with `stress-ng --cpu 2` beside it, the
# slowest wait of the suite took 8.1 s (a JWT step, whose login hashes with PBKDF2; 4.9 s without
# the CPU hog), and Playwright's own 5 s for expect() once failed a CI run. 30 s is over 3 times that.
WAIT_SECONDS = 30
CA_FILE = "/certs/ca.pem"
# Chromium's headless shell (Debian's chromium-headless-shell): the same engine and network stack
# as the chromium package, without the desktop browser's UI layer, and what Playwright itself runs
# for headless tests. It costs the suite about a third less CPU than `chromium --headless`.
CHROMIUM = "/usr/bin/chromium-headless-shell"
# Every name the lab serves, as compose.yaml hands them to this container; docker-entrypoint.sh
# maps each to 127.0.0.1 in /etc/hosts.
HOST_VARIABLES = ("LAB_APP_HOST", "LAB_API_HOST", "LAB_ATTACKER_HOST", "LAB_SIBLING_HOST", "LAB_LOOKALIKE_DOT_HOST",
                  "LAB_LOOKALIKE_PREFIX_HOST", "LAB_LOOKALIKE_SUFFIX_HOST", "LAB_CROSS_SITE_APP_HOST", "LAB_DEV_HOST")
LAB_HOSTS = sorted({os.environ[name] for name in HOST_VARIABLES if os.environ.get(name)})
# The names the lab's certificate (and an exact run's CA) covers: all but the dev layout's host,
# which is plain http (make dev-layout).
TLS_HOSTS = [host for host in LAB_HOSTS if host != os.environ.get("LAB_DEV_HOST")]
# An exact-hostname run (scripts/exact-run.sh): the names are real or reserved ones (example.com,
# your own), under a CA made for that run (docs/exact-hostnames.md).
EXACT_RUN = os.environ.get("LAB_PER_RUN_CA") == "true"
# Which names the lab runs under: "localhost" (the lab's own) or the exact run's set.
NAME_SET = os.environ.get("LAB_E2E_NAME_SET", "localhost")
# In an exact run Chromium resolves the run's names, and nothing else, by itself: each to this
# container's loopback, every other name to "not found", so it never asks a DNS server about any
# name at all. (Firefox and WebKit read /etc/hosts, which names them first.)
HOST_RESOLVER_RULES = ", ".join([f"MAP {host} 127.0.0.1" for host in LAB_HOSTS] + ["MAP * ~NOTFOUND"])
# --no-sandbox: Chromium runs as root in the container. The others keep it off the network,
# which is closed here: without them it keeps trying to reach Google's services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-features=Translate,OptimizationHints"]
if EXACT_RUN:
    CHROMIUM_ARGS.append(f"--host-resolver-rules={HOST_RESOLVER_RULES}")
# Chromium's own switch for testing a site with third-party cookies blocked, as Chrome's "Block
# third-party cookies" setting (and Safari, and Firefox's strict mode) do. The headless shell
# allows them unless told: the tests' browser is told, and only the profile that allows them is
# launched without it (profiles.py).
BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout"
# How every Chromium of the suite is started. Playwright adds --disable-dev-shm-usage, meant for
# Docker's default 64 MB of /dev/shm: Chromium then shares memory through files in /tmp, on the
# container's overlay filesystem. compose.yaml gives the e2e container 1 GB of /dev/shm, so the
# suite keeps Chromium's own default: about a tenth less CPU for the default setting's tests.
CHROMIUM_LAUNCH = {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "ignore_default_args": ["--disable-dev-shm-usage"]}
HTTPS_PORT = int(os.environ["LAB_HTTPS_PORT"])
HTTP_PORT = int(os.environ["LAB_HTTP_PORT"])
APP_HOST = os.environ["LAB_APP_HOST"]
API_HOST = os.environ["LAB_API_HOST"]
ATTACKER_HOST = os.environ["LAB_ATTACKER_HOST"]
DEMO_PASSWORD = os.environ["LAB_DEMO_PASSWORD"]
TLS = ssl.create_default_context(cafile=CA_FILE)


def read_json(url: str) -> tuple[int, dict]:
    """GET from Python (no browser, no Origin), trusting only the lab CA."""
    try:
        with urllib.request.urlopen(url, context=TLS, timeout=WAIT_SECONDS) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


# The origins as the lab serialises them (nginx's /lab-config.json, made from .env): read, not
# rebuilt here. An explicit :port is always a valid way to reach a host, default port or not.
_status, ORIGINS = read_json(f"https://{APP_HOST}:{HTTPS_PORT}/lab-config.json")
APP, API, ATTACKER = ORIGINS["app"], ORIGINS["api"], ORIGINS["attacker"]
# The same-site sibling, and the look-alike attackers (other sites) of the leak catalogue.
SIBLING, LOOKALIKES = ORIGINS["sibling"], ORIGINS["lookalikes"]
# The app page on another site than the API: the cross-site deployment (LAB_DEPLOYMENT).
CROSS_SITE_APP = ORIGINS["cross_site_app"]
# The dev layout: the front and the API as two plain-http ports of one host (LAB_DEV_LAYOUT).
DEV_FRONT, DEV_API = ORIGINS["dev_front"], ORIGINS["dev_api"]


def new_run_id(prefix: str = "test") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def api_get(path: str) -> tuple[int, dict]:
    """GET on the API from Python (no browser, no Origin), trusting only the lab CA."""
    return read_json(API + path)


def wait_until_healthy(seconds: float = 60):
    """Waits out a backend restart (scripts/run-e2e.sh recreates it between settings)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if api_get("/api/hello/")[0] == 200:
                return
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the backend did not come back")
        time.sleep(0.5)


def ledger(run_id: str) -> list[dict]:
    """The API's own record of a run: every request it received, preflights included."""
    status, body = api_get(f"/api/ledger/?run={run_id}")
    if status == 404:
        return []
    assert status == 200, body
    return body["entries"]


def scenario_catalogue() -> list[dict]:
    """The scenario catalogue, as the API serves it (backend/scenarios/catalogue.py)."""
    status, body = api_get("/api/scenarios/")
    assert status == 200, body
    return body["scenarios"]


def scenario_verdict(scenario: dict, run_id: str) -> dict:
    """The playground's verdict on one run of a scenario's case (a scenario is a named case; the
    scenarios page runs one case a run, in slot 0)."""
    status, verdict = api_get(f"/api/playground/verdict/?run={run_id}&case={quote(json.dumps(scenario['case']))}")
    assert status == 200, verdict
    return verdict


def scenario_url_part(run_id: str) -> str:
    """What only the URLs of a run's case at the playground's endpoint hold: the ledger's and the
    verdict's URLs name the run too, but no case's server (s=) follows it there."""
    return f"run={run_id}&s="


def preflights(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry["kind"] == "preflight"]


def requests_(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry["kind"] == "request"]


# Runs fetch() in the page and reports what the page's script got: a response it can read, or
# the TypeError the browser throws when CORS (or the network) keeps the response from it.
FETCH_IN_PAGE = """async ([url, init]) => {
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    return {threw: false, status: response.status, body: text,
            headers: Object.fromEntries(response.headers.entries())};
  } catch (error) {
    return {threw: true, error: `${error.name}: ${error.message}`};
  }
}"""


def fetch_in_page(page, url: str, **init) -> dict:
    return page.evaluate(FETCH_IN_PAGE, [url, init])


def new_context(browser, **options):
    """A context of `browser` whose actions and navigations wait WAIT_SECONDS, as every context of
    the suite does (conftest.py gives pytest-playwright's own `context` the same)."""
    return with_lab_timeouts(browser.new_context(**options))


def with_lab_timeouts(context):
    context.set_default_timeout(WAIT_SECONDS * 1000)
    context.set_default_navigation_timeout(WAIT_SECONDS * 1000)
    return context


# A card's text with the demo password replaced: a login's call on the page shows it.
HIDE_PASSWORD = """(card, password) => {
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) walker.currentNode.data = walker.currentNode.data.replaceAll(password, "<LAB_DEMO_PASSWORD>");
}"""
# The part of the page from a card's top down to the bottom of an element in it.
DOWN_TO = """(card, last) => {
  const top = card.getBoundingClientRect(), bottom = last.getBoundingClientRect();
  return { x: top.left + scrollX, y: top.top + scrollY, width: top.width, height: bottom.bottom - top.top };
}"""


def screenshot_for_the_docs(card, path, down_to=None):
    """Photographs a card for the docs, or its upper part down to the bottom of `down_to` (an
    element in it) when the whole card would be too tall a picture.

    The viewport first grows to the page's height: a scrollbar that came and went while the picture
    is taken would reflow the page under it, and the picture would show another part of the page.
    A login's call shows the .env variable's name where the demo password was, as the README's
    transcript hides it: a generated secret stays in .env."""
    page = card.page
    card.evaluate(HIDE_PASSWORD, DEMO_PASSWORD)
    assert DEMO_PASSWORD not in card.inner_text()
    page.set_viewport_size({"width": page.viewport_size["width"],
                            "height": page.evaluate("document.documentElement.scrollHeight")})
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if down_to is None:
        card.screenshot(path=path)
    else:
        page.screenshot(path=path, clip=card.evaluate(DOWN_TO, down_to.element_handle()))


class NetworkLog:
    """Chromium's own account of a page's requests, through the DevTools protocol.

    Playwright's request events leave out CORS preflights and say nothing of why a request was
    blocked; Chromium's Network domain has both (requestWillBeSent for the OPTIONS preflight,
    loadingFailed.corsErrorStatus for the reason).

    DevTools' events come on a channel of their own, and may arrive a moment after the page's
    fetch() has settled. So what the log says of a URL is read only once DevTools has reported the
    end of the requests to it (loadingFinished or loadingFailed; a preflight, which ends before
    the request it clears is sent, has its own): see wait_for_devtools.
    """

    def __init__(self, context, page):
        self.page = page
        self.sent: list[dict] = []  # one per requestWillBeSent: a redirect hop is one more
        self.failed: list[dict] = []
        self._urls: dict[str, str] = {}
        self._open: dict[str, list[str]] = {}  # request id -> its URLs, until its end is reported
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._on_sent)
        session.on("Network.loadingFinished", self._on_finished)
        session.on("Network.loadingFailed", self._on_failed)
        session.send("Network.enable")

    def _on_sent(self, event):
        request = event["request"]
        self._urls[event["requestId"]] = request["url"]
        self._open.setdefault(event["requestId"], []).append(request["url"])
        self.sent.append({"method": request["method"], "url": request["url"], "type": event.get("type")})

    def _on_finished(self, event):
        self._open.pop(event["requestId"], None)

    def _on_failed(self, event):
        self._open.pop(event["requestId"], None)
        self.failed.append({
            "url": self._urls.get(event["requestId"], ""),
            "error": event.get("errorText"),
            "cors_error": (event.get("corsErrorStatus") or {}).get("corsError"),
        })

    def settled(self, matches) -> tuple[int, int]:
        """(requests sent whose URL matches, how many of them have not ended yet)."""
        sent = sum(1 for request in self.sent if matches(request["url"]))
        still_open = sum(1 for urls in self._open.values() if any(map(matches, urls)))
        return sent, still_open

    def wait_for_failures(self, url_part: str, count: int = 1, seconds: float = WAIT_SECONDS):
        """Waits until `count` requests whose URL holds url_part have failed (loadingFailed)."""
        deadline = time.monotonic() + seconds
        while sum(url_part in f["url"] for f in self.failed) < count and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)

    def wait_until_settled(self, url_part: str, requests: int = 1):
        assert wait_for_devtools([self], lambda url: url_part in url, requests), \
            f"DevTools did not report {requests} request(s) to {url_part} and the end of each within {WAIT_SECONDS} s"

    def preflights_to(self, url_part: str, requests: int = 1) -> list[dict]:
        """The preflights to URLs holding url_part, once `requests` requests to them have ended."""
        self.wait_until_settled(url_part, requests)
        return [r for r in self.sent if r["method"] == "OPTIONS" and url_part in r["url"]]

    def cors_errors_for(self, url_part: str, requests: int = 1) -> list[str]:
        """Chromium's reasons for blocking requests to URLs holding url_part, once `requests`
        requests to them have ended."""
        self.wait_until_settled(url_part, requests)
        return [f["cors_error"] for f in self.failed if url_part in f["url"] and f["cors_error"]]


def wait_for_devtools(logs: list[NetworkLog], matches, requests: int = 1, seconds: float = WAIT_SECONDS) -> bool:
    """Waits until the logs (a page's, and those of its out-of-process frames) hold at least
    `requests` requests whose URL matches, and the end of each of them; False if the time ran
    out. Playwright delivers DevTools' events while the page waits, hence the page's short waits."""
    deadline = time.monotonic() + seconds
    while True:
        counts = [log.settled(matches) for log in logs]
        if sum(sent for sent, _ in counts) >= requests and not any(still_open for _, still_open in counts):
            return True
        if time.monotonic() > deadline:
            return False
        logs[0].page.wait_for_timeout(50)
