"""Writes the blocks of README*.md and docs/ that come from a run, so that no engine version, test
count or timing in them is typed by hand. A block sits between two markers,
    <!-- begin generated: NAME by scripts/docs-from-run.py -->
    <!-- end generated: NAME -->
and is rewritten whole, in English or, in README.ja.md and docs/ja/, in Japanese:

    transcript       logs/make-up.log and logs/make-test.log (make transcript): the lines a reader
                     needs, "..." for the others, the demo password left out
    test-times       logs/make-test.log: each part's count and the time it reported
    engine-versions  e2e/engine-results/engines.json (written by every make test)
    leak-tables      e2e/test-results/leaks/tables.md (scripts/leak-tables.py)
    bench            logs/make-bench.log (make bench)
    bench-ceiling    logs/make-bench-ceiling.log (make bench-ceiling)

A block whose source is missing is left as it is, and said so. A log of a run that failed is
refused: the docs show what a green run does. scripts/check-docs.py checks the result.
Usage: python3 scripts/docs-from-run.py   (make docs-from-run; make transcript runs it)
"""

import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "logs"
ENGINES = ROOT / "e2e" / "engine-results" / "engines.json"
LEAK_TABLES = ROOT / "e2e" / "test-results" / "leaks" / "tables.md"
BLOCK = re.compile(r"(<!-- begin generated: ([\w-]+) by scripts/docs-from-run\.py -->\n)(.*?)(<!-- end generated: \2 -->)", re.S)
ENGINE_NAMES = {"chromium": "Chromium", "firefox": "Firefox ESR", "webkit": "WebKitGTK"}
PYTEST_SUMMARY = re.compile(r"^=*\s*(.*\b\d+ passed.*) in ([\d.]+)s(?: \([\d:]+\))?\s*=*$")


class Refused(Exception):
    pass


# --- Reading a log of scripts/record-run.sh -------------------------------------------------------

class Run:
    """One log of scripts/record-run.sh: its frame (when, which commit, the load) and its lines."""

    def __init__(self, path: Path):
        self.path = path
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        frame = {}
        for line in lines:
            if match := re.match(r"^# (record-run|started|commit|machine|ended): (.*)$", line):
                frame[match.group(1)] = match.group(2)
        self.lines = [line for line in lines if not re.match(r"^# (record-run|started|commit|machine|ended): ", line)]
        if "ended" not in frame:
            raise Refused(f"{path.relative_to(ROOT)} has no end: the run was interrupted")
        ended = re.match(r"status (\d+) after (\d+) s, load average (\S+)", frame["ended"])
        if not ended or ended.group(1) != "0":
            raise Refused(f"{path.relative_to(ROOT)}: the run failed ({frame['ended']}); the docs show a green run")
        self.started = frame["started"]
        self.date = frame["started"][:10]
        self.commit = frame["commit"]
        machine = re.match(r"(\S+) cores, load average (\S+)", frame["machine"])
        self.cores, self.load_start = machine.groups() if machine else ("?", "?")
        self.seconds, self.load_end = int(ended.group(2)), ended.group(3)


def stamp(run: Run, language: str) -> str:
    if language == "ja":
        return (f"{run.date} の実行(コミット {run.commit}、{run.cores} コアのマシン、ロードアベレージは開始時 "
                f"{run.load_start}、終了時 {run.load_end})")
    return (f"the run of {run.date} (commit {run.commit}, a {run.cores}-core machine, load average "
            f"{run.load_start} at the start and {run.load_end} at the end)")


# --- transcript ---------------------------------------------------------------------------------

def kept_lines(lines: list[str], keep) -> list[str]:
    """The lines KEEP(index) selects, with one "..." for every run of lines left out."""
    out = []
    for index, line in enumerate(lines):
        if keep(index):
            out.append(re.sub(r"(demo login\s+alice / ).*", r"\1<LAB_DEMO_PASSWORD of your .env>", line))
        elif out and out[-1] != "...":
            out.append("...")
    while out and out[-1] in ("...", ""):
        out.pop()
    return out


def up_block(lines: list[str]) -> set[int]:
    """The indexes of the first "The lab is up." block: its blank line before, through "lab CA"."""
    for index, line in enumerate(lines):
        if line == "The lab is up.":
            end = next(i for i in range(index, len(lines)) if lines[i].lstrip().startswith("lab CA"))
            return set(range(index - 1, end + 1))
    raise Refused("the make up log never says 'The lab is up.'")


def make_up_lines(run: Run) -> list[str]:
    lines = run.lines
    block = up_block(lines)
    keep = lambda i: i in block or re.match(r"^(Wrote \.env|make-certs: |check-host: )", lines[i])
    return kept_lines(lines, keep)


def make_test_lines(run: Run) -> list[str]:
    lines = run.lines
    keep = set()
    unit_tests = False
    for index, line in enumerate(lines):
        # The named settings other than the default are left out: the last line counts them in, and
        # docs/testing.md has each one's count and time.
        if re.match(r"^=== e2e with backend setting: (?!default\b)", line):
            continue
        if re.match(r"^(scripts: \d+ passed|faults: \d+ passed|=== e2e|leak tables: |All backend settings together:|e2e: \d+ passed)", line):
            keep.add(index)
        if re.match(r"^\s*\d+ generated, \d+ passed", line) and index:
            keep.update({index - 1, index})  # schemathesis: "Test cases:" and how many it generated
        if re.match(r"^Found \d+ test\(s\)\.$", line):
            unit_tests = True
        if unit_tests and re.match(r"^Ran \d+ tests? in ", line):
            keep.update({index, index + 1, index + 2})  # Ran ..., the blank line, OK
            unit_tests = False
        # The summary line of each browser-suite part follows its header.
        if re.match(r"^=== e2e(?: with backend setting| in three engines|: the slow test)", line) and index + 1 < len(lines):
            keep.add(index + 1)
    return kept_lines(lines, lambda i: i in keep)


def port_of(run: Run) -> str | None:
    match = next((re.search(r"https://app\.[^/:]+:(\d+)/", line) for line in run.lines if "app (the page)" in line), None)
    return match.group(1) if match else None


def transcript(language: str, up: Run, test: Run) -> str:
    body = ["```console", "$ make up", *make_up_lines(up), "", "$ make test", *make_test_lines(test), "```", ""]
    port = port_of(up)
    if language == "ja":
        note = (f"{stamp(test, 'ja')}の出力を、`make transcript`(scripts/docs-from-run.py)がそのまま書き写したものです。"
                f"`make test` は {test.seconds} 秒かかりました。`...` は省いた行、デモ用パスワードは伏せてあります。")
        if port:
            note += f"この実行の `.env` はラボをポート {port} に置いていました。`LAB_HTTPS_PORT` を変えなければ 443 です。"
    else:
        note = (f"The output of {stamp(test, 'en')}, copied by `make transcript` (scripts/docs-from-run.py); "
                f"`make test` took {test.seconds} s. `...` stands for lines left out, and the demo password is not shown.")
        if port:
            note += f" That checkout's `.env` put the lab on port {port}; yours is 443 unless you set `LAB_HTTPS_PORT`."
    return "\n".join(body + [note])


# --- test-times -------------------------------------------------------------------------------------

PART_NAMES = {
    "en": {"scripts": "the scripts' tests", "unit": "the Django unit tests", "fuzz": "schemathesis",
           "faults": "the fault tests", "default": "browser suite: the default setting, on 2 workers",
           "engines": "browser suite: three engines", "slow": "browser suite: the 2-minute test",
           "setting": "browser suite: setting `{}`", "exact": "browser suite: exact hostnames, set `{}`",
           "total": "`make test`, all parts side by side",
           "header": "| part | result | time |", "passed": "{} passed", "cases": "{} cases generated, all passed",
           "tests": "{} tests, OK", "wall": "wall time"},
    "ja": {"scripts": "スクリプトのテスト", "unit": "Django の単体テスト", "fuzz": "schemathesis",
           "faults": "障害のテスト", "default": "ブラウザのテスト: 既定の設定(2 ワーカー)",
           "engines": "ブラウザのテスト: 3 つのエンジン", "slow": "ブラウザのテスト: 2 分間のテスト",
           "setting": "ブラウザのテスト: 設定 `{}`", "exact": "ブラウザのテスト: 正確なホスト名、セット `{}`",
           "total": "`make test` 全体(各パートを並行実行)",
           "header": "| パート | 結果 | 時間 |", "passed": "{} 件成功", "cases": "{} ケースを生成、すべて成功",
           "tests": "{} 件、OK", "wall": "経過時間"},
}


def test_times(language: str, run: Run) -> str:
    words = PART_NAMES[language]
    rows = []
    lines = run.lines
    text = "\n".join(lines)
    if match := re.search(r"^scripts: (\d+) passed, 0 failed$", text, re.M):
        rows.append((words["scripts"], words["passed"].format(match.group(1)), "—"))
    if match := re.search(r"^Found \d+ test\(s\)\.$.*?^Ran (\d+) tests? in ([\d.]+)s$", text, re.M | re.S):
        rows.append((words["unit"], words["tests"].format(match.group(1)), f"{float(match.group(2)):.0f} s"))
    # schemathesis runs once per way in (anonymous, a session, Bearer): every run counts.
    if fuzz_runs := re.findall(r"^\s*(\d+) generated, \d+ passed$.*?^=+ [^\n]* in ([\d.]+)s =+$", text, re.M | re.S):
        rows.append((words["fuzz"], words["cases"].format(sum(int(cases) for cases, _ in fuzz_runs)),
                     f"{sum(float(seconds) for _, seconds in fuzz_runs):.0f} s"))
    if match := re.search(r"^faults: (\d+) passed, 0 failed$", text, re.M):
        rows.append((words["faults"], words["passed"].format(match.group(1)), "—"))
    for index, line in enumerate(lines[:-1]):
        header = re.match(r"^=== (?:e2e(?: with backend setting: ([\w-]+)(?:, on 2 workers)?|( in three engines)|(: the slow test))"
                          r"|exact hostnames, set ([\w-]+):)", line)
        if not header:
            continue
        setting, engines, slow, name_set = header.groups()
        # An exact-hostname set prints its checks between its header and its pytest summary.
        following = lines[index + 1:index + (12 if name_set else 2)]
        summary = next(filter(None, map(PYTEST_SUMMARY.match, following)), None)
        if not summary:
            continue
        name = (words["engines"] if engines else words["slow"] if slow else words["exact"].format(name_set) if name_set
                else words["default"] if setting == "default" else words["setting"].format(setting))
        result = re.sub(r",? ?\d+ deselected", "", summary.group(1)).strip(", ")
        if language == "ja":
            result = re.sub(r"(\d+) passed", r"\1 件成功", result)
            result = re.sub(r"(\d+) skipped", r"\1 件スキップ", result)
            result = re.sub(r"(\d+) failed", r"\1 件失敗", result)
            result = re.sub(r"(\d+) warnings?", r"警告 \1 件", result)
        rows.append((name, result, f"{float(summary.group(2)):.0f} s"))
    rows.append((words["total"], words["wall"], f"{run.seconds} s"))
    table = [words["header"], "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    note = (f"{stamp(run, 'ja')}。各パートは並行して動くので、時間の合計は全体の経過時間より長くなります。"
            if language == "ja" else
            f"From {stamp(run, 'en')}. The parts run side by side, so their times add up to more than the wall time.")
    return "\n".join(table + ["", note])


# --- engine-versions, leak-tables, bench ------------------------------------------------------------

def modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d")


def engine_versions(language: str) -> str:
    engines = json.loads(ENGINES.read_text())["engines"]
    versions = [f"{ENGINE_NAMES[e]} {engines.get(e, {}).get('version', '?')}" for e in ENGINE_NAMES]
    if language == "ja":
        return (f"直近に記録したテスト実行({modified(ENGINES)}、`e2e/engine-results/engines.json`)のブラウザ: "
                + "、".join(versions) + "。")
    return (f"The engines of the last recorded test run ({modified(ENGINES)}, `e2e/engine-results/engines.json`): "
            + ", ".join(versions) + ".")


def leak_tables(language: str) -> str:
    tables = LEAK_TABLES.read_text().strip()
    if language == "ja":
        # The titles are the page's English; the Japanese doc names each entry by its slug.
        tables = re.sub(r"^\*\*.*\*\* \((`[\w-]+`)\)$", r"**\1**", tables, flags=re.M)
        return f"{tables}\n\n({modified(LEAK_TABLES)} の実行の `e2e/test-results/leaks/tables.md` から。)"
    return f"{tables}\n\n(From `e2e/test-results/leaks/tables.md` of the run of {modified(LEAK_TABLES)}.)"


def bench_output(language: str, run: Run) -> str:
    lines = [line for line in run.lines if not re.match(r"^(building|built) ", line)]
    note = (f"{stamp(run, 'ja')}。共有マシンでは req/s の絶対値は負荷で大きく変わります。比率のほうが安定しています。"
            if language == "ja" else
            f"From {stamp(run, 'en')}. On a shared machine the absolute req/s swing with the load; the ratios hold better.")
    return "\n".join(["```text", *lines, "```", "", note])


# --- Writing the blocks -------------------------------------------------------------------------

def sources() -> dict:
    """Each block's renderer, or why it has none."""
    def run(name: str):
        path = LOGS / f"{name}.log"
        if not path.exists():
            return f"logs/{name}.log is missing"
        try:
            return Run(path)
        except Refused as refused:
            return str(refused)

    up, test, bench, ceiling = run("make-up"), run("make-test"), run("make-bench"), run("make-bench-ceiling")
    found = {}
    found["transcript"] = (lambda lang: transcript(lang, up, test)) if isinstance(up, Run) and isinstance(test, Run) else \
        (up if not isinstance(up, Run) else test)
    found["test-times"] = (lambda lang: test_times(lang, test)) if isinstance(test, Run) else test
    found["engine-versions"] = engine_versions if ENGINES.exists() else f"{ENGINES.relative_to(ROOT)} is missing"
    found["leak-tables"] = leak_tables if LEAK_TABLES.exists() else f"{LEAK_TABLES.relative_to(ROOT)} is missing"
    found["bench"] = (lambda lang: bench_output(lang, bench)) if isinstance(bench, Run) else bench
    found["bench-ceiling"] = (lambda lang: bench_output(lang, ceiling)) if isinstance(ceiling, Run) else ceiling
    return found


def main():
    renderers = sources()
    pages = [ROOT / "README.md", ROOT / "README.ja.md", *sorted((ROOT / "docs").rglob("*.md"))]
    written, skipped = 0, set()
    for page in pages:
        text = page.read_text()
        language = "ja" if page.name == "README.ja.md" or "ja" in page.relative_to(ROOT).parts[:-1] else "en"

        def render(match: re.Match) -> str:
            nonlocal written
            renderer = renderers.get(match.group(2))
            if renderer is None:
                sys.exit(f"{page.relative_to(ROOT)}: no block is called {match.group(2)!r}")
            if isinstance(renderer, str):
                skipped.add(f"{match.group(2)}: {renderer}")
                return match.group(0)
            written += 1
            return match.group(1) + renderer(language).rstrip("\n") + "\n" + match.group(4)

        new = BLOCK.sub(render, text)
        if new != text:
            page.write_text(new)
    for reason in sorted(skipped):
        print(f"docs-from-run: left as it was, {reason}")
    print(f"docs-from-run: wrote {written} blocks")


if __name__ == "__main__":
    main()
