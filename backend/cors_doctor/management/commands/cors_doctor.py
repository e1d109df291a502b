"""manage.py cors_doctor: python -m cors_doctor on this project's own settings (its live values,
not a file), for the fronts of CORS_DOCTOR_FRONT_ORIGINS unless --front says otherwise."""

import sys

from django.core.management.base import BaseCommand, CommandError

from cors_doctor import cli
from cors_doctor.checks import api_origin, project_settings
from crossorigin.deployment.flows import layout_for
from crossorigin.deployment.report import failing, judge_settings


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--front", action="append", help="a front origin (repeatable)")
        parser.add_argument("--api", help="the API's origin")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        from django.conf import settings

        fronts = options["front"] or list(getattr(settings, "CORS_DOCTOR_FRONT_ORIGINS", []))
        api = options["api"] or api_origin()
        if not fronts or not api:
            raise CommandError("Name the front (--front or CORS_DOCTOR_FRONT_ORIGINS) and the API (--api, "
                               "CORS_DOCTOR_API_ORIGIN, or one host in ALLOWED_HOSTS).")
        broken = False
        for front in fronts:
            try:
                layout = layout_for(front, api)
            except ValueError as error:
                raise CommandError(str(error)) from None
            report = judge_settings(layout, project_settings())
            if options["json"]:
                import json
                self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            else:
                self.stdout.write(cli.text(report, project=True))
            broken = broken or failing(report)
        if broken:
            sys.exit(1)
