"""Settings shared by every test: Faker speaks en_GB."""

import pytest
from faker import Faker


@pytest.fixture(scope="session", autouse=True)
def _faker_locale():
    Faker.seed(20261123)
    from factory import Faker as FactoryFaker

    FactoryFaker._DEFAULT_LOCALE = "en_GB"
