"""The doctor's report: one object, the same for the system checks, the command line, the lab's
page and the probe. Its stable part is what `--json` prints (docs/doctor.md):

  {"same_site": bool,
   "flows": [{"flow", "engine", "works", "reason", "fix"}, ...],
   "checks": [{"id", "level", "message", "hint"}, ...]}

with more fields beside those: each flow's why, the step that failed and the ids of the checks in
its way; each check's settings lines (fix) and the flows it breaks; each engine's evidence.
"""

import re

from crossorigin.deployment.diagnosis import diagnose, kind_of
from crossorigin.deployment.flows import Layout, run
from crossorigin.deployment.jars import ENGINES, PROFILES
from crossorigin.deployment.server import SimulatedApi
from crossorigin.deployment.settings import DjangoSettings
from crossorigin.sites import host_of, same_site, site_of, suffix_section
from crossorigin.translation import translate


def run_engines(layout: Layout, api, csrf_header: str) -> list:
    return [result for engine in ENGINES for result in run(layout, api, engine, csrf_header)]


def judge_settings(layout: Layout, settings: DjangoSettings, regex_match=re.match) -> dict:
    """The report for a layout under a project's settings."""
    results = run_engines(layout, SimulatedApi(settings, layout, regex_match), settings.csrf_header())
    return report(layout, results, diagnose([(layout, results)], settings))


def checks_for_fronts(layouts: list[Layout], settings: DjangoSettings) -> list[dict]:
    """The checks of several front origins at once (a project's CORS_DOCTOR_FRONT_ORIGINS)."""
    runs = []
    for layout in layouts:
        runs.append((layout, run_engines(layout, SimulatedApi(settings, layout), settings.csrf_header())))
    return list(diagnose(runs, settings).values())


def report(layout: Layout, results: list, checks: dict[str, dict], **extra) -> dict:
    ids = {kind: check["id"] for kind, check in checks.items()}
    return {
        "front": layout.front,
        "api": layout.api,
        "same_site": same_site(layout.front, layout.api),
        "sites": {role: {"origin": origin, "site": site_of(origin), "suffix_list_section": suffix_section(host_of(origin))}
                  for role, origin in (("front", layout.front), ("api", layout.api))},
        "flows": [_flow(result, checks, ids) for result in results],
        "checks": list(checks.values()),
        "engines": {name: {"evidence": translate(profile.evidence)} for name, profile in PROFILES.items()},
        **extra,
    }


def _flow(result, checks: dict, ids: dict) -> dict:
    kinds = list(dict.fromkeys(kind_of(cause) for cause in result.causes)) if not result.works else []
    found = [checks[kind] for kind in kinds if kind in checks]
    # Every settings line in the flow's way; else the first check's hint, else the Fetch model's fix.
    lines = list(dict.fromkeys(line for check in found for line in check["fix"]))
    fix = "\n".join(lines) or (found[0]["hint"] if found else result.fix)
    return {"flow": result.flow, "engine": result.engine, "works": result.works, "reason": result.reason,
            "fix": (fix or None) if not result.works else None, "why": result.why or None, "step": result.step,
            "checks": list(dict.fromkeys(ids[kind] for kind in kinds if kind in ids)),
            "steps": [{"step": s.name, "method": s.method, "url": s.url, "preflight": s.preflight, "status": s.status,
                       "readable": s.readable, "reason": s.reason, "cookies_sent": list(s.cookies_sent)}
                      for s in result.steps],
            "cookies": [{"name": name, "stored": fate.ok, "why": fate.why(translate)} for name, fate in result.cookies]}


def failing(report_: dict) -> bool:
    """Does a flow break somewhere? (The command's exit status.)"""
    return any(not flow["works"] for flow in report_["flows"])
