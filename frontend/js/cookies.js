// The cookie page: the settings in force, the SameSite matrix (from what the server received)
// and the server's side of the attacker's attempts (from the request ledger).
import { h, loadConfig, newRunId, t, tryFetch, withRun } from "./lab.js";

// Every sentence this script writes is a key "cookies.*" of i18n/en.js and i18n/ja.js. The
// matrix's reasons and the attacks' verdicts come from the API, in the page's language.

const SETTINGS_SHOWN = ["SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "COOKIE_SECURE",
  "CSRF_TRUSTED_ORIGINS", "DISPLAY_NAME_CSRF_EXEMPT", "CORS_ALLOWED_ORIGINS"];
const ATTACK_COLUMNS = ["from", "request", "how", "sessionArrived", "status", "stoppedBy"];
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
  document.querySelector('[data-link="sibling"]').href = `${origins.sibling}/?run=${runId}`;
}

async function showSettings() {
  const { body } = await tryFetch(`${origins.api}/api/config/`);
  settingsInForce = body;
  byTestId("settings").querySelector("tbody").replaceChildren(...SETTINGS_SHOWN.map((name) =>
    h("tr", {}, h("th", {}, name), h("td", { "data-setting": name }, h("code", {}, JSON.stringify(body[name]))))),
  // How each page stands to the API, as the server sees it (backend/crossorigin/sites.py).
  ...Object.entries(body.relations).map(([role, facts]) => h("tr", {}, h("th", {}, body.origins[role]),
    h("td", { "data-relation": role }, relation(facts)))));
}

// "same site, other origin, not trusted": the server's facts, in the page's language.
function relation(facts) {
  const where = facts.same_origin ? "sameOrigin" : facts.same_site ? "sameSite" : "crossSite";
  const trusted = [facts.cors_allowed && "CORS", facts.csrf_trusted && "CSRF"].filter(Boolean);
  return [t(`cookies.relation.${where}`),
    trusted.length ? t("cookies.relation.trustedBy", { defences: trusted.join(" + ") }) : t("cookies.relation.notTrusted")].join(", ");
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
  byTestId("set-probes-state").textContent = t("cookies.probesSet", { n: body.probes.length, domain: body.domain });
}

// A cell says sent / not sent and the number of its reason; the reasons are listed once below.
// Everything in it comes from the server (GET /api/cookies/matrix/): this script judges nothing.
function matrixCell(cell, probeName, policy, reasons) {
  const { sent } = cell;
  if (sent === null) return h("td", { class: "muted", "data-cell": `${probeName}/${cell.context}` }, t("cookies.notRun"));
  const why = cell.why[policy];
  if (!reasons.includes(why)) reasons.push(why);
  return h("td", { "data-cell": `${probeName}/${cell.context}`, "data-sent": String(sent), title: why },
    h("strong", { class: sent ? "ok" : "warn" }, sent ? t("cookies.sent") : t("cookies.notSent")),
    h("sup", {}, ` ${reasons.indexOf(why) + 1}`),
    // The server gives an age only where it decides the cell (Chromium's 2-minute exception).
    cell.cookie_age_seconds != null ? h("div", { class: "muted" }, t("cookies.cookieAge", { seconds: Math.round(cell.cookie_age_seconds) })) : "",
    cell.matches[policy] ? "" : h("div", { class: "warn" }, t("cookies.unexpected")));
}

async function showMatrix() {
  // The one column the server cannot see: which probe cookies this page's own script could read.
  const seenByScript = sessionStorage.getItem(`document-cookie-${runId}`);
  const query = new URLSearchParams({ run: runId });
  if (seenByScript !== null) query.set("app_script_saw", JSON.parse(seenByScript).join(","));
  const { body } = await tryFetch(`${origins.api}/api/cookies/matrix/?${query}`);
  if (!body.rows) return;
  const policies = body.policies_matched;
  const policy = policies[0] ?? "third-party-cookies-blocked";
  const reasons = [];
  const rows = body.rows.map((row) => h("tr", {},
    h("th", {}, h("code", {}, row.probe.name), h("div", { class: "muted" }, row.probe.lesson)),
    row.cells.map((cell) => matrixCell(cell, row.probe.name, policy, reasons))));
  byTestId("matrix").replaceChildren(
    h("div", { class: "scroll" }, h("table", { class: "matrix" },
      h("thead", {}, h("tr", {}, h("th", {}, t("cookies.probeHeading")), body.contexts.map((c) => h("th", {}, c.title)))),
      h("tbody", {}, rows))),
    h("p", { "data-testid": "policies-matched", "data-policies": policies.join(" ") }, h("strong", {}, policies.length
      ? t("cookies.matched", { policies: policies.join(t("cookies.and")) }) : t("cookies.matchedNone"))),
    h("h4", {}, t("cookies.reasonsHeading")),
    h("ol", { class: "reasons" }, reasons.map((why) => h("li", {}, why))));
}

async function login() {
  const password = document.querySelector('[name="password"]').value;
  const csrf = await tryFetch(`${origins.api}/api/csrf/`, { credentials: "include" });
  const result = await tryFetch(`${origins.api}/api/login/`, {
    method: "POST", credentials: "include",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.body.csrfToken },
    body: JSON.stringify({ username: settingsInForce.demo_username, password }),
  });
  if (!result.ok) byTestId("session").textContent = t("cookies.loginFailed", { status: result.status });
  else await whoAmI();
}

async function whoAmI() {
  const result = await tryFetch(`${origins.api}/api/me/`, { credentials: "include" });
  // Who the API says is logged in, in a form tests read whatever the page's language.
  byTestId("session").dataset.user = result.ok ? result.body.user.username : "";
  byTestId("session").textContent = result.ok
    ? t("cookies.loggedIn", { username: result.body.user.username, displayName: result.body.user.display_name })
    : t("cookies.notLoggedIn");
}

// The attacker's requests of this run, each with the defence that held, as the server judged it
// from its own record (backend/crossorigin/defences.py).
async function showAttacks() {
  const { body } = await tryFetch(`${origins.api}/api/cookies/attacks/?run=${runId}`);
  await whoAmI();
  if (!body.attacks?.length) return byTestId("attacks").replaceChildren(h("p", { class: "muted" }, t("cookies.noAttacks")));
  byTestId("attacks").replaceChildren(h("table", {},
    h("thead", {}, h("tr", {}, ATTACK_COLUMNS.map((column) => h("th", {}, t(`cookies.attackColumn.${column}`))))),
    h("tbody", {}, body.attacks.map((attack) => h("tr", { "data-attack-path": attack.path,
        "data-session-arrived": String(attack.session_arrived), "data-status": attack.status },
      h("td", { "data-attacker": attack.attacker }, t(`cookies.attacker.${attack.attacker}`)),
      h("td", {}, h("code", {}, `${attack.method} ${attack.path}`)),
      h("td", {}, `${attack.sec_fetch_mode} / ${attack.sec_fetch_dest}`),
      h("td", {}, attack.session_arrived ? t("cookies.yes") : t("cookies.no")),
      h("td", {}, String(attack.status)),
      h("td", { "data-testid": "defence", "data-defence": attack.defence },
        [attack.message, attack.not_held_message].filter(Boolean).join(" ")))))));
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
