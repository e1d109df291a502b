// The "injected" script of xss.html: what any script running on the app's origin can do, whatever
// hole let it in. It reads what every script of this origin may read, and calls the API as the
// app does: CORS trusts this origin, and the browser attaches the API's cookies by itself. What it
// shows is what the browser gave it; its words are keys "xss.*" of i18n/en.js and i18n/ja.js.
import { h, loadConfig, pretty, t, tryFetch, withRun } from "./lab.js";

const { api } = await loadConfig();
// The tokens page names the run, so that its ledger shows what this script's requests did.
const run = new URLSearchParams(location.search).get("run") ?? "xss-stand-in";
const call = (path, init = {}) => tryFetch(withRun(api + path, run), init);
const REFRESH_KEY = "lab-token-refresh";  // read from the app's own code, as an attacker would

document.title = t("xss.title");
document.querySelector('[data-testid="heading"]').textContent = t("xss.heading");
document.querySelector('[data-testid="intro"]').textContent = t("xss.intro");

function section(mode, title, outcome, ...children) {
  return h("section", { class: "card", "data-took": mode, "data-outcome": outcome },
    h("h2", {}, title), children);
}

// (a) localStorage: everything in it, the app's tokens included.
const everything = Object.fromEntries(Object.entries(localStorage));
const stolen = everything[REFRESH_KEY] ?? null;
const useStolen = h("button", { "data-action": "use-stolen", disabled: stolen ? undefined : "" }, t("xss.a.use"));
const usedElsewhere = h("div", { "data-testid": "use-stolen" });
useStolen.addEventListener("click", async () => {
  useStolen.disabled = true;
  // credentials: "omit": no cookie of this browser goes with it, as from the attacker's own machine.
  const result = await call("/api/token/refresh/", { method: "POST", credentials: "omit",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ refresh: stolen }) });
  usedElsewhere.dataset.status = result.threw ? "threw" : String(result.status);
  usedElsewhere.replaceChildren(h("p", {}, result.status === 200 ? t("xss.a.usedOk")
    : t("xss.a.usedRefused", { status: usedElsewhere.dataset.status })),
    h("p", {}, result.body?.message ?? ""));
});
const took = [section("a", t("xss.a.title"), stolen ? "stolen" : "nothing",
  h("p", {}, stolen ? t("xss.a.stolen") : t("xss.a.nothing")),
  h("pre", { "data-testid": "local-storage" }, pretty(everything)),
  h("p", {}, useStolen), usedElsewhere)];

// (b) The refresh cookie: invisible to document.cookie, yet the browser sends it when asked.
const visible = document.cookie ? document.cookie.split("; ").map((pair) => pair.split("=")[0]) : [];
const csrf = await call("/api/csrf/", { credentials: "include" });
const refreshed = await call("/api/token/refresh/", { method: "POST", credentials: "include",
  headers: { "X-CSRFToken": csrf.body?.csrfToken ?? "" } });
const access = refreshed.ok ? refreshed.body.access : null;
const me = access ? await call("/api/token/me/", { headers: { Authorization: `Bearer ${access}` } }) : null;
const bSection = section("b", t("xss.b.title"), me?.ok ? "used" : "not-used",
  h("p", {}, t("xss.b.documentCookie", { names: visible.join(", ") || t("xss.none") })),
  h("p", {}, t("xss.b.refreshed", { status: refreshed.threw ? refreshed.error : refreshed.status })),
  me ? h("p", {}, t("xss.b.me", { status: me.status, username: me.body?.user?.username ?? "?" })) : "",
  h("p", { class: "muted" }, t("xss.b.memory")));
Object.assign(bSection.dataset, { cookieVisible: String(visible.includes("refresh_token")),
  refreshStatus: String(refreshed.status ?? "threw"), meStatus: String(me?.status ?? "") });
took.push(bSection);

// (c) The session cookie: ridden, never read.
const session = await call("/api/me/", { credentials: "include" });
const cSection = section("c", t("xss.c.title"), session.ok ? "rode" : "no-session",
  h("p", {}, t("xss.c.me", { status: session.threw ? session.error : session.status,
                             username: session.body?.user?.username ?? "?" })),
  h("p", { class: "muted" }, t("xss.c.note")));
cSection.dataset.meStatus = String(session.status ?? "threw");
took.push(cSection);

document.querySelector('[data-testid="took"]').replaceChildren(...took);
document.body.dataset.ready = "true";
