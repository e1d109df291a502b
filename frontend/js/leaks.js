// The leak tables: for each mistake of backend/leaks/catalogue.py, who got the victim's data, as
// the server's record says (backend/crossorigin/defences.py, the cookies page's attacks say the
// same). Rows: the same-site sibling and the cross-site attacker; columns: the session cookie's
// SameSite x the browser each run came from.
import { h, loadConfig, newRunId, t, tryFetch } from "./lab.js";

// Every sentence this script writes is a key "leaksPage.*" of i18n/en.js and i18n/ja.js.
const SHORT = ["leaked", "written", "cors", "cors_no_cookie", "cookie_kept_home", "csrf_origin", "csrf_token",
  "stopped_twice", "other"];

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
  return cell ? t(`leaksPage.short.${SHORT.includes(cell.outcome) ? cell.outcome : "other"}`) : t("leaksPage.notRun");
}

// A server of the case grammar, as the settings a learner writes (origins filled in by the API).
function settingsOf(server) {
  const settings = JSON.stringify(server.cors ?? server.csrf);
  return server.origin_test ? `${settings} + ${t("leaksPage.handWritten", { name: server.origin_test })}` : settings;
}

function tableOf(leak, header) {
  return h("section", { class: "card", "data-leak": leak.slug },
    h("h2", {}, leak.title),
    h("p", { class: "lesson" }, leak.lesson),
    h("p", {}, h("code", {}, settingsOf(leak.mistake)), " → ", t("leaksPage.fixed"), ": ",
      h("code", {}, settingsOf(leak.fix)), " (", leak.check ? t("leaksPage.check", { id: leak.check }) : t("leaksPage.noCheck"), ")"),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, ""), header.map((column) => h("th", {}, t("leaksPage.column", { samesite: column.samesite, browser: column.browser }))))),
      h("tbody", {}, leak.rows.map((row) => h("tr", { "data-row": row.row },
        h("th", {}, t(`leaksPage.row.${row.row}`)),
        row.cells.map((cell) => h("td", { "data-samesite": cell.samesite, "data-browser": cell.browser,
          "data-outcome": cell.mistake?.outcome ?? "", "data-fixed-outcome": cell.fixed?.outcome ?? "",
          title: cell.mistake?.message ?? "" },
        `${t("leaksPage.mistake")}: ${cellText(cell.mistake)} / ${t("leaksPage.fixed")}: ${cellText(cell.fixed)}`)))))));
}

async function showTables() {
  const query = columns.map((column) => `column=${encodeURIComponent(column)}`).join("&");
  const { body } = await tryFetch(`${config.api}/api/leaks/table/?${query}`);
  if (!body.columns?.length) return byTestId("tables").replaceChildren(h("p", { class: "muted" }, t("leaksPage.nothingYet")));
  byTestId("tables").replaceChildren(...body.tables.map((leak) => tableOf(leak, body.columns)));
  document.body.dataset.tablesShown = "true";
}

document.querySelector('[data-action="show-tables"]').addEventListener("click", showTables);
document.body.dataset.ready = "true";
