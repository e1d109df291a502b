"""One small interface over three real browser engines, each driven by its vendor's own client.

- Chromium: Debian's chromium through Playwright (as the rest of the suite), plus the DevTools
  protocol for Chromium's own reason when CORS blocks a request (lab.NetworkLog).
- Firefox: Debian's firefox-esr through Mozilla's Marionette client. Firefox tells the page
  nothing either; its reason is on its console, which a chrome-context script may read when
  Firefox runs with MOZ_REMOTE_ALLOW_SYSTEM_ACCESS=1. The console sentence is mapped back to
  the key it came from in Firefox's own string table (security.properties), which is the name
  MDN gives each error (CORSMissingAllowOrigin, ...).
- WebKit: Debian's WebKitGTK MiniBrowser through WebKitWebDriver and selenium, on an Xvfb
  display. WebKit gives no reason anywhere a script can read: the page sees "Load failed".

Each engine trusts the lab CA as a person would (Chromium and Firefox: their own NSS databases;
WebKitGTK: the system store, docker-entrypoint.sh), never through an ignore-certificate switch.
Every process an engine starts, it ends by its own PID in close().
"""

import json
import os
import re
import secrets
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import lab

FIREFOX = "/usr/bin/firefox-esr"
FIREFOX_STRINGS = "/usr/lib/firefox-esr/omni.ja"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
ENGINES = ("chromium", "firefox", "webkit")
# The query of the requests that Firefox's console is flushed with (Firefox._wait_for_the_console).
REPORTS_IN = "console-flushed="

# Firefox keeps quiet on the closed network; nothing here touches cookies or CORS, whose
# defaults are the lesson.
FIREFOX_PREFS = {
    "marionette.port": 0,  # any free port (two workers may run at once); Firefox writes it down
    "app.update.disabledForTesting": True,
    "browser.safebrowsing.update.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    # Names come from /etc/hosts and the system's resolver, never from DNS over HTTPS (5: off).
    "network.trr.mode": 5,
}

# Runs an async function (its source) with one argument in the page, for the clients that take a
# script body and a callback rather than a function.
ASYNC_CALL = """const done = arguments[arguments.length - 1];
const fn = (%s);
Promise.resolve().then(() => fn(arguments[0])).then(done, (error) => done({scriptError: String(error)}));"""


class Engine:
    """What a test may ask of any engine. Subclasses implement the first five."""

    name = ""
    version = ""

    def open(self, url: str):
        """Loads url in the engine's one tab and waits for the load event."""
        raise NotImplementedError

    def evaluate(self, function: str, argument=None):
        """Runs `async (argument) => ...` in the page; returns its JSON-able result."""
        raise NotImplementedError

    def click(self, css: str):
        raise NotImplementedError

    def fill(self, css: str, value: str):
        raise NotImplementedError

    def close(self):
        raise NotImplementedError

    def block_reasons(self, url_part: str, requests: int = 1) -> list[str]:
        """The engine's own names for why it blocked requests whose URL holds url_part, once it has
        told all it will of them (the server received `requests` of them)."""
        return []

    def warnings(self, url_part: str) -> list[str]:
        """The engine's own CORS warnings about requests it did not block (Firefox only)."""
        return []

    def facts(self) -> dict:
        """What the report says about this engine besides its version."""
        return {}

    # --- Built on the five above -----------------------------------------------------------

    def fetch(self, url: str, **init) -> dict:
        """What the page's script got from fetch(): {threw, status, body, headers} or {threw, error}."""
        return self.evaluate(lab.FETCH_IN_PAGE, [url, init])

    def attribute(self, css: str, name: str):
        return self.evaluate("async ([css, name]) => document.querySelector(css)?.getAttribute(name) ?? null", [css, name])

    def text(self, css: str) -> str:
        return self.evaluate("async (css) => document.querySelector(css)?.textContent ?? ''", css)

    def url(self) -> str:
        return self.evaluate("async () => location.href")

    def wait_until(self, check, what: str, timeout: float = lab.WAIT_SECONDS):
        """Polls check() (a navigation may be under way: errors count as 'not yet')."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = check()
                if value:
                    return value
            except Exception:  # the page is between two documents
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: waited {timeout} s for {what}")
            time.sleep(0.1)

    def wait_for_attribute(self, css: str, name: str, value: str, timeout: float = lab.WAIT_SECONDS):
        self.wait_until(lambda: self.attribute(css, name) == value, f"{css} [{name}={value!r}]", timeout)

    def wait_for_url(self, prefix: str, timeout: float = lab.WAIT_SECONDS):
        self.wait_until(lambda: self.url().startswith(prefix), f"a page at {prefix}", timeout)

    def open_ready(self, url: str):
        """Opens one of the lab's pages and waits until its script has set body[data-ready]."""
        self.open(url)
        self.wait_for_attribute("body", "data-ready", "true")


class Chromium(Engine):
    name = "chromium"

    def __init__(self, browser, **context_options):
        self.context = lab.new_context(browser, **context_options)
        self.page = self.context.new_page()
        self.network = lab.NetworkLog(self.context, self.page)
        self.version = browser.version

    def open(self, url):
        self.page.goto(url)

    def evaluate(self, function, argument=None):
        return self.page.evaluate(function, argument)

    def click(self, css):
        self.page.locator(css).click()

    def fill(self, css, value):
        self.page.locator(css).fill(value)

    def block_reasons(self, url_part, requests=1):
        """Once DevTools has reported the end of each request (lab.NetworkLog)."""
        return self.network.cors_errors_for(url_part, requests)

    def facts(self):
        return {"driven_by": "Playwright, Chromium's headless shell (a fresh context: third-party cookies blocked, "
                              "--test-third-party-cookie-phaseout)",
                "reasons_from": "DevTools protocol, Network.loadingFailed corsErrorStatus"}

    def close(self):
        self.context.close()


def _end(process: subprocess.Popen, seconds: float = 10):
    """Ends a process this module started (and its own process group), by its PID."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class _WebDriverEngine(Engine):
    """Marionette and WebDriver clients differ in spelling only: a script body with a callback,
    and elements found by CSS selector."""

    def _run_async(self, script: str, argument):
        raise NotImplementedError

    def _find(self, css: str):
        raise NotImplementedError

    def evaluate(self, function, argument=None):
        result = self._run_async(ASYNC_CALL % function, argument)
        if isinstance(result, dict) and "scriptError" in result:
            raise RuntimeError(result["scriptError"])
        return result

    def click(self, css):
        self._find(css).click()

    def fill(self, css, value):
        field = self._find(css)
        field.clear()
        field.send_keys(value)


def firefox_messages() -> list[tuple[str, re.Pattern]]:
    """(key, pattern) for every CORS sentence in Firefox's own string table. The keys are MDN's
    names for the errors, sometimes with a version digit (CORSMissingAllowOrigin2)."""
    with zipfile.ZipFile(FIREFOX_STRINGS) as omni:
        name = next(n for n in omni.namelist() if n.endswith("global/security/security.properties"))
        lines = omni.read(name).decode().splitlines()
    patterns = []
    for line in lines:
        key, _, text = line.partition("=")
        if key.startswith("CORS") and text:
            parts = re.split(r"%(?:\d+\$)?S", text.strip())
            patterns.append((re.sub(r"\d+$", "", key.strip()), re.compile(".*?".join(map(re.escape, parts)))))
    return patterns


class Firefox(_WebDriverEngine):
    name = "firefox"

    def __init__(self):
        from marionette_driver.marionette import Marionette

        self.profile = Path(tempfile.mkdtemp(prefix="lab-firefox-"))
        nssdb = f"sql:{self.profile}"
        subprocess.run(["certutil", "-N", "-d", nssdb, "--empty-password"], check=True)
        subprocess.run(["certutil", "-A", "-d", nssdb, "-t", "C,,", "-n", "cors-django-lab", "-i", lab.CA_FILE], check=True)
        (self.profile / "user.js").write_text("".join(
            f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in FIREFOX_PREFS.items()))
        env = {**os.environ, "MOZ_REMOTE_ALLOW_SYSTEM_ACCESS": "1"}
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--marionette", "--no-remote", "--profile", str(self.profile)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            port_file = self.profile / "MarionetteActivePort"
            # Twice the usual wait: a whole browser starts, on a machine busy with the other tests.
            self.wait_until(lambda: port_file.exists() and port_file.read_text().strip(), "Marionette's port",
                            2 * lab.WAIT_SECONDS)
            self.client = Marionette(host="127.0.0.1", port=int(port_file.read_text()))
            self.client.start_session()
        except BaseException:
            _end(self.process)
            raise
        self.version = self.client.session_capabilities["browserVersion"]
        self.client.timeout.script = lab.WAIT_SECONDS
        self._patterns = None

    def open(self, url):
        self.client.navigate(url)

    def _run_async(self, script, argument):
        return self.client.execute_async_script(script, script_args=[argument])

    def _find(self, css):
        from marionette_driver.by import By
        return self.client.find_element(By.CSS_SELECTOR, css)

    def chrome(self, script: str):
        with self.client.using_context("chrome"):
            return self.client.execute_script(script)

    def preference(self, name: str):
        return self.chrome(f"return Services.prefs.getIntPref({name!r}, -1)")

    def facts(self):
        return {"driven_by": "Marionette (marionette-driver), default profile preferences",
                "reasons_from": "the browser console, mapped to the keys of Firefox's security.properties (MDN's names)",
                "network.cookie.cookieBehavior": self.preference("network.cookie.cookieBehavior"),
                "network.cookie.sameSite.laxByDefault": self.chrome(
                    "return Services.prefs.getBoolPref('network.cookie.sameSite.laxByDefault', false)")}

    def console(self) -> list[str]:
        return self.chrome("return Services.console.getMessageArray().map((m) => m.message || m.errorMessage || String(m))")

    def _console_names(self, url_part: str, blocked: bool) -> list[str]:
        """MDN names of the CORS sentences Firefox logged for this URL: "Cross-Origin Request
        Blocked" ones, or the others (warnings)."""
        if self._patterns is None:
            self._patterns = firefox_messages()
        found = []
        for message in self.console():
            if REPORTS_IN in message:
                continue
            if url_part in message and "(Reason:" in message and ("Request Blocked" in message) is blocked:
                names = [key for key, pattern in self._patterns if pattern.search(message)]
                found.append(names[0] if names else message)
        return found

    def _wait_for_the_console(self):
        """Firefox logs its sentence a moment after fetch() rejects, and logs them in the order it
        blocks the requests: once a request blocked now has its sentence on the console, every
        request blocked before it has its own there too (or none at all)."""
        marker = f"{REPORTS_IN}{secrets.token_hex(6)}"
        self.fetch(f"{lab.API}/api/no-cors/hello/?{marker}")  # no CORS header: blocked from any page
        self.wait_until(lambda: any(marker in message for message in self.console()),
                        "Firefox's console sentence for a request blocked after the others")

    def block_reasons(self, url_part, requests=1):
        self._wait_for_the_console()
        return self._console_names(url_part, blocked=True)

    def warnings(self, url_part):
        self._wait_for_the_console()
        return self._console_names(url_part, blocked=False)

    def close(self):
        try:
            self.client.delete_session()
        finally:
            _end(self.process)
            subprocess.run(["rm", "-rf", str(self.profile)], check=False)


class WebKit(_WebDriverEngine):
    name = "webkit"

    def __init__(self):
        from selenium import webdriver

        # Xvfb picks a free display itself and writes its number to the pipe.
        read_end, write_end = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                     pass_fds=(write_end,), stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(write_end)
        try:
            with os.fdopen(read_end) as pipe:
                display = ":" + pipe.readline().strip()
            options = webdriver.WebKitGTKOptions()
            options.binary_location = MINIBROWSER
            options.add_argument("--automation")
            # IPv4 only: the container's loopback has no ::1, and "local" asks for both.
            service = webdriver.WebKitGTKService(executable_path=WEBKIT_DRIVER, service_args=["--host=127.0.0.1"],
                                                 env={**os.environ, "DISPLAY": display})
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        except BaseException:
            _end(self.xvfb)
            raise
        self.driver.set_script_timeout(lab.WAIT_SECONDS)
        self.version = self.driver.capabilities.get("browserVersion", "")

    def facts(self):
        return {"driven_by": "WebKitWebDriver (selenium), MiniBrowser --automation under Xvfb",
                "reasons_from": "none: WebKit gives a script no reason"}

    def open(self, url):
        self.driver.get(url)

    def _run_async(self, script, argument):
        return self.driver.execute_async_script(script, argument)

    def _find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def close(self):
        try:
            self.driver.quit()  # ends WebKitWebDriver, which ends the browser
        finally:
            _end(self.xvfb)


def start(name: str, browser=None) -> Engine:
    """A fresh engine: a new Chromium context of `browser`, or a new Firefox or WebKit process."""
    if name == "chromium":
        return Chromium(browser)
    return {"firefox": Firefox, "webkit": WebKit}[name]()
