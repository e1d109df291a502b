// A step of the mistakes pages (mistakes.js, same-origin.js): a few requests to the API under one
// run id, shown with their calls, what the browser gave the page, sentences, and what the server
// received (the ledger). Sentences are keys "mistakes.*" of i18n/en.js and i18n/ja.js.
import { fetchCallText, h, ledgerTable, newRunId, outcomeBlock, readLedger, t, tryFetch, withRun } from "./lab.js";

export const requestsOf = (entries) => entries.filter((entry) => entry.kind === "request");

// The names, and a value, of this page's document.cookie.
export const scriptCookies = () => document.cookie.split(";").map((pair) => pair.split("=")[0].trim()).filter(Boolean);
export const scriptCookie = (name) => document.cookie.split("; ").find((pair) => pair.startsWith(`${name}=`))?.slice(name.length + 1) ?? null;

// make(call) makes the step's requests through call(path, init), which adds the step's run id,
// shows the call and keeps the browser's result; explain() turns the results and the server's
// record into sentences. The area [data-result=name] gets data-run-id and data-state="done".
export async function step(name, api, make, explain) {
  const target = document.querySelector(`[data-result="${name}"]`);
  const runId = newRunId(name);
  const calls = h("pre", { class: "call", "data-testid": "call" });
  target.dataset.state = "running";
  target.replaceChildren(calls);
  const results = [];
  const call = async (path, init = {}) => {
    const url = withRun(api + path, runId);
    calls.append(`${fetchCallText(url, init)}\n`);
    const result = await tryFetch(url, init);
    results.push(result);
    return result;
  };
  const made = await make(call);
  const entries = await readLedger(runId);
  const sentences = explain({ results, entries, made, last: results.at(-1) });
  target.append(outcomeBlock(results.at(-1)),
    h("div", { class: "explain", "data-testid": "explanation" }, sentences.filter(Boolean).map((s) => h("p", {}, s))),
    h("h4", {}, t("mistakes.serverHeading")), ledgerTable(entries));
  target.dataset.runId = runId;
  target.dataset.state = "done";
}

// What the API's answer to a refused request said, in its own words (a JSON error of lab/api.py),
// with Django's untranslated reason where there is one.
export function refusal(result) {
  if (result.threw || result.ok || typeof result.body !== "object") return null;
  return result.body.reason
    ? t("mistakes.server.refusedWithReason", { status: result.status, message: result.body.message, reason: result.body.reason })
    : t("mistakes.server.refused", { status: result.status, message: result.body.message });
}

// The cookie login: POST /api/login/ with the token (if any) in X-CSRFToken. `mode`: fetch()'s
// credentials option, "include" unless the caller passes {} (the default, "same-origin").
export function logIn(call, token, { username, password }, mode = { credentials: "include" }) {
  return call("/api/login/", {
    method: "POST", ...mode,
    headers: { "Content-Type": "application/json", ...(token ? { "X-CSRFToken": token } : {}) },
    body: JSON.stringify({ username, password }),
  });
}

// Each button[data-step] runs steps[its name], and stays disabled until that step is done.
export function runStepsOnClick(steps) {
  document.body.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-step]");
    if (!button) return;
    button.disabled = true;
    try { await steps[button.dataset.step](); } finally { button.disabled = false; }
  });
}
