// A page of the API's own origin (same-origin.html, served on the API's host under /pages/): the
// cookie login as Django's own pages make it, same-origin. What it shows: Django's Origin check
// under a proxy that lost the scheme, and the CSRF cookie in this origin's document.cookie.
// Every sentence is a key "sameOrigin.*" or "mistakes.*" of i18n/en.js and i18n/ja.js.
import { h, loadConfig, t, tryFetch } from "./lab.js";
import { logIn, refusal, requestsOf, runStepsOnClick, scriptCookie, step } from "./steps.js";

const origins = await loadConfig();
const config = await tryFetch(`${origins.api}/api/config/`).then((result) => (result.ok ? result.body : null));
const csrfName = config?.CSRF_COOKIE_NAME ?? "csrftoken";
const credentials = () => ({ username: config?.demo_username ?? "alice", password: document.querySelector('[name="password"]').value });

// The facts behind Django's verdict: the Origin the browser sent, the Host, and (in a refusal)
// the origin Django compared it with.
function explain({ entries, last }) {
  const login = requestsOf(entries).at(-1);
  if (!login) return [];
  const own = last.body?.own_origin;
  return [
    t("sameOrigin.sent", { origin: login.request.origin ?? "—", host: new URL(origins.api).host }),
    own ? t("sameOrigin.compared", { own }) : "",
    last.ok ? t("sameOrigin.passed") : "",
    refusal(last),
  ];
}

// No credentials option: fetch()'s default, "same-origin", sends and keeps cookies here, since
// this page and the API are one origin (what the app's page needs "include" for).
const STEPS = {
  "same-origin-login": () => step("same-origin-login", origins.api, async (call) => {
    const csrf = await call("/api/csrf/");
    return logIn(call, csrf.body?.csrfToken, credentials(), {});
  }, explain),
  "same-origin-cookie-login": () => step("same-origin-cookie-login", origins.api, async (call) => {
    await call("/api/csrf/");
    const token = scriptCookie(csrfName);
    await logIn(call, token, credentials(), {});
    return { token };
  }, (facts) => [facts.made.token ? t("mistakes.cookieLogin.read", { name: csrfName })
    : t("mistakes.cookieLogin.none", { name: csrfName, page: location.host }), ...explain(facts)]),
};

byTestId("page-origin").textContent = location.origin;
document.querySelector('[data-link="mistakes"]').href = `${origins.app}/mistakes.html#proxy-scheme`;
if (location.origin !== origins.api) {
  const warning = byTestId("not-the-api");
  warning.hidden = false;
  warning.replaceChildren(t("sameOrigin.notTheApi"), " ", h("a", { href: `${origins.api}/pages/same-origin.html` }, origins.api));
}
runStepsOnClick(STEPS);
document.body.dataset.ready = "true";

function byTestId(id) {
  return document.querySelector(`[data-testid="${id}"]`);
}
