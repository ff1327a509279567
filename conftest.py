"""Settings shared by every test: Faker speaks en_GB; `committed_db` for tests whose threads
or processes need committed rows; `worker_keeps_the_test_connection` for tests that run the
worker in their own transaction."""

import pytest
from django.core.management import call_command
from django.db import connection
from faker import Faker


@pytest.fixture(scope="session", autouse=True)
def _faker_locale():
    Faker.seed(20261123)
    from factory import Faker as FactoryFaker

    FactoryFaker._DEFAULT_LOCALE = "en_GB"


@pytest.fixture
def worker_keeps_the_test_connection(monkeypatch):
    """The worker closes its database connection between rounds (as a long-running process
    should); in a test's own transaction that would end the transaction, so here it keeps it."""
    monkeypatch.setattr("fairhear.notifications.worker.close_old_connections", lambda: None)
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` unless the database is PostgreSQL (DATABASE_URL)."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def _empty_the_log() -> None:
    """Empty every table although the append-only triggers refuse deletes: lift the triggers,
    flush, and put back exactly the triggers the migrations made."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            try:
                call_command("flush", interactive=False, verbosity=0)
            finally:
                for _, sql in triggers:
                    cursor.execute(sql)
        else:
            # Every table with a trigger of its own (row or TRUNCATE), whatever the migrations add.
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                call_command("flush", interactive=False, verbosity=0)
            finally:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes really commit, so that other threads see them; emptied after."""
    yield
    _empty_the_log()
