// The mistakes readers make (mistakes.html): cookie domains, the proxy that forgets the scheme, a
// forgotten credentials option, and the dev layout. Each step makes real requests, then shows the
// calls, what the browser gave the page, and what the servers received: the API's ledger and, for
// this page's own host, the names of the cookies its server got (nginx/received-cookies.js).
//
// Every sentence this script writes is a key "mistakes.*" of i18n/en.js and i18n/ja.js, filled in
// with what the server recorded or runs with, or with what the browser did; the API's own
// refusals are shown in the API's words, in the page's language.
import { h, loadConfig, t, tryFetch } from "./lab.js";
import { logIn as logInWith, refusal, requestsOf, runStepsOnClick, scriptCookie, scriptCookies, step as stepOn } from "./steps.js";

const origins = await loadConfig();
// On the dev layout's front, /lab-config.json names that layout's API port as the api.
const onDevFront = location.origin === origins.dev_front;
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const password = () => document.querySelector('#settings [name="password"]').value;
let config = null;  // GET /api/config/; null when the API does not let this page read it

const SHOWN = ["SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_NAME", "CSRF_COOKIE_HTTPONLY",
  "CSRF_USE_SESSIONS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT"];
// fetch()'s credentials option as a learner may write it: "default" is the option left out.
const MODES = { include: { credentials: "include" }, default: {}, omit: { credentials: "omit" } };

async function showSettings() {
  const result = await tryFetch(`${origins.api}/api/config/`);
  config = !result.threw && result.ok ? result.body : null;
  // [the setting's name, how the table labels it, its value]
  const rows = config ? SHOWN.map((name) => [name, name, JSON.stringify(config[name])]) : [];
  // nginx's own switch, from its /lab-config.json.
  rows.push(["LAB_PROXY_FORWARDED_PROTO", t("mistakes.settings.nginx"), origins.proxy_forwarded_proto
    ? "proxy_set_header X-Forwarded-Proto $scheme;" : t("mistakes.settings.notSent")]);
  if (config) rows.push(["LAB_DEV_LAYOUT", "LAB_DEV_LAYOUT", JSON.stringify(config.environment.LAB_DEV_LAYOUT)]);
  byTestId("settings").querySelector("tbody").replaceChildren(...rows.map(([name, label, value]) =>
    h("tr", {}, h("th", {}, label), h("td", { "data-setting": name }, h("code", {}, value)))),
    config ? "" : h("tr", {}, h("td", { colspan: 2, class: "warn" }, t("mistakes.settings.unreadable", { api: origins.api }))));
}

const sessionName = () => config?.session_cookie_name ?? "sessionid";
const csrfName = () => config?.CSRF_COOKIE_NAME ?? "csrftoken";
const step = (name, make, explain) => stepOn(name, origins.api, make, explain);

// Where each of the API's cookies that the server set will go back to, from its Set-Cookie.
function cookiesSet(entries) {
  const sentences = [];
  for (const entry of requestsOf(entries)) {
    for (const cookie of entry.response.set_cookies.filter((c) => !c.cleared && [sessionName(), csrfName()].includes(c.name))) {
      sentences.push(cookie.domain
        ? t("mistakes.cookie.domain", { name: cookie.name, domain: cookie.domain, path: entry.request.path })
        : t("mistakes.cookie.hostOnly", { name: cookie.name, host: new URL(origins.api).hostname, path: entry.request.path }));
      if (cookie.httponly) sentences.push(t("mistakes.cookie.httpOnly", { name: cookie.name }));
    }
  }
  const [csrf] = requestsOf(entries);
  if (config?.CSRF_USE_SESSIONS && csrf && !csrf.response.set_cookies.some((c) => c.name === csrfName())) {
    sentences.push(t("mistakes.cookie.inSession", { session: sessionName() }));
  }
  return sentences;
}

const logIn = (call, token) => logInWith(call, token, { username: config?.demo_username ?? "alice", password: password() });

async function csrfThenLogIn(call) {
  const csrf = await call("/api/csrf/", { credentials: "include" });
  return logIn(call, csrf.body?.csrfToken);
}

// What this page's own script and its own server have of the API's cookies. Not a request to the
// API: document.cookie, and /received-cookies.json, which this page's host answers (same-origin).
async function scope(name) {
  const target = document.querySelector(`[data-result="${name}"]`);
  target.dataset.state = "running";
  const seen = scriptCookies();
  const answer = await tryFetch("/received-cookies.json");
  const received = answer.threw ? [] : answer.body.cookies;
  const host = location.host;
  const list = (names) => names.join(", ") || t("mistakes.scope.none");
  const sentences = [sessionName(), csrfName()].map((cookie) => {
    if (seen.includes(cookie)) return t("mistakes.scope.read", { name: cookie, host });
    if (received.includes(cookie)) return t("mistakes.scope.receivedNotRead", { name: cookie, host });
    return t("mistakes.scope.notReceived", { name: cookie, host });
  });
  target.replaceChildren(
    h("p", {}, t("mistakes.scope.script", { host }), " ",
      h("code", { "data-testid": "document-cookie", "data-names": seen.join(",") }, list(seen))),
    h("p", {}, t("mistakes.scope.server", { host }), " ",
      h("code", { "data-testid": "server-received", "data-names": received.join(",") }, list(received))),
    h("div", { class: "explain", "data-testid": "explanation" }, sentences.map((s) => h("p", {}, s))));
  target.dataset.state = "done";
}

// --- 3. credentials ------------------------------------------------------------------------------
function credentialsMode(stepName) {
  return document.querySelector(`#credentials [name="${stepName}"]`).value;
}

function explainCredentials(stepName) {
  return ({ entries, last }) => {
    const mode = credentialsMode(stepName);
    const [entry] = requestsOf(entries);
    const set = entry?.response.set_cookies.filter((c) => !c.cleared).map((c) => c.name) ?? [];
    return [
      t(`mistakes.credentials.why.${mode}`),
      entry && (entry.request.cookies.length
        ? t("mistakes.credentials.cookiesWent", { names: entry.request.cookies.join(", ") })
        : t("mistakes.credentials.noCookieWent")),
      set.length ? t(mode === "include" ? "mistakes.credentials.setKept" : "mistakes.credentials.setIgnored", { names: set.join(", ") }) : "",
      refusal(last),
    ];
  };
}

async function credentialsFlow() {
  // Every area of the flow is under way from the start: none shows the end of an earlier run.
  for (const name of ["credentials-csrf", "credentials-login", "credentials-me"]) {
    document.querySelector(`[data-result="${name}"]`).dataset.state = "running";
  }
  let token = "";
  await step("credentials-csrf", async (call) => {
    const result = await call("/api/csrf/", MODES[credentialsMode("csrf")]);
    token = result.body?.csrfToken ?? "";
  }, explainCredentials("csrf"));
  await step("credentials-login", (call) => call("/api/login/", {
    method: "POST", ...MODES[credentialsMode("login")],
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify({ username: config?.demo_username ?? "alice", password: password() }),
  }), explainCredentials("login"));
  await step("credentials-me", (call) => call("/api/me/", MODES[credentialsMode("me")]), explainCredentials("me"));
}

// The playground's endpoint, answering as django-cors-headers does with CORS_ALLOW_CREDENTIALS =
// False: Access-Control-Allow-Origin for this page, no Allow-Credentials.
const WITHOUT_ALLOW_CREDENTIALS = { cors: { CORS_ALLOWED_ORIGINS: ["{app}"], CORS_ALLOW_CREDENTIALS: false } };

function withoutAllowCredentials(call) {
  return call(`/playground/0/0/?s=${encodeURIComponent(JSON.stringify(WITHOUT_ALLOW_CREDENTIALS))}`, { credentials: "include" });
}

function explainWithoutAllowCredentials({ entries, last }) {
  const [entry] = requestsOf(entries);
  if (!entry) return [];
  const allowed = "access-control-allow-credentials" in entry.response.headers;
  return [
    entry.request.cookies.length ? t("mistakes.credentials.cookiesWent", { names: entry.request.cookies.join(", ") })
      : t("mistakes.credentials.noCookieWent"),
    last.threw && !allowed ? t("mistakes.credentials.noAllowCredentials", { status: entry.response.status }) : "",
  ];
}

// --- 4. the dev layout ---------------------------------------------------------------------------
function showDevLayoutState() {
  const state = byTestId("dev-layout-state");
  const front = origins.dev_front;
  if (!onDevFront) {
    state.replaceChildren(t("mistakes.dev.onApp", { page: location.origin }), " ",
      h("a", { href: `${front}/mistakes.html#dev-layout`, "data-link": "dev-front" }, `${front}/mistakes.html`));
  } else {
    state.textContent = config ? t("mistakes.dev.onFront", { page: front, api: origins.api })
      : t("mistakes.dev.notTrusted", { page: front });
  }
  document.body.dataset.layout = onDevFront ? "dev" : "subdomains";
}

async function devLogIn(call) {
  await csrfThenLogIn(call);
  return call("/api/me/", { credentials: "include" });
}

function explainDevLogIn({ entries }) {
  const [csrf, login, me] = requestsOf(entries);
  const session = login?.response.set_cookies.find((c) => c.name === sessionName() && !c.cleared);
  const back = me?.request.cookies.includes(sessionName());
  return [
    t("mistakes.dev.origins", { page: location.origin, api: origins.api }),
    csrf && t("mistakes.dev.site", { value: csrf.request.sec_fetch_site ?? "—" }),
    t(isSecureContext ? "mistakes.dev.secureContext" : "mistakes.dev.insecureContext", { page: location.origin }),
    session && (session.secure && back
      ? t("mistakes.dev.secureCameBack", { name: session.name, scheme: new URL(origins.api).protocol.replace(":", "") })
      : t("mistakes.dev.notBack", { name: session.name })),
    ...cookiesSet(entries),
  ];
}

// --- The buttons ---------------------------------------------------------------------------------
const STEPS = {
  "domain-login": () => step("domain-login", csrfThenLogIn, ({ entries, last }) => [...cookiesSet(entries), refusal(last)]),
  "domain-scope": () => scope("domain-scope"),
  "domain-cookie-login": () => step("domain-cookie-login", async (call) => {
    // The cookie is set again here, whatever the body says: the token is read from document.cookie
    // only, as Django's docs show for a page that Django served itself.
    await call("/api/csrf/", { credentials: "include" });
    const token = scriptCookie(csrfName());
    await logIn(call, token);
    return { token };
  }, ({ made, last }) => [
    made.token ? t("mistakes.cookieLogin.read", { name: csrfName() }) : t("mistakes.cookieLogin.none", { name: csrfName(), page: location.host }),
    refusal(last),
  ]),
  "proxy-login": () => step("proxy-login", csrfThenLogIn, ({ entries, last }) => {
    const login = requestsOf(entries).at(-1);
    return [last.ok && login ? t("mistakes.proxy.crossOriginWorks", { origin: login.request.origin }) : "", refusal(last)];
  }),
  "credentials-flow": credentialsFlow,
  "credentials-no-acac": () => step("credentials-no-acac", withoutAllowCredentials, explainWithoutAllowCredentials),
  "dev-login": () => step("dev-login", devLogIn, explainDevLogIn),
  "dev-scope": () => scope("dev-scope"),
};

function fillModeSelects() {
  for (const select of document.querySelectorAll("#credentials select")) {
    select.replaceChildren(...Object.keys(MODES).map((mode) => h("option", { value: mode }, t(`mistakes.credentials.mode.${mode}`))));
  }
}

document.querySelector('[data-link="sibling"]').href = `${origins.sibling}/#scope`;
// The proxy's lesson is the lab's TLS layout: the dev layout's front has no API page of its own.
document.querySelector('[data-link="same-origin"]').href = `${origins.api}/pages/same-origin.html`;
document.querySelector('[data-link="same-origin"]').parentElement.hidden = onDevFront;
fillModeSelects();
await showSettings();
showDevLayoutState();
runStepsOnClick(STEPS);
document.body.dataset.ready = "true";
