from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Creates the demo user, or resets its password to LAB_DEMO_PASSWORD from .env."

    def handle(self, *args, **options):
        user, created = get_user_model().objects.get_or_create(username=settings.LAB_DEMO_USERNAME)
        user.set_password(settings.LAB_DEMO_PASSWORD)
        user.save()
        self.stdout.write(f"Demo user {user.username} {'created' if created else 'ready'}.")
