"""The lab's people: the demo user's profile and the login throttle's counts.

Both tables were made by the experiments app, and a learner's database holds them under those
names: db_table keeps them, and the migrations moved only Django's idea of who owns them
(experiments/migrations/0003_profile_and_login_failures_to_people.py,
people/migrations/0001_initial.py), never a row.
"""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """The state a cross-site attacker would like to change (POST /api/display-name/)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    display_name = models.CharField(max_length=40)

    class Meta:
        db_table = "experiments_profile"

    @classmethod
    def display_name_of(cls, user) -> str:
        profile = cls.objects.filter(user=user).first()
        return profile.display_name if profile else user.username


class LoginFailures(models.Model):
    """Failed logins of one client in the current window (people/throttle.py).

    In the database, not in Django's cache: LocMemCache lives in one process, and gunicorn runs
    two workers, so each would count only its own share of an attack."""

    client = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()

    class Meta:
        db_table = "experiments_loginfailures"
