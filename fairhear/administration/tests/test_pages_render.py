"""Every administration page opens for an administrator and is refused to anyone else."""

import pytest
from django.test import Client
from django.urls import reverse

from fairhear.accounts.tests.factories import ServiceAreaFactory, UserFactory
from fairhear.domain.policy.schema import Capability

PAGES = [
    "administration:index",
    "administration:organisation",
    "administration:service_areas",
    "administration:colleagues",
    "administration:invite",
    "administration:categories",
    "administration:changes",
]


@pytest.mark.parametrize("name", PAGES)
def test_an_administrator_opens_every_administration_page(admin_client, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert b"Administration" in response.content


@pytest.mark.parametrize("name", PAGES)
def test_an_investigator_is_refused_every_administration_page(org, name):
    investigator = UserFactory(organisation=org, capabilities=[Capability.INVESTIGATE.value])
    client = Client()
    client.force_login(investigator)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert b"You cannot do this" in response.content


def test_the_navigation_shows_administration_only_to_those_who_may_administer(org, admin_client):
    logger = UserFactory(organisation=org)
    client = Client()
    client.force_login(logger)
    assert b"Administration</a>" not in client.get(reverse("cases:my_work")).content
    assert b"Administration</a>" in admin_client.get(reverse("cases:my_work")).content


def test_the_lead_may_administer(org):
    lead = UserFactory(organisation=org, capabilities=[Capability.LEAD.value])
    client = Client()
    client.force_login(lead)
    assert client.get(reverse("administration:organisation")).status_code == 200


def test_a_service_area_of_another_organisation_answers_404(admin_client):
    elsewhere = ServiceAreaFactory(name="Somewhere else")
    response = admin_client.get(reverse("administration:service_area", args=[elsewhere.pk]))
    assert response.status_code == 404


def test_a_colleague_of_another_organisation_answers_404(admin_client):
    stranger = UserFactory(username="stranger")
    response = admin_client.get(reverse("administration:colleague", args=[stranger.username]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/administration/colleagues/%00/",
        "/administration/colleagues/" + "x" * 5_000 + "/",
        "/administration/service-areas/" + "1" * 30 + "/",
        "/administration/organisation/closure-days/2026-02-30/remove/",
    ],
)
def test_a_hostile_address_is_not_found_rather_than_a_server_error(admin_client, path):
    method = admin_client.post if path.endswith("remove/") else admin_client.get
    assert method(path).status_code == 404


def test_an_invitation_address_longer_than_a_username_is_refused_in_words(admin_client):
    response = admin_client.post(
        reverse("administration:invite"),
        {"email": "a" * 140 + "@example.org", "first_name": "A", "last_name": "B"},
    )
    assert response.status_code == 400
    assert "150 characters or fewer" in response.content.decode()
