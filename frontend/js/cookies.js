// The cookie page: the settings in force, the SameSite matrix (from what the server received)
// and the server's side of the attacker's attempts (from the request ledger).
import { h, loadConfig, newRunId, readLedger, tryFetch, withRun } from "./lab.js";

// Every sentence this script writes, in one place for translation.
const TEXT = {
  sent: "sent", notSent: "not sent", notRun: "not run yet",
  probesSet: (n, domain) => `${n} probe cookies set (the shared one with Domain=${domain}); same-origin and same-site requests done.`,
  matched: (policies) => policies.length
    ? `Your browser behaved like: ${policies.join(" and ")}.`
    : "Your browser matched neither policy in every cell: see the cells the rules did not expect.",
  unexpected: "the rules expected otherwise for this browser",
  cookieAge: (seconds) => `the cookies were ${Math.round(seconds)} s old`,
  reasonsHeading: "Why (the numbers in the cells)",
  probeHeading: "cookie \\ request",
  loggedIn: (user) => `Logged in as ${user.username}; display name “${user.display_name}”.`,
  notLoggedIn: "Not logged in (GET /api/me/ answered 401).",
  loginFailed: (status) => `Login failed (HTTP ${status}).`,
  noAttacks: "No attack of this run has reached the API yet.",
  attackColumns: ["request", "how (Sec-Fetch-Mode / Dest)", "session cookie arrived", "status", "what stopped it"],
  yes: "yes", no: "no",
  // Who kept the session cookie home: SameSite, or (for a SameSite=None cookie) the browser's
  // third-party-cookie blocking, which covers other sites' frames, images and fetches only.
  keptHomeBy: { samesite: "SameSite", thirdParty: "third-party-cookie blocking" },
  defence: {
    success: "The attack WORKED: the session cookie arrived and Django accepted the request.",
    cookieAbsent: (by) => `Stopped by ${by}: the browser did not attach the session cookie, so the API saw an anonymous request.`,
    csrf: (message) => `Stopped by Django's CSRF check: ${message}`,
    both: (by, message) => `Stopped twice: ${by} kept the session cookie home, and Django's CSRF check answered 403 anyway: ${message}`,
    cors: "The request went through with the cookie, but CORS kept the answer from the attacker's page.",
    corsNoCookie: (by) => `No session cookie arrived (${by}), and CORS would have hidden the answer anyway.`,
    embedded: "The cookie arrived, but a page cannot read a frame or image of another origin: the attacker saw a load event only.",
    navigation: "Nothing stopped it: the cookie rode a top-level navigation, and the answer went to you, not to the attacker.",
  },
};

const SETTINGS_SHOWN = ["SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "COOKIE_SECURE",
  "CSRF_TRUSTED_ORIGINS", "DISPLAY_NAME_CSRF_EXEMPT", "CORS_ALLOWED_ORIGINS"];
const params = new URLSearchParams(location.search);
let runId = params.get("run") ?? newRunId("cookies");
const origins = await loadConfig();
const api = (path) => withRun(origins.api + path, runId);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
let settingsInForce = {};

function showRun() {
  history.replaceState(null, "", `?run=${runId}`);
  byTestId("run-id").textContent = runId;
  document.querySelector('[data-link="attacker"]').href = `${origins.attacker}/?run=${runId}#matrix`;
  document.querySelector('[data-link="attacker-attacks"]').href = `${origins.attacker}/?run=${runId}#attacks`;
}

async function showSettings() {
  const { body } = await tryFetch(`${origins.api}/api/config/`);
  settingsInForce = body;
  byTestId("settings").querySelector("tbody").replaceChildren(...SETTINGS_SHOWN.map((name) =>
    h("tr", {}, h("th", {}, name), h("td", { "data-setting": name }, h("code", {}, JSON.stringify(body[name]))))));
}

// The same-origin column needs a page of the API's own origin: a frame of /api/cookies/same-origin/.
function sameOriginRequest() {
  return new Promise((resolve) => {
    const frame = h("iframe", { src: api("/api/cookies/same-origin/"), hidden: true });
    window.addEventListener("message", function done(event) {
      if (event.origin !== origins.api) return;
      window.removeEventListener("message", done);
      frame.remove();
      resolve(event.data);
    });
    document.body.append(frame);
  });
}

async function setProbes() {
  const { body } = await tryFetch(api("/api/cookies/set/"), { credentials: "include" });
  await sameOriginRequest();
  await tryFetch(api("/api/cookies/probe/same-site-fetch/"), { credentials: "include" });
  // What this page's own script sees: only cookies shared with the whole site.
  sessionStorage.setItem(`document-cookie-${runId}`, JSON.stringify(
    document.cookie.split(";").map((pair) => pair.split("=")[0].trim()).filter(Boolean)));
  byTestId("set-probes-state").textContent = TEXT.probesSet(body.probes.length, body.domain);
}

// A cell says sent / not sent and the number of its reason; the reasons are listed once below.
function matrixCell(cell, probeName, policy, reasons) {
  const seenByScript = JSON.parse(sessionStorage.getItem(`document-cookie-${runId}`) ?? "null");
  let sent = cell.sent;
  if (cell.context === "app-document-cookie" && seenByScript) sent = seenByScript.includes(probeName);
  if (sent === null) return h("td", { class: "muted", "data-cell": `${probeName}/${cell.context}` }, TEXT.notRun);
  const why = cell.why[policy];
  if (!reasons.includes(why)) reasons.push(why);
  return h("td", { "data-cell": `${probeName}/${cell.context}`, "data-sent": String(sent), title: why },
    h("strong", { class: sent ? "ok" : "warn" }, sent ? TEXT.sent : TEXT.notSent),
    h("sup", {}, ` ${reasons.indexOf(why) + 1}`),
    // The server gives an age only where it decides the cell (Chromium's 2-minute exception).
    cell.cookie_age_seconds != null ? h("div", { class: "muted" }, TEXT.cookieAge(cell.cookie_age_seconds)) : "",
    sent !== cell.expected[policy] ? h("div", { class: "warn" }, TEXT.unexpected) : "");
}

async function showMatrix() {
  const { body } = await tryFetch(`${origins.api}/api/cookies/matrix/?run=${runId}`);
  if (!body.rows) return;
  const policies = body.policies_matched;
  const policy = policies[0] ?? "third-party-cookies-blocked";
  const reasons = [];
  const rows = body.rows.map((row) => h("tr", {},
    h("th", {}, h("code", {}, row.probe.name), h("div", { class: "muted" }, row.probe.lesson)),
    row.cells.map((cell) => matrixCell(cell, row.probe.name, policy, reasons))));
  byTestId("matrix").replaceChildren(
    h("div", { class: "scroll" }, h("table", { class: "matrix" },
      h("thead", {}, h("tr", {}, h("th", {}, TEXT.probeHeading), body.contexts.map((c) => h("th", {}, c.title)))),
      h("tbody", {}, rows))),
    h("p", { "data-testid": "policies-matched", "data-policies": policies.join(" ") }, h("strong", {}, TEXT.matched(policies))),
    h("h4", {}, TEXT.reasonsHeading),
    h("ol", { class: "reasons" }, reasons.map((why) => h("li", {}, why))));
}

async function login() {
  const password = document.querySelector('[name="password"]').value;
  const csrf = await tryFetch(`${origins.api}/api/csrf/`, { credentials: "include" });
  const result = await tryFetch(`${origins.api}/api/login/`, {
    method: "POST", credentials: "include",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.body.csrfToken },
    body: JSON.stringify({ username: "alice", password }),
  });
  if (!result.ok) byTestId("session").textContent = TEXT.loginFailed(result.status);
  else await whoAmI();
}

async function whoAmI() {
  const result = await tryFetch(`${origins.api}/api/me/`, { credentials: "include" });
  byTestId("session").textContent = result.ok ? TEXT.loggedIn(result.body.user) : TEXT.notLoggedIn;
}

const sessionArrived = (entry) => entry.request.cookies.includes("sessionid");

// Which defence stopped a request, read from what the server recorded.
function defenceOf(entry) {
  const { request, response } = entry;
  const hadSession = sessionArrived(entry);
  const keptHomeBy = settingsInForce.SESSION_COOKIE_SAMESITE === "None" ? TEXT.keptHomeBy.thirdParty : TEXT.keptHomeBy.samesite;
  if (request.path.endsWith("/me/")) {
    if (request.sec_fetch_mode === "cors") return hadSession ? TEXT.defence.cors : TEXT.defence.corsNoCookie(keptHomeBy);
    if (!hadSession) return TEXT.defence.cookieAbsent(keptHomeBy);
    return request.sec_fetch_dest === "document" ? TEXT.defence.navigation : TEXT.defence.embedded;
  }
  if (response.status === 403) {
    const reason = response.error?.message ?? "403";
    return hadSession ? TEXT.defence.csrf(reason) : TEXT.defence.both(keptHomeBy, reason);
  }
  if (response.status === 401) return TEXT.defence.cookieAbsent(keptHomeBy);
  return response.status === 200 ? TEXT.defence.success : "";
}

async function showAttacks() {
  const entries = (await readLedger(runId)).filter((e) =>
    e.request.origin === origins.attacker || e.request.sec_fetch_site === "cross-site")
    .filter((e) => /\/api\/(me|display-name)\/$/.test(e.request.path));
  await whoAmI();
  if (!entries.length) return byTestId("attacks").replaceChildren(h("p", { class: "muted" }, TEXT.noAttacks));
  byTestId("attacks").replaceChildren(h("table", {},
    h("thead", {}, h("tr", {}, TEXT.attackColumns.map((t) => h("th", {}, t)))),
    h("tbody", {}, entries.map((entry) => h("tr", { "data-attack-path": entry.request.path,
        "data-session-arrived": String(sessionArrived(entry)), "data-status": entry.response.status },
      h("td", {}, h("code", {}, `${entry.request.method} ${entry.request.path}`)),
      h("td", {}, `${entry.request.sec_fetch_mode} / ${entry.request.sec_fetch_dest}`),
      h("td", {}, sessionArrived(entry) ? TEXT.yes : TEXT.no),
      h("td", {}, String(entry.response.status)),
      h("td", { "data-testid": "defence" }, defenceOf(entry)))))));
}

const ACTIONS = {
  "set-probes": setProbes, "show-matrix": showMatrix, login, whoami: whoAmI, "show-attacks": showAttacks,
  "new-run": async () => { runId = newRunId("cookies"); showRun(); },
};
document.body.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  button.disabled = true;
  try { await ACTIONS[button.dataset.action](); } finally {
    button.disabled = false;
    button.dataset.state = "done";
  }
});
showRun();
await showSettings();
document.body.dataset.ready = "true";
