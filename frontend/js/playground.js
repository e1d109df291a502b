// The playground: the learner composes a request and a server (backend/lab/case.py's format), runs
// it from the app, the attacker origin or an opaque origin, and sees the four views of a scenario
// card. The case lives in the URL fragment (#case=<JSON>), so a link reproduces it. runCase() is
// the one way a case runs: the scenarios page (a scenario is a named case) calls it too.
import {
  browserReadable, fetchCallText, h, ledgerTable, loadConfig, newRunId, outcomeBlock, playgroundUrl, readLedger,
  t, timeline, tryFetch, verdictBlock,
} from "./lab.js";

// Every sentence this script writes is a key "playground.*" of i18n/en.js and i18n/ja.js.

const PAGE_NOTES = { app: "playground.note.app", attacker: "playground.note.attacker", null: "playground.note.null" };

const DEFAULT_CASE = {
  page: "app", method: "PUT", headers: [["X-Lab-Trace", "42"]], body: '{"n": 1}', content_type: "application/json",
  credentials: "omit", mode: "cors", repeat: 1, trailing_slash: true,
  server: { cors: { CORS_ALLOWED_ORIGINS: ["{app}"], CORS_ALLOW_HEADERS: ["content-type", "x-lab-trace"] } },
};
const EMPTY_RAW = { preflight: { status: 200, headers: [] }, response: { status: 200, headers: [] }, redirect: null };

export function caseFromUrl(hash = location.hash) {
  const match = /^#case=(.*)$/.exec(hash);
  if (!match) return DEFAULT_CASE;
  try { return JSON.parse(decodeURIComponent(match[1])); } catch { return DEFAULT_CASE; }
}

// --- The request, as fetch() is given it ----------------------------------------------------

function requestHeaders(playgroundCase) {
  const headers = playgroundCase.headers ?? [];
  return playgroundCase.content_type ? [...headers, ["Content-Type", playgroundCase.content_type]] : headers;
}

export function requestInit(playgroundCase) {
  const init = { method: playgroundCase.method, credentials: playgroundCase.credentials, mode: playgroundCase.mode };
  const headers = requestHeaders(playgroundCase);
  if (headers.length) init.headers = headers;
  if (playgroundCase.body !== null && playgroundCase.body !== undefined) init.body = playgroundCase.body;
  return init;
}

export function endpointUrl(api, playgroundCase, runId, slot = 0) {
  // Written out rather than URLSearchParams: the server rebuilds this exact URL (playground/views.py
  // endpoint_url), because Chromium does not cache a preflight for a URL of 1024 characters or more.
  // Without its slash, the path meets Django's own APPEND_SLASH redirect.
  const slash = playgroundCase.trailing_slash === false ? "" : "/";
  return `${api}/playground/${slot}/0${slash}?run=${runId}&s=${encodeURIComponent(JSON.stringify(playgroundCase.server))}`;
}

// --- The frames that make the request from another origin --------------------------------------

const frames = {};
let nextMessage = 0;
const waiting = new Map();

window.addEventListener("message", (event) => {
  const frame = Object.values(frames).find((f) => f.element.contentWindow === event.source);
  if (!frame) return;
  if (event.data.ready) frame.ready();
  else waiting.get(event.data.id)?.(event.data.result);
});

// kind "attacker": a page of the attacker origin; "null": the same page, sandboxed, so its origin is opaque.
function frame(kind, config) {
  if (!frames[kind]) {
    const src = `${config.attacker}/playground-frame.html?${new URLSearchParams({ parent: config.app, api: config.api, kind })}`;
    const element = h("iframe", { src, title: kind, hidden: true, "data-frame": kind,
                                  sandbox: kind === "null" ? "allow-scripts" : undefined });
    let ready;
    // A frame that never says it is ready (blocked by a policy, say) must not hang the playground.
    const loaded = new Promise((resolve, reject) => {
      ready = resolve;
      setTimeout(() => reject(new Error(t("playground.frameTimeout"))), 30_000);
    });
    frames[kind] = { element, ready, loaded };
    document.body.append(element);
  }
  return frames[kind];
}

async function fetchFrom(kind, url, init, repeat, config) {
  const target = frame(kind, config);
  try { await target.loaded; } catch (error) { return { threw: true, error: error.message }; }
  const id = (nextMessage += 1);
  const result = new Promise((resolve) => {
    waiting.set(id, resolve);
    setTimeout(() => resolve({ threw: true, error: t("playground.frameTimeout") }), 30_000);
  });
  // An opaque origin cannot be named as a target: "*" (the message holds nothing secret).
  target.element.contentWindow.postMessage({ id, url, init, repeat }, kind === "null" ? "*" : config.attacker);
  const answer = await result;
  waiting.delete(id);
  return answer;
}

async function fetchAsThePage(playgroundCase, url, config) {
  const init = requestInit(playgroundCase);
  if (playgroundCase.page !== "app") return fetchFrom(playgroundCase.page, url, init, playgroundCase.repeat, config);
  let result;
  for (let i = 0; i < playgroundCase.repeat; i += 1) result = await tryFetch(url, init);
  return result;
}

// --- Running a case: the JS entry point (the e2e suite calls it too) ---------------------------

// Runs one case and returns {runId, url, result, entries, verdict}, or {invalid} for a refused case.
// Several cases may share a run (a test running many), each in a slot of its own (0 to 99).
export async function runCase(playgroundCase, { runId = newRunId("pg"), slot = 0 } = {}) {
  const config = await loadConfig();
  // tryFetch: the check's messages and the verdict come in the page's language.
  const query = new URLSearchParams({ case: JSON.stringify(playgroundCase) });
  const check = await tryFetch(`${config.api}/api/playground/check/?${query}`);
  if (!check.ok) return { invalid: check.body ?? { field: "case", message: check.error } };
  const checked = check.body.case;
  const url = endpointUrl(config.api, checked, runId, slot);
  const result = await fetchAsThePage(checked, url, config);
  const prefix = `/playground/${slot}/`;
  const entries = (await readLedger(runId)).filter((entry) => entry.request.path.startsWith(prefix));
  const verdict = await tryFetch(`${config.api}/api/playground/verdict/?${new URLSearchParams({ run: runId, slot, case: JSON.stringify(checked) })}`);
  return { runId, url, result, entries, verdict: verdict.body, verdictStatus: verdict.status };
}

// --- The form --------------------------------------------------------------------------------

const headerText = (pairs) => (pairs ?? []).map(([name, value]) => `${name}: ${value}`).join("\n");
const headerPairs = (text) => text.split("\n").filter((line) => line.trim()).map((line) => {
  const at = line.indexOf(":");
  return at < 0 ? [line.trim(), ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
});

function fillForm(form, playgroundCase) {
  const field = (name) => form.elements[name];
  for (const name of ["page", "method", "credentials", "mode", "content_type"]) field(name).value = playgroundCase[name] ?? "";
  field("repeat").value = playgroundCase.repeat ?? 1;
  field("trailing_slash").checked = playgroundCase.trailing_slash !== false;
  field("view").value = playgroundCase.server.view ?? "ok";
  field("headers").value = headerText(playgroundCase.headers);
  field("body").value = playgroundCase.body ?? "";
  const raw = playgroundCase.server.raw ?? EMPTY_RAW;
  form.querySelector(`[name=server_kind][value=${playgroundCase.server.raw ? "raw" : "cors"}]`).checked = true;
  field("cors").value = JSON.stringify(playgroundCase.server.cors ?? {}, null, 2);
  field("preflight_status").value = raw.preflight?.status ?? 200;
  field("response_status").value = raw.response?.status ?? 200;
  field("preflight_headers").value = headerText(raw.preflight?.headers);
  field("response_headers").value = headerText(raw.response?.headers);
  field("redirect_status").value = raw.redirect?.status ?? "";
  field("redirect_to").value = raw.redirect?.to ?? "api";
  field("redirect_headers").value = headerText(raw.redirect?.headers);
}

function readForm(form) {
  const value = (name) => form.elements[name].value;
  let server;
  if (form.querySelector("[name=server_kind]:checked").value === "cors") {
    let settings;
    try { settings = JSON.parse(value("cors") || "{}"); } catch { settings = value("cors"); }
    server = { cors: settings, view: value("view") };
  } else {
    server = { raw: {
      preflight: { status: Number(value("preflight_status")), headers: headerPairs(value("preflight_headers")) },
      response: { status: Number(value("response_status")), headers: headerPairs(value("response_headers")) },
      redirect: value("redirect_status") ? { status: Number(value("redirect_status")), to: value("redirect_to"),
                                             headers: headerPairs(value("redirect_headers")) } : null,
    } };
  }
  return { page: value("page"), method: value("method"), headers: headerPairs(value("headers")),
           body: value("body") === "" ? null : value("body"), content_type: value("content_type"),
           credentials: value("credentials"), mode: value("mode"), repeat: Number(value("repeat")),
           trailing_slash: form.elements.trailing_slash.checked, server };
}

function render(area, run) {
  const { result, entries, verdict } = run;
  const parts = [h("h4", {}, t("scenarios.timeline")), timeline(entries), h("h4", {}, t("scenarios.browser")), outcomeBlock(result)];
  if (browserReadable(result)) {
    parts.push(h("p", { "data-testid": "readable-headers" }, t("playground.readableHeaders", { names: Object.keys(result.headers).join(", ") || t("playground.none") })));
  }
  parts.push(h("h4", {}, t("scenarios.serverView")), ledgerTable(entries));
  if (verdict.chromium) parts.push(h("h4", {}, t("scenarios.verdict")), verdictBlock(verdict, result));
  else parts.push(h("p", { class: "warn" }, verdict.message));
  area.replaceChildren(...parts);
}

async function main() {
  const form = document.getElementById("case");
  const area = document.querySelector('[data-testid="result"]');
  const error = document.querySelector('[data-testid="case-error"]');
  const config = await loadConfig();
  const show = (playgroundCase) => {
    document.querySelector('[data-testid="call"]').textContent =
      `${PAGE_NOTES[playgroundCase.page] ? t(PAGE_NOTES[playgroundCase.page]) : ""}\n${fetchCallText(endpointUrl(config.api, playgroundCase, "…"), requestInit(playgroundCase))}`;
    document.querySelector('[data-testid="case-link"]').href = playgroundUrl(playgroundCase);
  };
  const initial = caseFromUrl();
  fillForm(form, initial);
  show(initial);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const playgroundCase = readForm(form);
    history.replaceState(null, "", playgroundUrl(playgroundCase));
    show(playgroundCase);
    area.dataset.state = "running";
    const run = await runCase(playgroundCase);
    error.hidden = !run.invalid;
    if (run.invalid) {
      error.textContent = t("playground.invalid", { field: run.invalid.field, message: run.invalid.message });
      area.replaceChildren();
    } else {
      render(area, run);
      area.dataset.runId = run.runId;
    }
    area.dataset.state = "done";
  });
  // The entry point for scripts and tests; frames() creates the iframes ahead of the first run.
  window.playground = { runCase, caseFromUrl, frames: (kinds) => Promise.all(kinds.map((kind) => frame(kind, config).loaded)) };
  document.body.dataset.ready = "true";
}

// Only on the playground page itself: the scenarios page imports runCase.
if (document.getElementById("case")) main();
