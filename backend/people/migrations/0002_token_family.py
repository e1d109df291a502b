# The token lifecycle experiment's families (people/families.py): one row per login, revoked at
# logout or when a retired refresh token comes back.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TokenFamily",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("family_id", models.CharField(max_length=32, unique=True)),
                ("live_token_id", models.CharField(max_length=32)),
                ("refreshes", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("revoked_at", models.DateTimeField(null=True)),
                ("revoked_because", models.CharField(blank=True, choices=[("logout", "logout"), ("reuse", "reuse")],
                                                     max_length=8)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]
