// The attacks on the token lifecycle's refresh endpoint, from another site (attacker.localhost) or
// from the same site (the sibling, evil.lab.localhost, which serves this file too). The page can
// make the browser SEND requests with the refresh cookie, as SameSite allows; it can READ only
// what CORS allows: nothing. The app's token page shows what the API received.

// Every sentence this script writes is a key "tokenAttacks.*" or "attacker.*" of the lab's
// i18n/en.js and i18n/ja.js (served here too, as for the attacker's other pages).
import { t } from "./i18n.js";

const params = new URLSearchParams(location.search);
const runId = params.get("run") ?? `attack-${crypto.getRandomValues(new Uint32Array(2)).join("")}`;
const { app, api, sibling } = await (await fetch("/lab-config.json")).json();
const refreshUrl = `${api}/api/token/refresh/?run=${encodeURIComponent(runId)}`;
const seen = (name, text) => { document.querySelector(`[data-seen="${name}"]`).textContent = text; };

async function attempt(init) {
  try {
    const response = await fetch(refreshUrl, init);
    return t("attacker.readable", { status: response.status, body: await response.text() });
  } catch (error) {
    return t("attacker.threw", { error: `${error.name}: ${error.message}` });
  }
}

// A top-level POST with no field: the request relies on the cookie alone.
function submitForm() {
  const form = Object.assign(document.createElement("form"), { method: "post", action: refreshUrl });
  document.body.append(form);
  form.submit();
}

const actions = {
  // A simple request (no header of its own, no body): sent without a preflight.
  "refresh-fetch": async () => seen("refresh-fetch", await attempt({ method: "POST", credentials: "include" })),
  "refresh-form": submitForm,
  // A JSON body needs a preflight first.
  "refresh-json": async () => seen("refresh-json", await attempt({ method: "POST", credentials: "include",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ refresh: "a token this page does not have" }) })),
};

document.querySelector('[data-testid="who"]').textContent =
  t(location.origin === sibling ? "tokenAttacks.whoSibling" : "tokenAttacks.whoAttacker");
document.querySelector('[data-testid="run-id"]').textContent = runId;
document.querySelector('[data-link="refresh-link"]').href = refreshUrl;
document.querySelector('[data-link="server-side"]').href = `${app}/tokens.html?run=${encodeURIComponent(runId)}`;
document.body.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-attack]");
  if (!button) return;
  button.disabled = true;
  await actions[button.dataset.attack]();
  button.disabled = false;
  button.dataset.state = "done";
});
document.body.dataset.ready = "true";
