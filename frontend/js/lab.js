// Shared by every page of the lab: the origins, run ids, a fetch() that reports what the page's
// script could and could not see, the server's own record (the ledger), and small DOM helpers.
// Plain ES module, no build step. User-facing words live in the pages' HTML and in i18n/en.js and
// i18n/ja.js (keys "lab.*" for this module), so that they are translated in one place.
import { t, withLanguage } from "./i18n.js";

export { t } from "./i18n.js";

let configPromise;
// The origins come from nginx (/lab-config.json), which fills them in from .env.
export function loadConfig() {
  configPromise ??= fetch("/lab-config.json").then((response) => response.json());
  return configPromise;
}

export function newRunId(prefix = "run") {
  const random = crypto.getRandomValues(new Uint8Array(6));
  return `${prefix}-${Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function withRun(url, runId) {
  const u = new URL(url);
  u.searchParams.set("run", runId);
  return u.toString();
}

// What fetch() gave the page's script: a response it may read, or the TypeError the browser
// throws when it keeps the response from the page (CORS) or the request failed.
// The page's chosen language rides along (i18n.js withLanguage), as in fetchCallText().
export async function tryFetch(url, init = {}) {
  try {
    const response = await fetch(url, withLanguage(init));
    const text = await response.text();
    let body = text;
    try { body = JSON.parse(text); } catch { /* not JSON: keep the text */ }
    return { threw: false, status: response.status, ok: response.ok, body, type: response.type,
             headers: Object.fromEntries(response.headers.entries()) };
  } catch (error) {
    return { threw: true, error: `${error.name}: ${error.message}` };
  }
}

// The exact fetch() call, as source text, for the page to show beside its outcome.
export function fetchCallText(url, init = {}) {
  const lines = Object.entries(withLanguage(init)).map(([key, value]) =>
    `  ${key}: ${key === "body" ? bodySource(value) : JSON.stringify(value)},`);
  return lines.length ? `fetch("${url}", {\n${lines.join("\n")}\n})` : `fetch("${url}")`;
}

// A JSON body is shown as the JSON.stringify() call that made it.
function bodySource(body) {
  try {
    return `JSON.stringify(${JSON.stringify(JSON.parse(body))})`;
  } catch {
    return JSON.stringify(body);
  }
}

// The server's own record of a run (every request Django received, preflights included).
export async function readLedger(runId) {
  const { api } = await loadConfig();
  const response = await fetch(`${api}/api/ledger/?run=${encodeURIComponent(runId)}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`ledger: HTTP ${response.status}`);
  return (await response.json()).entries;
}

// h("p", {class: "x"}, "text", child) -> element. Strings become text nodes (never HTML).
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

export function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

// A table of what the server received and answered, one row per request of the run.
export function ledgerTable(entries) {
  if (!entries.length) return h("p", { class: "muted", "data-testid": "ledger-empty" }, t("lab.noServerRecord"));
  const rows = entries.map((entry) => {
    const { request, response } = entry;
    const cors = Object.entries(response.headers)
      .filter(([name]) => name.startsWith("access-control-"))
      .map(([name, value]) => `${name}: ${value}`);
    const setCookies = response.set_cookies.map((cookie) =>
      `${cookie.name}${cookie.cleared ? t("lab.cleared") : ""}; ${Object.entries(cookie)
        .filter(([key]) => !["name", "cleared"].includes(key))
        .map(([key, value]) => (value === true ? key : `${key}=${value}`)).join("; ")}`);
    return h("tr", { "data-kind": entry.kind },
      h("td", {}, h("span", { class: `tag ${entry.kind}` }, t(`lab.kind.${entry.kind}`))),
      h("td", {}, h("code", {}, `${request.method} ${request.path}`),
        request.access_control_request_method &&
          h("div", { class: "muted" }, t("lab.asks", { method: request.access_control_request_method }) +
            (request.access_control_request_headers ? ` + ${request.access_control_request_headers}` : ""))),
      h("td", {}, request.origin ?? "—", h("div", { class: "muted" }, request.sec_fetch_site ?? "")),
      h("td", {}, request.cookies.length ? request.cookies.join(", ") : "—"),
      h("td", {}, h("strong", {}, response.status)),
      h("td", {}, cors.length ? h("pre", {}, cors.join("\n")) : h("span", { class: "warn" }, t("lab.noCorsHeaders"))),
      h("td", {}, setCookies.length ? h("pre", {}, setCookies.join("\n")) : "—"));
  });
  return h("table", { class: "ledger", "data-testid": "ledger" },
    h("thead", {}, h("tr", {}, ["", t("lab.column.request"), "Origin / Sec-Fetch-Site",
      t("lab.column.cookies"), t("lab.column.status"), t("lab.column.cors"), "Set-Cookie"].map((title) => h("th", {}, title)))),
    h("tbody", {}, rows));
}

// Did the page's script get the answer? An opaque (no-cors) answer resolves but shows nothing.
export function browserReadable(result) {
  return !result.threw && result.type !== "opaque";
}

// The server's record as a list, in order: was there a preflight, where did each request go?
export function timeline(entries) {
  if (!entries.length) return h("p", { class: "muted" }, t("lab.noRecord"));
  return h("ol", { "data-testid": "timeline" }, entries.map((entry) =>
    h("li", { "data-kind": entry.kind }, h("span", { class: `tag ${entry.kind}` }, entry.kind), " ",
      h("code", {}, `${entry.request.method} ${entry.request.path}`), ` → ${entry.response.status}`)));
}

// The Fetch model's verdict (GET .../verdict/), beside what the browser did.
export function verdictBlock(verdict, result) {
  const { chromium } = verdict;
  const agrees = chromium.readable === browserReadable(result);
  return h("div", { class: `outcome ${chromium.readable ? "readable" : "blocked"}`, "data-testid": "verdict",
                    "data-readable": String(chromium.readable), "data-reason": chromium.reason ?? "",
                    "data-agrees": String(agrees) },
    h("p", {}, h("strong", {}, chromium.readable ? t("lab.verdictReadable") : t("lab.verdictBlocked")),
      chromium.reason ? [" — ", t("lab.reason"), ": ", h("code", {}, chromium.reason)] : ""),
    h("p", {}, chromium.why),
    chromium.fix && h("p", {}, h("strong", {}, `${t("lab.fix")}: `), chromium.fix),
    verdict.deviation && h("p", { class: "warn", "data-testid": "deviation" },
      h("strong", {}, `${t("lab.deviation")}: `), verdict.deviation),
    h("p", { class: "muted" }, t("lab.preflights", { seen: verdict.preflights_seen, expected: verdict.preflights_expected, requests: verdict.requests_seen })),
    h("p", {}, agrees ? t("lab.agrees") : h("span", { class: "warn" }, t("lab.disagrees"))));
}

// A link that reproduces a playground case: the whole case is in the fragment.
export function playgroundUrl(playgroundCase) {
  return `/playground.html#case=${encodeURIComponent(JSON.stringify(playgroundCase))}`;
}

// The browser's side of one fetch: readable with status/body/headers, or blocked.
export function outcomeBlock(result) {
  if (!result.threw && result.type === "opaque") {
    return h("div", { class: "outcome blocked", "data-testid": "outcome", "data-outcome": "opaque" },
      h("p", {}, h("strong", {}, t("lab.opaque"))));
  }
  if (result.threw) {
    return h("div", { class: "outcome blocked", "data-testid": "outcome", "data-outcome": "blocked" },
      h("p", {}, h("strong", {}, t("lab.blocked"))),
      h("p", {}, h("code", {}, result.error)),
      h("p", { class: "muted" }, t("lab.blockedNote")));
  }
  return h("div", { class: "outcome readable", "data-testid": "outcome", "data-outcome": "readable",
                    "data-status": result.status },
    h("p", {}, h("strong", {}, t("lab.readable")), " ", h("span", { class: "status" }, `HTTP ${result.status}`)),
    h("details", { open: true }, h("summary", {}, t("lab.body")), h("pre", { "data-testid": "body" }, pretty(result.body))),
    h("details", {}, h("summary", {}, t("lab.readableHeaders")),
      h("pre", { "data-testid": "headers" },
        Object.entries(result.headers).map(([name, value]) => `${name}: ${value}`).join("\n"))));
}
