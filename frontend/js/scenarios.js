// The scenario catalogue (declared once in backend/scenarios/catalogue.py): a card per scenario,
// and for each run the timeline, the browser's view, the server's view and the model's verdict.
import {
  fetchCallText, h, ledgerTable, loadConfig, newRunId, outcomeBlock, playgroundUrl, readLedger, timeline, tryFetch,
  verdictBlock, withRun,
} from "./lab.js";

// Every sentence this script writes, in one place for translation.
const TEXT = {
  request: "The request the page makes",
  server: "The server's CORS behaviour",
  handWritten: (name) => `Hand-written in backend/scenarios/broken_cors.py (${name}): django-cors-headers refuses to send this.`,
  crash: "The view raises an exception: Django's 500 page is made outside the CORS code.",
  trailingSlash: "Called without its trailing slash, so Django's APPEND_SLASH redirects it.",
  run: "Run",
  openInPlayground: "Open in the playground",
  timeline: "Timeline (the server's record, in order)",
  browser: "The browser's view",
  serverView: "The server's view",
  verdict: "Verdict of the Fetch model",
  headerReadable: (name, value) => value === undefined
    ? `The script cannot read ${name}: response.headers.get() returns null.`
    : `The script reads ${name}: ${value}.`,
};

const python = (value) => JSON.stringify(value).replace(/true/g, "True").replace(/false/g, "False");

function serverDescription(scenario) {
  const lines = [];
  if (scenario.broken) lines.push(h("p", {}, TEXT.handWritten(scenario.broken)));
  if (scenario.cors) {
    lines.push(h("pre", {}, "# django-cors-headers, for this scenario only\n" + Object.entries(scenario.cors)
      .map(([name, value]) => `${name} = ${python(value).replace('"app"', '"<app origin>"')}`).join("\n")));
  }
  if (scenario.view === "crash") lines.push(h("p", {}, TEXT.crash));
  if (!scenario.trailing_slash) lines.push(h("p", {}, TEXT.trailingSlash));
  return lines;
}

function requestInit(scenario) {
  const init = { method: scenario.method, credentials: scenario.credentials };
  if (Object.keys(scenario.headers).length) init.headers = scenario.headers;
  if (scenario.body) init.body = scenario.body;
  return init;
}

async function runScenario(scenario, area) {
  const { api } = await loadConfig();
  const runId = newRunId(scenario.slug);
  const url = withRun(api + scenario.path, runId);
  const init = requestInit(scenario);
  area.dataset.state = "running";
  area.replaceChildren();

  let result;
  for (let i = 0; i < scenario.repeat; i += 1) result = await tryFetch(url, init);
  const entries = await readLedger(runId);
  const verdictResponse = await tryFetch(`${api}/api/scenarios/${scenario.slug}/verdict/?run=${runId}`);

  const parts = [h("h4", {}, TEXT.timeline), timeline(entries), h("h4", {}, TEXT.browser), outcomeBlock(result)];
  if (!result.threw && scenario.read_header) {
    parts.push(h("p", { "data-testid": "header-check" },
      TEXT.headerReadable(scenario.read_header, result.headers[scenario.read_header.toLowerCase()])));
  }
  parts.push(h("h4", {}, TEXT.serverView), ledgerTable(entries));
  if (verdictResponse.ok) parts.push(h("h4", {}, TEXT.verdict), verdictBlock(verdictResponse.body, result));
  area.append(...parts);
  area.dataset.runId = runId;
  area.dataset.state = "done";
}

function scenarioCard(scenario, api) {
  const area = h("div", { class: "result", "data-result": scenario.slug });
  const button = h("button", { "data-run": scenario.slug }, `${TEXT.run}: ${scenario.title}`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try { await runScenario(scenario, area); } finally { button.disabled = false; }
  });
  const shownUrl = `${api}${scenario.path}?run=…`;
  return h("section", { class: "card", id: scenario.slug, "data-scenario": scenario.slug },
    h("h2", {}, scenario.title),
    h("p", { class: "lesson" }, scenario.lesson),
    h("h4", {}, TEXT.request), h("pre", { class: "call" },
      fetchCallText(shownUrl, requestInit(scenario)) + (scenario.repeat > 1 ? `  // × ${scenario.repeat}` : "")),
    h("h4", {}, TEXT.server), serverDescription(scenario),
    h("div", { class: "steps" }, button,
      h("a", { href: playgroundUrl(scenario.playground), "data-playground": scenario.slug }, TEXT.openInPlayground)),
    area);
}

async function main() {
  const { api } = await loadConfig();
  const { scenarios } = await (await fetch(`${api}/api/scenarios/`)).json();
  const list = document.getElementById("scenarios");
  list.replaceChildren(...scenarios.map((scenario) => scenarioCard(scenario, api)));
  document.querySelector('[data-action="run-all"]').addEventListener("click", async () => {
    for (const button of list.querySelectorAll("button[data-run]")) button.click();
  });
  document.body.dataset.ready = "true";
}

main();
