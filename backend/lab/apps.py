from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "lab"

    def ready(self):
        from django.db.backends.signals import connection_created

        from lab import checks  # noqa: F401  (registers the system checks)
        from lab import sqlite_writes

        connection_created.connect(sqlite_writes.install)
