// The token lifecycle page (tokens.html): three ways to stay logged in, each step a fetch() shown
// with what the browser gave the page and what the server received. The API's answers carry their
// own sentences (message); the other sentences are keys "tokens.*" of i18n/en.js and i18n/ja.js.
// This script decides no lesson: it renders what the browser and the server said.
import {
  fetchCallText, h, ledgerTable, loadConfig, newRunId, outcomeBlock, readLedger, t, tryFetch, withRun,
} from "./lab.js";

const origins = await loadConfig();
const REFRESH = "/api/token/refresh/";
const REVOKE = "/api/token/refresh/revoke/";
// (a): what the page keeps in localStorage, where every script of this origin reads it.
const STORED = { access: "lab-token-access", refresh: "lab-token-refresh" };
// (b): the access token lives here, in this page's memory only. The refresh cookie is the browser's.
const memory = { access: null };
// The last access token of (a) and of (b), which the calls to the API send: after logout the page
// drops its tokens, and a copy of the last one (a thief's, or a page that forgot to drop it) shows
// what each check does with it. And (a)'s last retired refresh token, for the replay.
const copies = { a: null, b: null, retired: null };

// The settings the API runs with (GET /api/config/): the demo user's name, the XSS stand-in's switch.
let settings = {};
const params = new URLSearchParams(location.search);
const pageRun = params.get("run") ?? newRunId("tokens");
const xssRun = `${pageRun}-xss`;
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const username = () => settings.demo_username;
const password = () => document.querySelector('[name="password"]').value;
const jsonPost = (body, init = {}) => ({ method: "POST", ...init,
  headers: { "Content-Type": "application/json", ...init.headers }, body: JSON.stringify(body) });
const bearer = (token) => ({ headers: { Authorization: `Bearer ${token ?? ""}` } });

// Django's CSRF token, for the requests that rely on a cookie; a fresh GET each time, as a step.
async function csrfToken(call) {
  const result = await call("/api/csrf/", { credentials: "include" });
  return result.ok ? result.body.csrfToken : "";
}

function keepA(body) {
  localStorage.setItem(STORED.access, body.access);
  localStorage.setItem(STORED.refresh, body.refresh);
  copies.a = body.access;
}

// Each step: the fetch() calls it makes, in order, through call().
const STEPS = {
  "a-login": async (call) => {
    const result = await call("/api/token/pair/", jsonPost({ username: username(), password: password(), refresh_in: "body" }));
    if (result.ok) keepA(result.body);
  },
  "a-me": (call) => call("/api/token/me/", bearer(copies.a)),
  "a-refresh": async (call) => {
    const sent = localStorage.getItem(STORED.refresh) ?? "";
    const result = await call(REFRESH, jsonPost({ refresh: sent }));
    if (result.ok) {
      copies.retired = sent;
      keepA(result.body);
    }
  },
  "a-replay": (call) => call(REFRESH, jsonPost({ refresh: copies.retired ?? "" })),
  "a-logout": async (call) => {
    const result = await call(REVOKE, jsonPost({ refresh: localStorage.getItem(STORED.refresh) ?? "" }));
    if (result.ok) Object.values(STORED).forEach((key) => localStorage.removeItem(key));
  },
  "a-protected": (call) => call("/api/protected/", bearer(copies.a)),
  "b-login": async (call) => {
    const result = await call("/api/token/pair/", jsonPost({ username: username(), password: password(), refresh_in: "cookie" },
      { credentials: "include" }));
    if (result.ok) memory.access = copies.b = result.body.access;
  },
  "b-me": (call) => call("/api/token/me/", bearer(copies.b)),
  "b-refresh": async (call) => {
    const token = await csrfToken(call);
    const result = await call(REFRESH, { method: "POST", credentials: "include", headers: { "X-CSRFToken": token } });
    if (result.ok) memory.access = copies.b = result.body.access;
  },
  "b-logout": async (call) => {
    const token = await csrfToken(call);
    const result = await call(REVOKE, { method: "POST", credentials: "include", headers: { "X-CSRFToken": token } });
    if (result.ok) memory.access = null;
  },
  "b-protected": (call) => call("/api/protected/", bearer(copies.b)),
  "c-login": async (call) => {
    const token = await csrfToken(call);
    await call("/api/login/", jsonPost({ username: username(), password: password() },
      { credentials: "include", headers: { "X-CSRFToken": token } }));
  },
  "c-me": (call) => call("/api/me/", { credentials: "include" }),
  "c-logout": async (call) => {
    const token = await csrfToken(call);
    await call("/api/logout/", { method: "POST", credentials: "include", headers: { "X-CSRFToken": token } });
  },
};

// What the server said, then what its record shows of the step's last request.
function explain(result, entries) {
  const sentences = [];
  if (!result.threw && typeof result.body === "object" && result.body?.message) sentences.push(result.body.message);
  const last = entries.filter((entry) => entry.kind === "request").at(-1);
  if (last) {
    sentences.push(last.request.cookies.length
      ? t("tokens.cookiesArrived", { names: last.request.cookies.join(", ") }) : t("tokens.noCookies"));
    const set = last.response.set_cookies.filter((c) => !c.cleared).map((c) => c.name);
    const cleared = last.response.set_cookies.filter((c) => c.cleared).map((c) => c.name);
    if (set.length) sentences.push(t("tokens.cookieSet", { names: set.join(", ") }));
    if (cleared.length) sentences.push(t("tokens.cookieCleared", { names: cleared.join(", ") }));
  }
  return h("div", { class: "explain", "data-testid": "explanation" }, sentences.map((s) => h("p", {}, s)));
}

async function runStep(name, area, title) {
  const runId = area.dataset.runId;
  const calls = [];
  area.replaceChildren(h("h3", {}, title));
  const call = async (path, init = {}) => {
    const url = withRun(origins.api + path, runId);
    area.append(h("pre", { class: "call", "data-testid": "call" }, fetchCallText(url, init)));
    const result = await tryFetch(url, init);
    area.append(outcomeBlock(result));
    calls.push(result);
    return result;
  };
  await STEPS[name](call);
  const entries = await readLedger(runId);
  area.append(explain(calls.at(-1), entries), h("h4", {}, t("tokens.serverHeading")), ledgerTable(entries));
}

// What each column's page holds now, as its own script sees it.
function short(token) {
  return token ? `${token.slice(0, 16)}…` : t("tokens.nothing");
}

function showHeld() {
  const stored = Object.values(STORED).filter((key) => localStorage.getItem(key));
  const heldA = byTestId("held-a");
  heldA.dataset.stored = stored.join(" ");
  heldA.textContent = stored.length
    ? stored.map((key) => `localStorage["${key}"] = ${short(localStorage.getItem(key))}`).join("; ") : t("tokens.nothing");
  const cookies = document.cookie ? document.cookie.split("; ").map((pair) => pair.split("=")[0]).join(", ") : t("tokens.noneVisible");
  const heldB = byTestId("held-b");
  heldB.dataset.memory = memory.access ? "access" : "";
  heldB.textContent = t("tokens.heldB", { access: short(memory.access), cookies });
  byTestId("held-c").textContent = t("tokens.heldC", { cookies });
}

async function showSwitch() {
  const on = settings.XSS_STAND_IN === true;
  byTestId("xss-switch").dataset.on = String(on);
  byTestId("xss-switch").textContent = t(on ? "tokens.xss.on" : "tokens.xss.off");
  const link = document.querySelector('[data-link="xss"]');
  link.href = `/xss.html?run=${encodeURIComponent(xssRun)}`;
  link.hidden = !on;
}

async function showXssLedger() {
  byTestId("xss-ledger").replaceChildren(ledgerTable(await readLedger(xssRun)));
}

// The other pages' attempts, as the server judged them (GET /api/token/attempts/).
async function showAttempts() {
  const { body } = await tryFetch(`${origins.api}/api/token/attempts/?run=${encodeURIComponent(pageRun)}`);
  const rows = body.attempts ?? [];
  if (!rows.length) return byTestId("attempts").replaceChildren(h("p", { class: "muted" }, t("tokens.sites.none")));
  byTestId("attempts").replaceChildren(h("div", { class: "scroll" }, h("table", {},
    h("thead", {}, h("tr", {}, ["from", "request", "how", "cookie", "status", "said"].map((column) =>
      h("th", {}, t(`tokens.sites.column.${column}`))))),
    h("tbody", {}, rows.map((row) => h("tr", { "data-attacker": row.attacker, "data-kind": row.kind, "data-method": row.method,
        "data-mode": row.sec_fetch_mode ?? "", "data-cookie-arrived": String(row.cookie_arrived), "data-status": row.status,
        "data-outcome": row.outcome },
      h("td", {}, t(`tokens.sites.from.${row.attacker}`)),
      h("td", {}, h("code", {}, `${row.method} ${row.path}`)),
      h("td", {}, `${row.sec_fetch_mode ?? "—"} / ${row.sec_fetch_dest ?? "—"}`),
      h("td", {}, row.cookie_arrived ? t("tokens.yes") : t("tokens.no")),
      h("td", {}, String(row.status)),
      h("td", { "data-testid": "said" }, row.said.map((sentence) => h("p", {}, sentence)))))))));
}

// The refresh cookie in the cookie model (GET /api/token/cookie/), both third-party-cookie policies.
async function showCookieModel() {
  const { body } = await tryFetch(`${origins.api}/api/token/cookie/`);
  if (!body.contexts) return;
  const policies = Object.keys(body.contexts[0].sent);
  byTestId("cookie-model").replaceChildren(
    h("p", {}, h("code", {}, `Set-Cookie: ${body.name}=…; Path=${body.path}; ${body.secure ? "Secure; " : ""}HttpOnly; SameSite=${body.samesite}`)),
    h("div", { class: "scroll" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("tokens.model.context")), policies.map((p) => h("th", {}, p)))),
      h("tbody", {}, body.contexts.map((context) => h("tr", { "data-context": context.context },
        h("th", {}, context.title),
        policies.map((policy) => h("td", { "data-sent": String(context.sent[policy]) },
          h("strong", { class: context.sent[policy] ? "ok" : "warn" }, context.sent[policy] ? t("tokens.sent") : t("tokens.notSent")),
          h("div", { class: "muted" }, context.why[policy])))))))));
}

function showRun() {
  byTestId("run-id").textContent = pageRun;
  document.querySelector('[data-link="attacker"]').href = `${origins.attacker}/token-attacks.html?run=${encodeURIComponent(pageRun)}`;
  document.querySelector('[data-link="sibling"]').href = `${origins.sibling}/token-attacks.html?run=${encodeURIComponent(pageRun)}`;
}

const ACTIONS = { "show-xss": showXssLedger, "show-attempts": showAttempts };

document.body.addEventListener("click", async (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const { step, action } = button.dataset;
  // A step's area says "running" under a new run id at once, so that a test (or a reader) never
  // takes the previous run's result for this one.
  const area = step && document.querySelector(`[data-result="${step}"]`);
  if (area) Object.assign(area.dataset, { state: "running", runId: newRunId(step), step });
  if (!area && !ACTIONS[action]) return;
  button.disabled = true;
  button.dataset.state = "running";
  try {
    if (area) await runStep(step, area, button.textContent);
    else await ACTIONS[action]();
  } finally {
    showHeld();
    if (area) area.dataset.state = "done";
    button.disabled = false;
    button.dataset.state = "done";
  }
});

settings = (await tryFetch(`${origins.api}/api/config/`)).body ?? {};
showRun();
showHeld();
await showSwitch();
await showCookieModel();
document.body.dataset.ready = "true";
