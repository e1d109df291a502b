from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "scenarios"

    def ready(self):
        # The Fetch model (verdicts.py) is pure Python and speaks English; hand it Django's gettext
        # so that its verdicts come out in the language of the request (LocaleMiddleware).
        from django.utils.translation import gettext

        from scenarios import verdicts

        verdicts.translate = gettext
