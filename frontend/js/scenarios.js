// The scenario catalogue (backend/scenarios/catalogue.py): a card per scenario, and for each run
// the timeline, the browser's view, the server's view and the model's verdict. A scenario is a
// named playground case: it runs through the playground's own runCase(), at the playground's
// endpoint, judged by the playground's verdict, and its playground link carries the same case.
import { fetchCallText, h, ledgerTable, loadConfig, newRunId, outcomeBlock, playgroundUrl, t, timeline,
  tryFetch, verdictBlock } from "./lab.js";
import { endpointUrl, requestInit, runCase } from "./playground.js";

// Every sentence this script writes is a key "scenarios.*" of i18n/en.js and i18n/ja.js. The
// scenarios' titles, lessons, verdicts and fixes come from the API, in the page's language.

const python = (value) => JSON.stringify(value).replace(/true/g, "True").replace(/false/g, "False");
const headerLines = (answer) => answer.headers.map(([name, value]) => `${name}: ${value}`).join("\n");

function serverDescription(scenario) {
  const { server, trailing_slash: trailingSlash } = scenario.case;
  const lines = [];
  if (server.raw) {
    lines.push(h("p", {}, t("scenarios.handWritten")));
    lines.push(h("pre", {}, `# ${t("scenarios.preflightAnswer")}: ${server.raw.preflight.status}\n${headerLines(server.raw.preflight)}\n`
      + `# ${t("scenarios.responseAnswer")}: ${server.raw.response.status}\n${headerLines(server.raw.response)}`));
  }
  if (server.cors) {
    lines.push(h("pre", {}, `# ${t("scenarios.corsComment")}\n` + Object.entries(server.cors)
      .map(([name, value]) => `${name} = ${python(value)}`).join("\n")));
  }
  lines.push(h("p", { class: "muted" }, t("scenarios.placeholders")));
  if (server.view === "crash") lines.push(h("p", {}, t("scenarios.crash")));
  if (trailingSlash === false) lines.push(h("p", {}, t("scenarios.trailingSlash")));
  return lines;
}

// Exported: the engines page (engines.js) runs the same scenarios with it.
export async function runScenario(scenario, area) {
  const runId = newRunId(scenario.slug);
  area.dataset.state = "running";
  area.replaceChildren();

  const { result, entries, verdict, verdictStatus } = await runCase(scenario.case, { runId });
  const parts = [h("h4", {}, t("scenarios.timeline")), timeline(entries), h("h4", {}, t("scenarios.browser")),
                 outcomeBlock(result)];
  if (!result.threw && scenario.read_header) {
    const value = result.headers[scenario.read_header.toLowerCase()];
    parts.push(h("p", { "data-testid": "header-check" }, value === undefined
      ? t("scenarios.headerUnreadable", { name: scenario.read_header })
      : t("scenarios.headerReadable", { name: scenario.read_header, value })));
  }
  parts.push(h("h4", {}, t("scenarios.serverView")), ledgerTable(entries));
  if (verdictStatus === 200) parts.push(h("h4", {}, t("scenarios.verdict")), verdictBlock(verdict, result));
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
  const { repeat } = scenario.case;
  return h("section", { class: "card", id: scenario.slug, "data-scenario": scenario.slug },
    h("h2", {}, scenario.title),
    h("p", { class: "lesson" }, scenario.lesson),
    h("h4", {}, t("scenarios.request")), h("pre", { class: "call" },
      // The server rides in the URL (s=): shown below, not as percent-encoded JSON.
      fetchCallText(endpointUrl(api, scenario.case, "…").replace(/&s=.*/, "&s=…"), requestInit(scenario.case))
      + (repeat > 1 ? `  // × ${repeat}` : "")),
    h("h4", {}, t("scenarios.server")), serverDescription(scenario),
    h("div", { class: "steps" }, button,
      h("a", { href: playgroundUrl(scenario.case), "data-playground": scenario.slug }, t("scenarios.openInPlayground"))),
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
