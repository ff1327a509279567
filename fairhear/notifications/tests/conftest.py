"""The worker in a test's own transaction: it would close the connection between rounds (as a
long-running process should), which would end the test's transaction, so here it keeps it."""

import pytest


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    monkeypatch.setattr("fairhear.notifications.worker.close_old_connections", lambda: None)
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
