"""python -m cors_doctor: the doctor from a terminal (and make doctor, which runs this in the
backend image).

  python -m cors_doctor --front https://kikuichige.com --api https://django6.kikuichige.com \\
      [--settings mysite/settings.py] [--probe [--username alice] [--cacert ca.pem]] [--json] [--lang ja]

Without --probe it judges the settings (read as literals from FILE, never executed; without FILE,
a project that sets nothing); with --probe, what the live API answers. --generate prints the
settings and nginx lines for the layout instead. The exit status is 1 when a flow breaks in some
engine, so that a CI job can run it; 2 for a usage error.
"""

import argparse
import gettext
import json
import os
import sys
import unicodedata
from pathlib import Path

from cors_doctor import generate, literal_settings, probe
from crossorigin import translation
from crossorigin.deployment.diagnosis import diagnose
from crossorigin.deployment.flows import FLOWS, Layout, Paths, layout_for, run
from crossorigin.deployment.jars import ENGINES
from crossorigin.deployment.recorded import RecordedApi
from crossorigin.deployment.report import failing, judge_settings, report
from crossorigin.deployment.settings import DjangoSettings
from crossorigin.translation import gettext_noop, translate

PASSWORD_VARIABLE = "CORS_DOCTOR_PASSWORD"
WORDS = {
    "title": gettext_noop("Front {front}, API {api}."),
    "same_site": gettext_noop("The same site ({site}): SameSite never stops the API's cookies here."),
    "cross_site": gettext_noop("Two sites ({front_site} and {api_site}): the API's cookies are third-party cookies for the front."),
    "no_settings": gettext_noop("Settings: none given, so those of a project that sets nothing (the defaults of Django and django-cors-headers)."),
    "settings": gettext_noop("Settings: {count} read from {file}."),
    "project": gettext_noop("Settings: this project's own."),
    "not_understood": gettext_noop("Not read (the report takes the default): line {line}, {name}: {why}"),
    "probed": gettext_noop("Probed: what {api} answered, judged per engine."),
    "not_probed": gettext_noop("Not probed without --username (test credentials): {flows}."),
    "works": gettext_noop("works"),
    "breaks": gettext_noop("BREAKS"),
    "why_heading": gettext_noop("Why:"),
    "checks_heading": gettext_noop("Checks:"),
    "no_checks": gettext_noop("Checks: nothing to change."),
    "evidence": gettext_noop("firefox and webkit are profiles fitted from observation, not specifications (--json: \"engines\")."),
    "no_catalogue": gettext_noop("(No Japanese catalogue here: the words stay English.)"),
    "every_engine": gettext_noop("every engine"),
}


def locale_dir() -> Path:
    """The lab's catalogue (backend/locale, compiled into the image), or CORS_DOCTOR_LOCALE_DIR."""
    return Path(os.environ.get("CORS_DOCTOR_LOCALE_DIR") or Path(__file__).resolve().parents[1] / "locale")


def use_language(language: str) -> bool:
    """Translates the models' and the doctor's sentences; False when no catalogue has the language."""
    if language == "en":
        translation.install(lambda message: message)
        return True
    try:
        catalogue = gettext.translation("django", locale_dir(), languages=[language])
    except OSError:
        return False
    translation.install(catalogue.gettext)
    return True


def path_argument(value: str) -> tuple[str, str]:
    name, equals, path = value.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"{value!r}: use NAME=/path/, NAME one of {', '.join(Paths.names())}")
    return name, path


def resolve_argument(value: str) -> tuple[str, str]:
    host, _, address = value.partition(":")
    if not host or not address:
        raise argparse.ArgumentTypeError(f"{value!r}: use HOST:ADDRESS")
    return host, address


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(prog="cors_doctor", description=__doc__.split("\n\n")[0])
    arguments.add_argument("--front", required=True, help="the front page's origin")
    arguments.add_argument("--api", required=True,
                           help="the API's URL: its origin, and a path prefix if it is mounted under one")
    arguments.add_argument("--settings", metavar="FILE", help="a Django settings file, read as literals, never run")
    arguments.add_argument("--probe", action="store_true", help="send the flows' requests to the live API")
    arguments.add_argument("--username", help=f"test user for the probe's login (password: ${PASSWORD_VARIABLE}, or asked)")
    arguments.add_argument("--cacert", metavar="FILE", help="trust this CA for the probe (and the system's)")
    arguments.add_argument("--resolve", metavar="HOST:ADDRESS", type=resolve_argument, action="append", default=[],
                           help="connect to ADDRESS for HOST (*.localhost is loopback already)")
    arguments.add_argument("--timeout", type=float, default=probe.TIMEOUT, help="seconds per request (probe)")
    arguments.add_argument("--path", metavar="NAME=PATH", type=path_argument, action="append", default=[],
                           help=f"the API's path for one request ({', '.join(Paths.names())}); the lab's by default")
    arguments.add_argument("--generate", action="store_true", help="print the settings and nginx lines for the layout")
    arguments.add_argument("--json", action="store_true", help="print the report as JSON (docs/doctor.md)")
    arguments.add_argument("--lang", choices=("en", "ja"), default="en")
    return arguments


def read_settings(file: str):
    try:
        source = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SystemExit(f"cors_doctor: cannot read {file}: {error}")
    try:
        return literal_settings.read(source)
    except literal_settings.NotPython as error:
        raise SystemExit(f"cors_doctor: {file}{f', line {error.line}' if error.line else ''} is not Python: {error}")


def probe_report(layout: Layout, args, settings: DjangoSettings | None) -> dict:
    password = None
    if args.username:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            import getpass
            password = getpass.getpass(f"password of {args.username}: ")
    client = probe.Client(layout.api, args.cacert, dict(args.resolve), args.timeout)
    csrf_header = (settings or DjangoSettings()).csrf_header()
    try:
        recordings = probe.record(layout, client, csrf_header, args.username, password)
    except probe.ProbeError as error:
        raise SystemExit(f"cors_doctor: {error}")
    api = RecordedApi(layout, recordings)
    judged = api.judged_flows(FLOWS)
    results = [result for engine in ENGINES for result in run(layout, api, engine, csrf_header, judged)]
    return report(layout, results, diagnose([(layout, results)], settings), probe=probe.summary(recordings),
                  not_judged=[flow for flow in FLOWS if flow not in judged])


def main(argv=None, out=sys.stdout) -> int:
    arguments = parser()
    args = arguments.parse_args(argv)
    catalogue = use_language(args.lang)
    try:
        layout = layout_for(args.front, args.api, dict(args.path))
    except ValueError as error:
        arguments.error(str(error))
    if args.generate:
        out.write(generate.settings_block(layout.front, layout.api) + "\n" + generate.nginx_block(layout.api))
        return 0
    read = read_settings(args.settings) if args.settings else None
    settings = DjangoSettings.of(read.values) if read else None
    if args.probe:
        result = probe_report(layout, args, settings)
    else:
        result = judge_settings(layout, settings or DjangoSettings())
    if read:
        result["settings_read"] = sorted(read.values)
        result["not_understood"] = [entry for entry in read.not_understood if entry["name"] in DjangoSettings.names()]
    if args.json:
        out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(text(result, settings_file=args.settings, probed=args.probe, catalogue=catalogue))
    return 1 if failing(result) else 0


def _padded(text: str, width: int) -> str:
    """The text and spaces up to `width` columns of a terminal, where a wide (CJK) character takes two."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 1)


def text(result: dict, settings_file: str | None = None, project: bool = False, probed: bool = False,
         catalogue: bool = True) -> str:
    """The report for a terminal: the flows as a table, why each one breaks, and the checks."""
    say = lambda key, **values: translate(WORDS[key]).format(**values)  # noqa: E731
    lines = [say("title", front=result["front"], api=result["api"])]
    sites = result["sites"]
    lines.append(say("same_site", site=sites["api"]["site"]) if result["same_site"]
                 else say("cross_site", front_site=sites["front"]["site"], api_site=sites["api"]["site"]))
    if settings_file:
        lines.append(say("settings", count=len(result.get("settings_read", [])), file=settings_file))
        lines += ["  " + say("not_understood", **entry) for entry in result.get("not_understood", [])]
    elif project or not probed:
        lines.append(say("project" if project else "no_settings"))
    if probed:
        lines.append(say("probed", api=result["api"]))
        if result.get("not_judged"):
            lines.append(say("not_probed", flows=", ".join(result["not_judged"])))
    if not catalogue:
        lines.append(say("no_catalogue"))
    flows = list(dict.fromkeys(flow["flow"] for flow in result["flows"]))
    lines += ["", " " * 16 + "".join(_padded(engine, len(engine) + 2) for engine in ENGINES)]
    cells = {(flow["flow"], flow["engine"]): flow for flow in result["flows"]}
    for flow in flows:
        lines.append(flow.ljust(16) + "".join(
            _padded(say("works" if cells[(flow, engine)]["works"] else "breaks"), len(engine) + 2) for engine in ENGINES))
    reasons = {}
    for flow in result["flows"]:
        if not flow["works"]:
            reasons.setdefault((flow["flow"], flow["why"]), []).append(flow["engine"])
    if reasons:
        lines += ["", say("why_heading")]
        for (flow, why), engines in reasons.items():
            where = say("every_engine") if len(engines) == len(ENGINES) else ", ".join(engines)
            lines.append(f"  {flow} ({where}): {why}")
    lines.append("")
    if result["checks"]:
        lines.append(say("checks_heading"))
        for check in result["checks"]:
            lines += [f"  {check['id']} [{check['level']}] {check['message']}", f"      {check['hint']}"]
            lines += [f"      {line}" for line in check["fix"]]
    else:
        lines.append(say("no_checks"))
    lines += ["", say("evidence")]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
