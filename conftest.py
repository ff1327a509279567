"""Settings shared by every test: Faker speaks en_GB."""

import pytest
from faker import Faker


@pytest.fixture(scope="session", autouse=True)
def _faker_locale():
    Faker.seed(20261123)
    from factory import Faker as FactoryFaker

    FactoryFaker._DEFAULT_LOCALE = "en_GB"


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` unless the database is PostgreSQL (DATABASE_URL)."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)
