"""Factories for organisations and colleagues."""

import factory

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.domain.policy.schema import Capability


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Faker("company")
    slug = factory.Sequence(lambda n: f"org-{n}")
    nation = "england-and-wales"


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service area {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    username = factory.Sequence(lambda n: f"colleague{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    capabilities = factory.LazyFunction(lambda: [Capability.LOG.value])
    # Hashed before the user is saved: a post-generation set_password() would not be saved.
    password = factory.django.Password("correct horse battery")
