"""The people app took over the experiments app's tables without touching a row: a learner's
database, migrated by the older code, keeps its demo user's display name and the throttle's
counts when the new code migrates it."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from people.models import LoginFailures, Profile

BEFORE = [("experiments", "0002_login_failures"), ("people", None)]


class MoveFromExperimentsTests(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        executor.loader.build_graph()
        return executor

    def test_rows_written_under_the_old_state_are_read_under_the_new(self):
        executor = self.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE[:1]).apps
        self.assertNotIn("people", {model._meta.app_label for model in old.get_models()})
        user = old.get_model("auth", "User").objects.create(username="alice")
        old.get_model("experiments", "Profile").objects.create(user_id=user.pk, display_name="Kept across the move")
        old.get_model("experiments", "LoginFailures").objects.create(client="192.0.2.1", failures=3,
                                                                     window_start=timezone.now())

        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        self.assertEqual(Profile.objects.get(user_id=user.pk).display_name, "Kept across the move")
        self.assertEqual(LoginFailures.objects.get(client="192.0.2.1").failures, 3)
        tables = connection.introspection.table_names()
        self.assertIn("experiments_profile", tables)
        self.assertNotIn("people_profile", tables)
