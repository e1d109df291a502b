from django.conf import settings
from django.db import models


class UserRecord(models.Model):
    """What POST /api/users/ stores: the article's JSON POST, now kept in a real database."""

    username = models.CharField(max_length=150)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    def as_json(self) -> dict:
        return {"id": self.id, "username": self.username, "email": self.email,
                "created_at": self.created_at.isoformat()}


class Profile(models.Model):
    """The state a cross-site attacker would like to change (POST /api/display-name/)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    display_name = models.CharField(max_length=40)

    @classmethod
    def display_name_of(cls, user) -> str:
        profile = cls.objects.filter(user=user).first()
        return profile.display_name if profile else user.username


class LoginFailures(models.Model):
    """Failed logins of one client in the current window (experiments/throttle.py).

    In the database, not in Django's cache: LocMemCache lives in one process, and gunicorn runs
    two workers, so each would count only its own share of an attack."""

    client = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
