from django.db import models


class UserRecord(models.Model):
    """What POST /api/users/ stores: the article's JSON POST, now kept in a real database."""

    username = models.CharField(max_length=150)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    def as_json(self) -> dict:
        return {"id": self.id, "username": self.username, "email": self.email,
                "created_at": self.created_at.isoformat()}
