// The scenario catalogue (declared once in backend/scenarios/catalogue.py): a card per scenario,
// and for each run the timeline, the browser's view, the server's view and the model's verdict.
import {
  fetchCallText, h, ledgerTable, loadConfig, newRunId, outcomeBlock, playgroundUrl, readLedger, t, timeline,
  tryFetch, verdictBlock, withRun,
} from "./lab.js";

// Every sentence this script writes is a key "scenarios.*" of i18n/en.js and i18n/ja.js. The
// scenarios' titles, lessons, verdicts and fixes come from the API, in the page's language.

const python = (value) => JSON.stringify(value).replace(/true/g, "True").replace(/false/g, "False");

function serverDescription(scenario) {
  const lines = [];
  if (scenario.broken) lines.push(h("p", {}, t("scenarios.handWritten", { name: scenario.broken })));
  if (scenario.cors) {
    lines.push(h("pre", {}, `# ${t("scenarios.corsComment")}\n` + Object.entries(scenario.cors)
      .map(([name, value]) => `${name} = ${python(value).replace('"app"', '"<app origin>"')}`).join("\n")));
  }
  if (scenario.view === "crash") lines.push(h("p", {}, t("scenarios.crash")));
  if (!scenario.trailing_slash) lines.push(h("p", {}, t("scenarios.trailingSlash")));
  return lines;
}

function requestInit(scenario) {
  const init = { method: scenario.method, credentials: scenario.credentials };
  if (Object.keys(scenario.headers).length) init.headers = scenario.headers;
  if (scenario.body) init.body = scenario.body;
  return init;
}

// Exported: the engines page (engines.js) runs the same scenarios with it.
export async function runScenario(scenario, area) {
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

  const parts = [h("h4", {}, t("scenarios.timeline")), timeline(entries), h("h4", {}, t("scenarios.browser")),
                 outcomeBlock(result)];
  if (!result.threw && scenario.read_header) {
    const value = result.headers[scenario.read_header.toLowerCase()];
    parts.push(h("p", { "data-testid": "header-check" }, value === undefined
      ? t("scenarios.headerUnreadable", { name: scenario.read_header })
      : t("scenarios.headerReadable", { name: scenario.read_header, value })));
  }
  parts.push(h("h4", {}, t("scenarios.serverView")), ledgerTable(entries));
  if (verdictResponse.ok) parts.push(h("h4", {}, t("scenarios.verdict")), verdictBlock(verdictResponse.body, result));
  area.append(...parts);
  area.dataset.runId = runId;
  area.dataset.state = "done";
}

function scenarioCard(scenario, api) {
  const area = h("div", { class: "result", "data-result": scenario.slug });
  const button = h("button", { "data-run": scenario.slug }, `${t("scenarios.run")}: ${scenario.title}`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try { await runScenario(scenario, area); } finally { button.disabled = false; }
  });
  const shownUrl = `${api}${scenario.path}?run=…`;
  return h("section", { class: "card", id: scenario.slug, "data-scenario": scenario.slug },
    h("h2", {}, scenario.title),
    h("p", { class: "lesson" }, scenario.lesson),
    h("h4", {}, t("scenarios.request")), h("pre", { class: "call" },
      fetchCallText(shownUrl, requestInit(scenario)) + (scenario.repeat > 1 ? `  // × ${scenario.repeat}` : "")),
    h("h4", {}, t("scenarios.server")), serverDescription(scenario),
    h("div", { class: "steps" }, button,
      h("a", { href: playgroundUrl(scenario.playground), "data-playground": scenario.slug }, t("scenarios.openInPlayground"))),
    area);
}

async function main() {
  const { api } = await loadConfig();
  // In the page's language: the titles and lessons are translated by the API.
  const { body: { scenarios } } = await tryFetch(`${api}/api/scenarios/`);
  const list = document.getElementById("scenarios");
  list.replaceChildren(...scenarios.map((scenario) => scenarioCard(scenario, api)));
  document.querySelector('[data-action="run-all"]').addEventListener("click", async () => {
    for (const button of list.querySelectorAll("button[data-run]")) button.click();
  });
  document.body.dataset.ready = "true";
}

// Only on the scenarios page itself: the engines page imports runScenario.
if (document.getElementById("scenarios")) main();
