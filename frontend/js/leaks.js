// The leak tables: for each mistake of backend/leaks/catalogue.py, who got the victim's data, as
// the server's record says (backend/leaks/outcomes.py). Rows: the same-site sibling and the
// cross-site attacker; columns: the session cookie's SameSite x the browser each run came from.
import { h, loadConfig, newRunId, tryFetch } from "./lab.js";

// Every sentence this script writes, in one place for translation.
const TEXT = {
  rows: { sibling: "sibling (same site)", "cross-site": "cross-site attacker" },
  column: (column) => `SameSite=${column.samesite}, ${column.browser}`,
  mistake: "mistake", fixed: "fix", notRun: "not run",
  check: (id) => `system check ${id}`,
  noCheck: "hand-written code: no settings check can see it",
  nothingYet: "No attack of these runs has reached the API yet.",
  short: { leaked: "LEAKED", written: "WRITTEN", cors_refused: "CORS held", no_cookie: "no cookie",
    csrf_origin: "Origin check held", csrf_token: "CSRF token held", other: "other" },
};

const params = new URLSearchParams(location.search);
// ?column=<browser label>:<run id>, repeated; by default this browser and a fresh run.
const columns = params.getAll("column").length ? params.getAll("column") : [`this-browser:${newRunId("leaks")}`];
const runId = columns[0].split(":")[1];
const config = await loadConfig();
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

byTestId("run-id").textContent = runId;
const attackers = { sibling: config.sibling, attacker: config.attacker, ...config.lookalikes };
byTestId("attacker-links").replaceChildren(...Object.entries(attackers).map(([role, origin]) =>
  h("a", { href: `${origin}/${role === "sibling" ? "" : "leaks.html"}?run=${runId}#leaks`, target: "_blank",
    "data-attacker-link": role }, new URL(origin).host)));

function cellText(cell) {
  return cell ? TEXT.short[cell.outcome] : TEXT.notRun;
}

function tableOf(leak, header) {
  return h("section", { class: "card", "data-leak": leak.slug },
    h("h2", {}, leak.title),
    h("p", { class: "lesson" }, leak.lesson),
    h("p", {}, h("code", {}, JSON.stringify(leak.mistake)), " → ", TEXT.fixed, ": ",
      h("code", {}, JSON.stringify(leak.fix)), " (", leak.check ? TEXT.check(leak.check) : TEXT.noCheck, ")"),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, ""), header.map((column) => h("th", {}, TEXT.column(column))))),
      h("tbody", {}, leak.rows.map((row) => h("tr", { "data-row": row.row },
        h("th", {}, TEXT.rows[row.row]),
        row.cells.map((cell) => h("td", { "data-samesite": cell.samesite, "data-browser": cell.browser,
          "data-outcome": cell.mistake?.outcome ?? "", "data-fixed-outcome": cell.fixed?.outcome ?? "",
          title: cell.mistake?.message ?? "" },
        `${TEXT.mistake}: ${cellText(cell.mistake)} / ${TEXT.fixed}: ${cellText(cell.fixed)}`)))))));
}

async function showTables() {
  const query = columns.map((column) => `column=${encodeURIComponent(column)}`).join("&");
  const { body } = await tryFetch(`${config.api}/api/leaks/table/?${query}`);
  if (!body.columns?.length) return byTestId("tables").replaceChildren(h("p", { class: "muted" }, TEXT.nothingYet));
  byTestId("tables").replaceChildren(...body.tables.map((leak) => tableOf(leak, body.columns)));
  document.body.dataset.tablesShown = "true";
}

document.querySelector('[data-action="show-tables"]').addEventListener("click", showTables);
document.body.dataset.ready = "true";
