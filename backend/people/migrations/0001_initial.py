# The experiments app made these tables (experiments/migrations/0001_initial.py and
# 0002_login_failures.py); this migration takes them over as they are, rows and all: state only,
# and db_table keeps their names.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("experiments", "0003_profile_and_login_failures_to_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Profile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("display_name", models.CharField(max_length=40)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                      to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "experiments_profile"},
                ),
                migrations.CreateModel(
                    name="LoginFailures",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("client", models.CharField(max_length=64, unique=True)),
                        ("failures", models.PositiveIntegerField(default=0)),
                        ("window_start", models.DateTimeField()),
                    ],
                    options={"db_table": "experiments_loginfailures"},
                ),
            ],
            database_operations=[],
        ),
    ]
