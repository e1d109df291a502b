from django.apps import AppConfig


class CorsDoctorConfig(AppConfig):
    name = "cors_doctor"
    verbose_name = "CORS doctor"

    def ready(self):
        from django.utils.translation import gettext

        from cors_doctor import checks  # noqa: F401  (registers the system checks)
        from crossorigin import translation

        # The models speak English until handed a gettext: Django's follows the active language.
        translation.install(gettext)
