from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "lab"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.utils.translation import gettext

        from crossorigin import translation
        from lab import checks  # noqa: F401  (registers the system checks)
        from lab import sqlite_writes

        connection_created.connect(sqlite_writes.install)
        # The models (crossorigin/) are pure Python and speak English: hand them Django's gettext,
        # so that their sentences come out in the language of the request (LocaleMiddleware).
        translation.install(gettext)
