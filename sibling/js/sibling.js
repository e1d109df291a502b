// Cookie tossing from the sibling subdomain. A page may set a cookie for its parent domain
// (Domain=lab.localhost), which then rides every request to the API too; the __Host- prefix is
// the defence: such a cookie must be host-only, so the browser refuses it with a Domain.
// https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-the-__host-prefix

// Every sentence this script writes is a key "sibling.*" of the lab's i18n/en.js and i18n/ja.js.
import { t } from "./i18n.js";

const params = new URLSearchParams(location.search);
const site = location.hostname.split(".").slice(1).join(".");  // evil.lab.localhost -> lab.localhost
// 32 letters and digits: the shape of Django's CSRF secret, so its format check passes.
const secret = Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => "abcdefghijklmnopqrstuvwxyz0123456789"[byte % 36]).join("");

function toss() {
  const attributes = `Domain=${site}; Path=/; Secure; SameSite=Lax`;
  document.cookie = `csrftoken=${secret}; ${attributes}`;
  document.cookie = `__Host-csrftoken=${secret}; ${attributes}`;
  const names = document.cookie.split("; ").map((pair) => pair.split("=")[0]);
  document.querySelector('[data-seen="toss"]').textContent = t("sibling.tossed", { names: names.join(", ") }) + "\n" +
    t(names.includes("__Host-csrftoken") ? "sibling.hostPrefixAccepted" : "sibling.hostPrefixRefused");
}

// Which of the site's cookies this host gets: this page's document.cookie, and the names this
// host's own server received with a request (nginx/received-cookies.js answers it).
async function scope() {
  const script = document.cookie.split(";").map((pair) => pair.split("=")[0].trim()).filter(Boolean);
  const { cookies } = await (await fetch("/received-cookies.json")).json();
  const seen = document.querySelector('[data-seen="scope"]');
  Object.assign(seen.dataset, { script: script.join(","), server: cookies.join(","), state: "done" });
  seen.textContent = t("sibling.scope.script", { names: script.join(", ") || "—" }) + "\n" +
    t("sibling.scope.server", { names: cookies.join(", ") || "—" });
}

const run = encodeURIComponent(params.get("run") ?? "");
const links = {
  "form-tossed": `/form.html?target=display-name&toss=1&run=${run}`,
  "form-leak-mistake": `/form.html?target=leak-mistake&toss=1&run=${run}`,
  "form-leak-fixed": `/form.html?target=leak-fixed&toss=1&run=${run}`,
};
for (const [name, href] of Object.entries(links)) document.querySelector(`[data-link="${name}"]`).href = href;
document.querySelector('[data-action="toss"]').addEventListener("click", toss);
document.querySelector('[data-action="scope"]').addEventListener("click", scope);
document.body.dataset.tossReady = "true";
