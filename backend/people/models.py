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


class TokenFamily(models.Model):
    """Every refresh token that descends from one login of the token lifecycle experiment
    (people/families.py): each refresh replaces the family's one live refresh token with a new
    one. The family is the unit of revocation, the lab's denylist: logout revokes it, and so does
    a refresh token that comes back after it was replaced (someone else holds a copy).

    One row per login, however often it refreshes: the tokens themselves are not stored, only the
    id (jti) of the live one. A row is deleted once its last refresh token has expired, when the
    next login comes (families.start)."""

    REVOKED_AT_LOGOUT = "logout"
    REVOKED_ON_REUSE = "reuse"

    family_id = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    live_token_id = models.CharField(max_length=32)
    refreshes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the live refresh token expires: after that, nothing of the family can be used.
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True)
    revoked_because = models.CharField(max_length=8, blank=True,
                                       choices=[(REVOKED_AT_LOGOUT, "logout"), (REVOKED_ON_REUSE, "reuse")])

    def as_json(self) -> dict:
        return {"id": self.family_id, "refreshes": self.refreshes,
                "revoked": self.revoked_at is not None, "revoked_because": self.revoked_because or None}
