"""Writes e2e/test-results/leaks/tables.md and e2e/test-results/leaks/tables.json, the leak tables
of docs/sibling-and-leaks.md, from the one-column tables that e2e/test_leaks.py saved for each
SameSite setting and browser profile. scripts/run-e2e.sh runs it once every setting is done: the
settings run on two labs at once, so no single ledger holds all the columns. Standard library only
(the host's python3)."""

import json
from pathlib import Path

LEAKS = Path(__file__).resolve().parents[1] / "e2e" / "test-results" / "leaks"
SAMESITE_ORDER = ["Strict", "Lax", "None"]
PROFILE_ORDER = ["third-party-cookies-blocked", "third-party-cookies-allowed"]


def column_order(body: dict) -> tuple[int, int]:
    [column] = body["columns"]
    return SAMESITE_ORDER.index(column["samesite"]), PROFILE_ORDER.index(column["browser"])


def merged(bodies: list[dict]) -> dict:
    """The one-column tables side by side: every body has the same entries and rows, in order."""
    tables = []
    for index, leak in enumerate(bodies[0]["tables"]):
        rows = [{"row": row["row"], "cells": [cell for body in bodies for cell in body["tables"][index]["rows"][number]["cells"]]}
                for number, row in enumerate(leak["rows"])]
        tables.append({**leak, "rows": rows})
    return {"columns": [column for body in bodies for column in body["columns"]], "tables": tables}


def markdown(body: dict) -> str:
    header = [f"SameSite={c['samesite']}, {c['browser']}" for c in body["columns"]]
    lines = []
    for leak in body["tables"]:
        lines += [f"**{leak['title']}** (`{leak['slug']}`)", "", "| attacker | " + " | ".join(header) + " |",
                  "|---" * (len(header) + 1) + "|"]
        for row in leak["rows"]:
            cells = [f"{(cell['mistake'] or {}).get('outcome', 'not run')} / fix: {(cell['fixed'] or {}).get('outcome', 'not run')}"
                     for cell in row["cells"]]
            lines.append(f"| {row['row']} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main():
    saved = sorted(LEAKS.glob("*-third-party-cookies-*.json")) if LEAKS.exists() else []
    if not saved:
        return  # a subset of the suite that ran no leak test
    body = merged(sorted((json.loads(path.read_text()) for path in saved), key=column_order))
    (LEAKS / "tables.md").write_text(markdown(body))
    (LEAKS / "tables.json").write_text(json.dumps(body, indent=1))
    print(f"leak tables: {len(body['columns'])} columns in {LEAKS.relative_to(LEAKS.parents[2])}/tables.md")


if __name__ == "__main__":
    main()
