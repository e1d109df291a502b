# Profile and LoginFailures now belong to the people app. Only Django's state moves: the tables
# (experiments_profile, experiments_loginfailures) and every row in them stay where they are,
# and people/migrations/0001_initial.py takes them over under the same names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("experiments", "0002_login_failures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Profile"),
                migrations.DeleteModel(name="LoginFailures"),
            ],
            database_operations=[],
        ),
    ]
