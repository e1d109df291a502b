from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "lab"

    def ready(self):
        from lab import checks  # noqa: F401  (registers the system checks)
