// The attacker's page. It can make the browser SEND requests to the API with your cookies (as
// SameSite allows), but it can only READ what CORS allows: here, nothing.

// Every sentence this script writes is a key "attacker.*" of the lab's i18n/en.js and i18n/ja.js.
// nginx serves the lab's translation modules here too (/js/i18n.js, /js/i18n/): one place per
// language for every page. A real attacker's site would of course have its own.
import { t } from "./i18n.js";

const params = new URLSearchParams(location.search);
const runId = params.get("run") ?? `attack-${crypto.getRandomValues(new Uint32Array(2)).join("")}`;
const { app, api } = await (await fetch("/lab-config.json")).json();
const withRun = (path) => `${api}${path}?run=${encodeURIComponent(runId)}`;
const seen = (name, text) => { document.querySelector(`[data-seen="${name}"]`).textContent = text; };

async function readWithCredentials(url) {
  try {
    const response = await fetch(url, { credentials: "include" });
    return t("attacker.readable", { status: response.status, body: await response.text() });
  } catch (error) {
    return t("attacker.threw", { error: `${error.name}: ${error.message}` });
  }
}

// An iframe or image fires only "load" or "error" for the page that embeds it: that is all it learns.
function embed(kind, url) {
  return new Promise((resolve) => {
    const element = document.createElement(kind === "image" ? "img" : "iframe");
    element.onload = () => resolve(t("attacker.loaded", { kind }));
    element.onerror = () => resolve(t("attacker.failed", { kind }));
    element.src = url;
    document.querySelector("[data-frames]").append(element);
  });
}

const links = {
  "server-side": `${app}/cookies.html?run=${encodeURIComponent(runId)}`,
  "form-display-name": `/form.html?target=display-name&run=${encodeURIComponent(runId)}`,
  "navigate-me": withRun("/api/me/"),
  "navigate-probe": withRun("/api/cookies/probe/cross-site-navigation/"),
  "form-probe": `/form.html?target=probe&run=${encodeURIComponent(runId)}`,
};
// The sibling's page (sibling/index.html) reuses this script with fewer of these links.
for (const [name, href] of Object.entries(links)) {
  const link = document.querySelector(`[data-link="${name}"]`);
  if (link) link.href = href;
}
document.querySelector('[data-testid="run-id"]').textContent = runId;

const actions = {
  "read-me": async () => seen("read-me", await readWithCredentials(withRun("/api/me/"))),
  "frame-me": async () => seen("embed-me", await embed("iframe", withRun("/api/me/"))),
  "image-me": async () => seen("embed-me", await embed("image", withRun("/api/me/"))),
  "run-probes": async () => {
    const results = await Promise.all([
      readWithCredentials(withRun("/api/cookies/probe/cross-site-fetch/")),
      embed("iframe", withRun("/api/cookies/probe/cross-site-iframe/")),
      embed("image", withRun("/api/cookies/probe/cross-site-image/")),
    ]);
    seen("probes", results.join("\n"));
  },
};
document.body.addEventListener("click", async (event) => {
  const button = event.target.closest("button");
  const action = actions[button?.dataset.attack ?? button?.dataset.action];
  if (!action) return;
  button.disabled = true;
  await action();
  button.disabled = false;
  button.dataset.state = "done";
});
document.body.dataset.ready = "true";
