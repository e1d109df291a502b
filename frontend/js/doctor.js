// The doctor's page: the learner's origins and settings go to the API (POST /api/doctor/), which
// judges them with the lab's models; this script only renders the report it gets back. The
// report's sentences come from the API in the page's language; the page's own words are keys
// "doctor.*" of i18n/en.js and i18n/ja.js.
import { h, loadConfig, t, tryFetch } from "./lab.js";

const ENGINES = ["chromium", "chromium-3pc-blocked", "firefox", "webkit"];
const form = document.getElementById("doctor-form");
const area = document.querySelector('[data-testid="doctor-report"]');

// The lab's page that shows this check or flow happen in a browser (the API says which), if any.
const labLink = (entry) => entry.lab_page
  ? h("a", { href: entry.lab_page, "data-testid": "lab-page" }, t("doctor.seeInLab"))
  : "";

function flowTable(report) {
  const flows = [...new Set(report.flows.map((flow) => flow.flow))];
  const cell = (flow, engine) => report.flows.find((f) => f.flow === flow && f.engine === engine);
  return h("div", { class: "scroll" }, h("table", { class: "matrix", "data-testid": "doctor-flows" },
    h("thead", {}, h("tr", {}, h("th", {}, t("doctor.flow")), ENGINES.map((engine) => h("th", {}, engine)))),
    h("tbody", {}, flows.map((flow) => h("tr", { "data-flow": flow }, h("th", {}, flow, " ", labLink(cell(flow, ENGINES[0]))), ENGINES.map((engine) => {
      const result = cell(flow, engine);
      return h("td", { "data-engine": engine, "data-works": String(result.works), title: result.why ?? "" },
        h("strong", { class: result.works ? "ok" : "warn" }, t(result.works ? "doctor.works" : "doctor.breaks")),
        result.reason ? h("div", { class: "muted" }, result.reason) : "");
    }))))));
}

function whyList(report) {
  const seen = new Map();
  for (const flow of report.flows.filter((f) => !f.works)) {
    const key = `${flow.flow}\n${flow.why}`;
    seen.set(key, [...(seen.get(key) ?? []), flow.engine]);
  }
  if (!seen.size) return h("p", { class: "ok", "data-testid": "doctor-all-work" }, t("doctor.allWork"));
  return h("ul", { "data-testid": "doctor-why" }, [...seen].map(([key, engines]) => {
    const [flow, why] = key.split("\n");
    return h("li", {}, h("strong", {}, flow), ` (${engines.join(", ")}): ${why}`);
  }));
}

function checkList(report) {
  if (!report.checks.length) return h("p", { class: "ok", "data-testid": "doctor-no-checks" }, t("doctor.noChecks"));
  return h("ul", { "data-testid": "doctor-checks" }, report.checks.map((check) =>
    h("li", { "data-check": check.id, "data-level": check.level },
      h("code", {}, check.id), " ", h("strong", { class: check.level === "error" ? "warn" : "" }, check.level), " ",
      check.message, " ", labLink(check), h("div", { class: "muted" }, check.hint),
      check.fix.length ? h("pre", {}, check.fix.join("\n")) : "")));
}

function notUnderstood(report) {
  const used = (report.not_understood ?? []).filter((entry) => entry.used);
  if (!used.length) return "";
  return [h("h3", {}, t("doctor.notUnderstood")), h("ul", { "data-testid": "doctor-not-understood" },
    used.map((entry) => h("li", {}, t("doctor.line", { line: entry.line }), " ", h("code", {}, entry.name), ": ", entry.why)))];
}

function render(report) {
  const sites = report.sites;
  area.replaceChildren(...[
    h("h2", {}, t("doctor.report", { front: report.front, api: report.api })),
    h("p", { class: "lesson", "data-testid": "doctor-same-site", "data-same-site": String(report.same_site) },
      t(report.same_site ? "doctor.sameSite" : "doctor.crossSite",
        { front: sites.front.site, api: sites.api.site })),
    flowTable(report), whyList(report),
    h("h3", {}, t("doctor.checks")), checkList(report), notUnderstood(report),
    report.generated ? h("details", { "data-testid": "doctor-generated" }, h("summary", {}, t("doctor.generated")),
      h("pre", {}, report.generated.settings), h("pre", {}, report.generated.nginx)) : "",
    h("details", {}, h("summary", {}, t("doctor.evidence")),
      h("ul", {}, Object.entries(report.engines).map(([engine, about]) => h("li", {}, h("strong", {}, engine), ": ", about.evidence)))),
  ].flat().filter(Boolean));
  area.dataset.state = "done";
}

function renderError(result) {
  const message = result.threw ? result.error : `HTTP ${result.status}: ${result.body?.message ?? ""}`;
  area.replaceChildren(h("p", { class: "warn", "data-testid": "doctor-error", "data-error": result.body?.error ?? "" }, message));
  area.dataset.state = "error";
}

async function show(request) {
  area.hidden = false;
  area.dataset.state = "running";
  area.replaceChildren(h("p", { class: "muted" }, t("doctor.running")));
  const result = await request;
  if (!result.threw && result.ok) render(result.body);
  else renderError(result);
}

async function main() {
  const { api } = await loadConfig();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(["front", "api", "settings"].map((name) => [name, form.elements[name].value]));
    show(tryFetch(`${api}/api/doctor/`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) }));
  });
  form.querySelector('[data-action="lab"]').addEventListener("click", () => {
    const front = form.elements["lab-front"].value;
    show(tryFetch(`${api}/api/doctor/lab/?front=${encodeURIComponent(front)}`));
  });
  document.body.dataset.ready = "true";
}

main();
