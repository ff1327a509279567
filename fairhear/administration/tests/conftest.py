"""An organisation on the Pivotal pack with an administrator, signed in."""

import pytest
from django.test import Client

from fairhear.accounts.tests.factories import OrganisationFactory, UserFactory
from fairhear.domain.policy.schema import Capability
from fairhear.policies.services import policy_version_publish_shipped


@pytest.fixture
def org(db):
    organisation = OrganisationFactory(name="Pivotal Housing", slug="pivotal")
    policy_version_publish_shipped(organisation=organisation, name="pivotal")
    organisation.refresh_from_db()
    return organisation


@pytest.fixture
def admin(org):
    return UserFactory(
        organisation=org,
        username="ash",
        first_name="Ash",
        last_name="Administrator",
        capabilities=[Capability.ADMINISTER.value],
    )


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client
