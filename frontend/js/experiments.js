// The article's experiments. Each step is declared once (what fetch() it makes); runStep() makes
// it, then shows the call, what the browser gave the page, and what the server recorded.
import {
  fetchCallText, h, ledgerTable, loadConfig, newRunId, outcomeBlock, readLedger, t, tryFetch, withRun,
} from "./lab.js";

// Every sentence this script writes is a key "experiments.*" of i18n/en.js and i18n/ja.js.

const state = { csrfToken: null };
const card = (id) => document.getElementById(id);
const input = (cardId, name) => card(cardId).querySelector(`[name="${name}"]`);
const json = (value) => JSON.stringify(value);
const credentials = (id) => ({ username: input(id, "username").value, password: input(id, "password").value });
// Sent only when the learner picks a short lifetime, so the default call is the article's own.
const lifetime = () => {
  const seconds = input("jwt", "lifetime").value;
  return seconds ? { lifetime_seconds: Number(seconds) } : {};
};

// ?api=same-origin: the calls go to this page's own /api/, which nginx proxies to Django on the
// cross-site app's host (a way out of the cross-site deployment: the cookies become first-party).
const sameOriginApi = new URLSearchParams(location.search).get("api") === "same-origin";

// The steps, as the page's fetch() calls. `include` sends and accepts cookies cross-origin.
const STEPS = {
  hello: () => ({ path: "/api/hello/", init: {} }),
  users: () => ({ path: "/api/users/", init: {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: json({ username: input("json-post", "username").value, email: input("json-post", "email").value }) } }),
  token: () => ({ path: "/api/token/", init: {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: json({ ...credentials("jwt"), ...lifetime() }) } }),
  protected: () => ({ path: "/api/protected/", init: {
    headers: { Authorization: `Bearer ${input("jwt", "token").value.trim()}` } } }),
  csrf: () => ({ path: "/api/csrf/", init: { credentials: "include" } }),
  login: () => ({ path: "/api/login/", init: {
    method: "POST", credentials: "include",
    headers: { "Content-Type": "application/json", "X-CSRFToken": state.csrfToken ?? "" },
    body: json(credentials("cookie-login")) } }),
  me: () => ({ path: "/api/me/", init: { credentials: "include" } }),
  logout: () => ({ path: "/api/logout/", init: {
    method: "POST", credentials: "include", headers: { "X-CSRFToken": state.csrfToken ?? "" } } }),
  "login-without-token": () => ({ path: "/api/login/", init: {
    method: "POST", credentials: "include", headers: { "Content-Type": "application/json" },
    body: json(credentials("cookie-login")) } }),
  "no-cors": () => ({ path: "/api/no-cors/hello/", init: {} }),
};

// What happened, in sentences, from the browser's result and the server's record.
function explain(result, entries) {
  const sentences = [];
  const preflight = entries.find((entry) => entry.kind === "preflight");
  const request = entries.find((entry) => entry.kind === "request");
  const asked = preflight && { method: preflight.request.access_control_request_method,
                                headers: preflight.request.access_control_request_headers };
  sentences.push(!preflight ? t("experiments.noPreflight")
    : asked.headers ? t("experiments.preflightSeenWithHeaders", asked) : t("experiments.preflightSeen", asked));
  if (result.threw && request) sentences.push(t("experiments.answeredButHidden", { status: request.response.status }));
  if (!result.threw && request?.response.headers["access-control-allow-origin"]) {
    sentences.push(t("experiments.readableBecause", { acao: request.response.headers["access-control-allow-origin"] }));
  }
  if (request) {
    sentences.push(request.request.cookies.length
      ? t("experiments.cookiesArrived", { names: request.request.cookies.join(", ") }) : t("experiments.noCookies"));
    const set = request.response.set_cookies.filter((c) => !c.cleared).map((c) => c.name);
    const cleared = request.response.set_cookies.filter((c) => c.cleared).map((c) => c.name);
    if (set.length) sentences.push(t("experiments.cookieSet", { names: set.join(", ") }));
    if (cleared.length) sentences.push(t("experiments.cookieCleared", { names: cleared.join(", ") }));
  }
  return h("div", { class: "explain", "data-testid": "explanation" }, sentences.map((s) => h("p", {}, s)));
}

async function runStep(name) {
  const { api } = await loadConfig();
  const { path, init } = STEPS[name]();
  const runId = newRunId(name);
  const url = withRun((sameOriginApi ? location.origin : api) + path, runId);
  const area = document.querySelector(`[data-result="${name}"]`);
  area.dataset.state = "running";
  area.replaceChildren(h("pre", { class: "call", "data-testid": "call" }, fetchCallText(url, init)));

  const result = await tryFetch(url, init);
  const entries = await readLedger(runId);
  area.append(outcomeBlock(result), explain(result, entries),
              h("h4", {}, t("experiments.serverHeading")), ledgerTable(entries));
  area.dataset.runId = runId;
  area.dataset.state = "done";
  return result;
}

// After-effects of some steps: keep the token the server gave us, and the CSRF token.
const AFTER = {
  token: (result) => {
    if (!result.threw && result.body.token) {
      input("jwt", "token").value = result.body.token;
      showDecodedJwt();
    }
  },
  protected: () => showDecodedJwt(),  // brings "expires in" up to date
  csrf: (result) => !result.threw && rememberCsrfToken(result.body.csrfToken),
  // Django rotates the CSRF secret at login: the old token is useless from now on.
  login: (result) => !result.threw && result.ok && rememberCsrfToken(result.body.csrfToken),
};

function rememberCsrfToken(token) {
  state.csrfToken = token ?? null;
  document.querySelector('[data-testid="csrf-token"]').textContent = token ?? t("experiments.noToken");
}

function base64UrlDecode(part) {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

function base64UrlEncode(text) {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Decoding needs no key: a JWT's header and payload are only base64url, not encrypted.
function showDecodedJwt() {
  const target = document.querySelector('[data-testid="jwt-decoded"]');
  const parts = input("jwt", "token").value.trim().split(".");
  try {
    if (parts.length !== 3) throw new Error();
    const [header, payload] = parts.slice(0, 2).map((part) => JSON.parse(base64UrlDecode(part)));
    const secondsLeft = payload.exp - Math.floor(Date.now() / 1000);
    target.replaceChildren(
      h("p", { class: "jwt-part" }, h("span", { class: "jwt-header" }, parts[0]), ".",
        h("span", { class: "jwt-payload" }, parts[1]), ".", h("span", { class: "jwt-signature" }, parts[2])),
      h("table", {}, h("tbody", {},
        h("tr", {}, h("th", { class: "jwt-header" }, "header"), h("td", {}, h("pre", {}, JSON.stringify(header, null, 2)))),
        h("tr", {}, h("th", { class: "jwt-payload" }, "payload"),
          h("td", {}, h("pre", { "data-testid": "jwt-payload" }, JSON.stringify(payload, null, 2)),
            h("span", { class: "muted" }, secondsLeft > 0 ? t("experiments.jwtExpiresIn", { seconds: secondsLeft })
              : t("experiments.jwtExpiredAgo", { seconds: -secondsLeft })))),
        h("tr", {}, h("th", { class: "jwt-signature" }, "signature"), h("td", {}, h("code", {}, parts[2]))))));
  } catch {
    target.replaceChildren(h("p", { class: "warn" }, t("experiments.jwtNotDecodable")));
  }
}

function tamperWithToken() {
  const [header, payload, signature] = input("jwt", "token").value.trim().split(".");
  const claims = JSON.parse(base64UrlDecode(payload));
  claims.name = "mallory";
  input("jwt", "token").value = [header, base64UrlEncode(JSON.stringify(claims)), signature].join(".");
  showDecodedJwt();
}

// Which deployment the API runs (LAB_DEPLOYMENT), and where this page stands in it. The API's
// /api/config/ says; a page of the cross-site host that the API does not trust cannot read it.
async function showDeployment(origins) {
  const state = document.querySelector('[data-testid="deployment-state"]');
  const waysOut = document.querySelector('[data-testid="deployment-ways-out"]');
  const config = await tryFetch(`${origins.api}/api/config/`);
  const deployment = config.threw ? "unknown" : config.body.deployment;
  const onCrossSiteHost = location.origin === origins.cross_site_app;
  document.body.dataset.deployment = deployment;
  document.body.dataset.pageSite = onCrossSiteHost ? "cross-site" : "same-site";
  document.body.dataset.api = sameOriginApi ? "same-origin" : "api-host";
  const values = { page: location.origin, api: origins.api, front: origins.cross_site_app,
                   samesite: config.body?.SESSION_COOKIE_SAMESITE,
                   partitioned: config.body?.PARTITIONED_COOKIES ? t("experiments.deployment.partitioned") : "" };
  if (!onCrossSiteHost) {
    state.textContent = t("experiments.deployment.sameSitePage", { ...values, deployment });
  } else if (sameOriginApi) {
    state.textContent = t("experiments.deployment.sameOriginApi", values);
  } else {
    state.textContent = t(deployment === "cross-site" ? "experiments.deployment.crossSitePage"
      : "experiments.deployment.notTrusted", values);
  }
  if (onCrossSiteHost) {
    document.querySelector('[data-i18n="index.origins"]').textContent = t("experiments.deployment.twoSites");
    waysOut.replaceChildren(t("experiments.deployment.waysOut"), " ",
      sameOriginApi ? h("a", { href: "?" }, t("experiments.deployment.useApiHost", values))
        : h("a", { href: "?api=same-origin" }, t("experiments.deployment.useSameOrigin")));
  }
}

async function main() {
  const origins = await loadConfig();
  // "this page" and "the Django API" as this page really calls them.
  const shown = { ...origins, app: location.origin, api: sameOriginApi ? `${location.origin}/api/` : origins.api };
  for (const element of document.querySelectorAll("[data-origin]")) {
    element.textContent = shown[element.dataset.origin];
  }
  await showDeployment(origins);
  document.body.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.action === "tamper") tamperWithToken();
    const step = button.dataset.step;
    if (!step) return;
    button.disabled = true;
    try {
      const result = await runStep(step);
      AFTER[step]?.(result);
    } finally {
      button.disabled = false;
    }
  });
  input("jwt", "token").addEventListener("input", showDecodedJwt);
  document.body.dataset.ready = "true";
}

main();
