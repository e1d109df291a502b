// The leak attacks (backend/leaks/catalogue.py), run from whichever host serves this script: the
// cross-site attacker, a look-alike host, or the same-site sibling. Each reads the victim's data
// from /leaks/<entry>/mistake/me/ and /leaks/<entry>/fixed/me/ with the victim's cookies, and
// shows only what this page could read. Which defence held is on the app's leaks page (the ledger).

// Every sentence this script writes is a key "leaks.*" of the lab's i18n/en.js and i18n/ja.js
// (nginx serves them on every attacking host too).
import { t } from "./i18n.js";

const params = new URLSearchParams(location.search);
const runId = params.get("run") ?? `leak-${crypto.getRandomValues(new Uint32Array(2)).join("")}`;
const config = await (await fetch("/lab-config.json")).json();
// The catalogue is public (Access-Control-Allow-Origin: *, no credentials).
const { leaks } = await (await fetch(`${config.api}/leaks/`)).json();

// Who this host is in the catalogue's terms: the sibling, the attacker or one of the look-alikes.
const role = location.origin === config.sibling ? "sibling"
  : location.origin === config.attacker ? "attacker"
    : Object.keys(config.lookalikes).find((kind) => config.lookalikes[kind] === location.origin);
// The sibling tries every read with its own origin; a cross-site host runs the entries aimed from it.
const aimed = leaks.filter((leak) => leak.attack === "read"
  && (role === "sibling" || leak.cross_site_attacker === role));

async function readFromHere(url) {
  try {
    const response = await fetch(url, { credentials: "include" });
    return { readable: true, text: t("leaks.readable", { status: response.status, body: await response.text() }) };
  } catch (error) {
    return { readable: false, text: t("leaks.threw", { error: `${error.name}: ${error.message}` }) };
  }
}

// A sandboxed frame without allow-same-origin has an opaque origin: its fetch says Origin: null.
// The frame is a page of this host (leak-frame.html), not srcdoc: this host's CSP allows no inline
// script.
function readFromSandbox(url) {
  return new Promise((resolve) => {
    const key = crypto.getRandomValues(new Uint32Array(1))[0];
    const frame = document.createElement("iframe");
    const onMessage = (event) => {
      if (event.source !== frame.contentWindow) return;
      if (event.data?.ready) return frame.contentWindow.postMessage({ key, url }, "*");
      if (event.data?.key !== key) return;
      removeEventListener("message", onMessage);
      frame.remove();
      resolve(event.data.readable ? { readable: true, text: t("leaks.readable", { status: event.data.status, body: event.data.body }) }
        : { readable: false, text: t("leaks.threw", { error: event.data.error }) });
    };
    addEventListener("message", onMessage);
    frame.sandbox = "allow-scripts";
    frame.hidden = true;
    frame.src = `/leak-frame.html?${new URLSearchParams({ api: config.api })}`;
    document.body.append(frame);
  });
}

async function runAll() {
  const list = document.querySelector("[data-leak-results]");
  list.replaceChildren();
  if (!aimed.length) list.append(Object.assign(document.createElement("li"), { textContent: t("leaks.nothing") }));
  for (const leak of aimed) {
    for (const variant of ["mistake", "fixed"]) {
      const url = `${config.api}/leaks/${leak.slug}/${variant}/me/?run=${encodeURIComponent(runId)}`;
      const sandboxed = leak.null_origin && role !== "sibling";
      const result = await (sandboxed ? readFromSandbox(url) : readFromHere(url));
      const item = document.createElement("li");
      item.dataset.leakResult = `${leak.slug}/${variant}`;
      item.dataset.readable = String(result.readable);
      item.textContent = `${leak.slug} (${variant}) ${sandboxed ? t("leaks.sandboxed") : ""}: ${result.text}`;
      list.append(item);
    }
  }
  document.body.dataset.leaksDone = "true";
}

document.querySelector('[data-testid="leak-run-id"]').textContent = runId;
document.querySelector('[data-action="run-leaks"]').addEventListener("click", runAll);
document.body.dataset.leaksReady = "true";
