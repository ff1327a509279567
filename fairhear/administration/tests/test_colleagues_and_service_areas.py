"""Service areas and colleagues: added, changed, switched off, each change in the log."""

import re

from django.test import Client
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange, ServiceArea, User
from fairhear.accounts.tests.factories import ServiceAreaFactory, UserFactory
from fairhear.domain.policy.schema import Capability
from fairhear.outbox.models import OutboundMessage


def test_a_service_area_is_added_with_its_kind_and_cqc_registration(admin_client, org):
    response = admin_client.post(
        reverse("administration:service_areas"),
        {"name": "Leeds supported living", "kind": "supported_living", "cqc_registered": "yes"},
    )
    assert response.status_code == 302
    area = ServiceArea.objects.get(organisation=org, name="Leeds supported living")
    assert (area.kind, area.cqc_registered) == ("supported_living", True)
    change = AdministrativeChange.objects.get(what="service_area.add")
    assert change.after == {
        "name": "Leeds supported living",
        "kind": "supported_living",
        "cqc_registered": True,
    }


def test_a_second_service_area_with_the_same_name_is_refused_in_words(admin_client, org):
    ServiceAreaFactory(organisation=org, name="North")
    response = admin_client.post(
        reverse("administration:service_areas"),
        {"name": "North", "kind": "", "cqc_registered": "unknown"},
    )
    assert response.status_code == 400
    assert "There is already a service area called North" in response.content.decode()
    assert ServiceArea.objects.filter(organisation=org).count() == 1


def test_a_service_area_change_records_before_and_after(admin_client, org):
    area = ServiceAreaFactory(organisation=org, name="North", kind="housing")
    admin_client.post(
        reverse("administration:service_area", args=[area.pk]),
        {"name": "North", "kind": "care", "cqc_registered": "no"},
    )
    area.refresh_from_db()
    assert (area.kind, area.cqc_registered) == ("care", False)
    change = AdministrativeChange.objects.get(what="service_area.change")
    assert change.before == {"kind": "housing", "cqc_registered": None}
    assert change.after == {"kind": "care", "cqc_registered": False}


def _invite(client, **overrides):
    data = {
        "email": "Jo.Bloggs@Pivotal.example",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "job_title": "Service Manager",
        "capabilities": [Capability.INVESTIGATE.value],
        "line_manager": "",
        "service_area": "",
        **overrides,
    }
    return client.post(reverse("administration:invite"), data)


def test_an_invited_colleague_gets_a_link_that_sets_their_password(admin_client, org, admin):
    response = _invite(admin_client, line_manager=str(admin.pk))
    assert response.status_code == 302
    jo = User.objects.get(username="jo.bloggs@pivotal.example")
    assert (jo.organisation, jo.line_manager, jo.job_title) == (org, admin, "Service Manager")
    assert jo.capabilities == ["investigate"]
    assert not jo.has_usable_password()
    # The invitation is queued in the outbox with the account, to be sent by the sender.
    [message] = OutboundMessage.objects.filter(organisation=org, kind="invitation")
    assert message.to == ["jo.bloggs@pivotal.example"]
    assert message.subject == "You have a Fairhear account at Pivotal Housing"
    assert "Ash Administrator has made you a Fairhear account at Pivotal Housing" in (
        message.body_text
    )
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.body_text).group(1)

    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200
    chosen = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    assert chosen.status_code == 302
    jo.refresh_from_db()
    assert jo.check_password("a long new passphrase")
    # The link works once.
    assert browser.get(link, follow=True).context["validlink"] is False
    assert AdministrativeChange.objects.get(what="colleague.invite").after["email"] == (
        "jo.bloggs@pivotal.example"
    )


def test_inviting_an_address_that_already_has_an_account_is_refused(admin_client, org):
    UserFactory(organisation=org, username="jo", email="jo.bloggs@pivotal.example")
    response = _invite(admin_client)
    assert response.status_code == 400
    assert "There is already an account for jo.bloggs@pivotal.example" in (
        response.content.decode()
    )


def test_capabilities_line_manager_and_service_area_are_changed_and_logged(admin_client, org):
    sam = UserFactory(organisation=org, username="sam", first_name="Sam", last_name="Patel")
    boss = UserFactory(organisation=org, username="boss", first_name="Bo", last_name="Boss")
    area = ServiceAreaFactory(organisation=org, name="North")
    response = admin_client.post(
        reverse("administration:colleague", args=["sam"]),
        {
            "first_name": "Sam",
            "last_name": "Patel",
            "job_title": "Service Manager",
            "capabilities": ["investigate", "log"],
            "line_manager": str(boss.pk),
            "service_area": str(area.pk),
        },
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert (sam.line_manager, sam.service_area) == (boss, area)
    assert sam.capabilities == ["investigate", "log"]
    change = AdministrativeChange.objects.get(what="colleague.change")
    assert change.before == {
        "job_title": "",
        "capabilities": ["log"],
        "line_manager": None,
        "service_area": None,
    }
    assert change.after == {
        "job_title": "Service Manager",
        "capabilities": ["investigate", "log"],
        "line_manager": "Bo Boss",
        "service_area": "North",
    }


def test_a_line_manager_cannot_be_someone_below_the_colleague(admin_client, org):
    boss = UserFactory(organisation=org, username="boss", first_name="Bo", last_name="Boss")
    sam = UserFactory(organisation=org, username="sam", line_manager=boss)
    response = admin_client.post(
        reverse("administration:colleague", args=["boss"]),
        {"first_name": "Bo", "last_name": "Boss", "line_manager": str(sam.pk)},
    )
    assert response.status_code == 400
    assert "is already above" in response.content.decode()


def test_an_administrator_cannot_take_administer_from_themself(admin_client, admin):
    response = admin_client.post(
        reverse("administration:colleague", args=[admin.username]),
        {"first_name": "Ash", "last_name": "Administrator", "capabilities": ["log"]},
    )
    assert response.status_code == 400
    assert "You cannot take the Administer capability from yourself" in (response.content.decode())
    admin.refresh_from_db()
    assert admin.capabilities == ["administer"]


def test_a_switched_off_colleague_cannot_sign_in_and_keeps_their_name(admin_client, org):
    sam = UserFactory(organisation=org, username="sam", first_name="Sam", last_name="Patel")
    response = admin_client.post(
        reverse("administration:colleague_active", args=["sam"]), {"active": "no"}
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert not sam.is_active
    assert str(sam) == "Sam Patel"
    sign_in = Client().post(
        reverse("login"), {"username": "sam", "password": "correct horse battery"}
    )
    assert sign_in.status_code == 200  # the form again, not a redirect into Fairhear
    assert AdministrativeChange.objects.get(what="colleague.deactivate").after == {"active": False}


def test_an_administrator_cannot_switch_off_their_own_account(admin_client, admin):
    admin_client.post(
        reverse("administration:colleague_active", args=[admin.username]), {"active": "no"}
    )
    admin.refresh_from_db()
    assert admin.is_active
