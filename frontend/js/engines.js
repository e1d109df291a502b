// The cross-engine table (frontend/engines.json, written by `make engines-doc` from the test
// suite's report), the engine the learner is probably using, and the CORS rows run right here
// with the scenarios page's own runner.
import { h, loadConfig, t } from "./lab.js";
import { runScenario } from "./scenarios.js";

// The engines' names are names, not words: they stay as they are in every language.
const ENGINES = { chromium: "Chromium", firefox: "Firefox ESR", webkit: "WebKitGTK" };

// A guess, said as one: Chromium-based browsers announce brands, Firefox says Firefox/, and
// WebKit says AppleWebKit without Chrome.
export function guessEngine(nav = navigator) {
  const ua = nav.userAgent;
  if (nav.userAgentData?.brands?.some((b) => b.brand === "Chromium") || /Chrome\/|Chromium\//.test(ua)) return "chromium";
  if (/Firefox\//.test(ua)) return "firefox";
  if (/AppleWebKit\//.test(ua)) return "webkit";
  return null;
}

function label(caseName) {
  const [kind, ...rest] = caseName.split("/");
  return kind === "cookie" ? `cookie ${rest[0]} in ${rest[1]}` : `${kind} ${rest.join("/")}`;
}

function resultCell(result) {
  if (!result) return h("td", { class: "muted" }, t("engines.notRun"));
  return h("td", { "data-outcome": result.outcome },
    h("strong", { class: result.outcome === "readable" || result.outcome === "sent" ? "ok" : "warn" }, result.outcome),
    result.reason ? h("div", { class: "muted" }, result.reason) : "");
}

function hereCell(caseName, scenarios) {
  const [kind, slug] = caseName.split("/");
  if (kind === "cookie") return h("td", {}, h("a", { href: "/cookies.html" }, t("engines.cookieHere")));
  const scenario = scenarios.find((s) => s.slug === slug);
  if (kind !== "cors" || !scenario) return h("td", {});
  const area = h("div", { class: "result", "data-result": slug });
  const button = h("button", { "data-run": slug }, t("engines.runHere"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try { await runScenario(scenario, area); } finally { button.disabled = false; }
  });
  return h("td", {}, button, area);
}

function caseTable(cases, report, scenarios, guess) {
  return h("div", { class: "scroll" }, h("table", { class: "matrix" },
    h("thead", {}, h("tr", {}, h("th", {}, t("engines.caseHeading")),
      Object.keys(ENGINES).map((e) => h("th", { "data-engine": e, class: e === guess ? "ok" : "" }, ENGINES[e])),
      h("th", {}, t("engines.here")))),
    h("tbody", {}, cases.map((c) => h("tr", { "data-case": c }, h("th", {}, h("code", {}, label(c))),
      Object.keys(ENGINES).map((e) => resultCell(report.by_set.localhost[e]?.[c])),
      hereCell(c, scenarios))))));
}

// The cases whose outcome changes with the names the lab runs under (engines.json's
// name_changes): one row per engine and case, one column per set of names.
function nameChangesTable(report) {
  const sets = Object.keys(report.sets ?? {});
  if (!report.name_changes?.length) return h("p", { class: "muted" }, t("engines.noNameChanges"));
  return h("div", { class: "scroll" }, h("table", { class: "matrix", "data-testid": "name-changes" },
    h("thead", {}, h("tr", {}, h("th", {}, t("engines.caseHeading")), h("th", {}, t("engines.engineHeading")),
      sets.map((s) => h("th", { "data-set": s }, h("code", {}, `${report.sets[s].app} → ${report.sets[s].api}`))))),
    h("tbody", {}, report.name_changes.map(([c, e]) => h("tr", { "data-case": c, "data-engine": e },
      h("th", {}, h("code", {}, label(c))), h("td", {}, ENGINES[e]),
      sets.map((s) => resultCell(report.by_set[s]?.[e]?.[c])))))));
}

async function main() {
  const { api } = await loadConfig();
  const report = await (await fetch("/engines.json")).json();
  const { scenarios } = await (await fetch(`${api}/api/scenarios/`)).json();
  const guess = guessEngine();
  document.querySelector('[data-testid="your-engine"]').textContent =
    guess ? t("engines.yourEngine", { name: ENGINES[guess] }) : t("engines.unknownEngine");
  document.querySelector('[data-testid="your-engine"]').dataset.engine = guess ?? "";
  document.querySelector('[data-testid="versions"]').replaceChildren(h("h2", {}, t("engines.versions")),
    h("ul", {}, Object.entries(ENGINES).map(([e, name]) =>
      h("li", { "data-version": e }, `${name} ${report.engines[e]?.version ?? "?"}`))),
    h("p", { class: "muted" }, t("engines.webkitNote")));
  document.querySelector('[data-testid="engine-table"]').replaceChildren(
    h("h2", {}, t("engines.keyRows")), caseTable(report.key_cases, report, scenarios, guess),
    h("h2", {}, t("engines.differ")), caseTable(report.differ.filter((c) => !report.key_cases.includes(c)), report, scenarios, guess),
    h("h2", {}, t("engines.nameChanges")), h("p", {}, t("engines.nameChangesIntro")), nameChangesTable(report));
  document.body.dataset.ready = "true";
}

main();
