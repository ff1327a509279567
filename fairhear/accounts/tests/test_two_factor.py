"""Two-factor sign-in: setting up an authenticator app, the code after the password, wrong
and used recovery codes, and an organisation's requirement for leads and administrators."""

import re
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhear.accounts.models import AdministrativeChange
from fairhear.accounts.tests.factories import OrganisationFactory, UserFactory
from fairhear.domain.clock import LONDON
from fairhear.domain.policy.schema import Capability
from fairhear.policies.services import policy_version_publish_shipped

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


def app_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for the device's secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def org(db):
    organisation = OrganisationFactory(name="Pivotal")
    policy_version_publish_shipped(organisation=organisation, name="pivotal")
    return organisation


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as t:
        yield t


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def set_up(client: Client, user, traveller) -> list[str]:
    page = client.get(reverse("two_factor_set_up"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.context["enrolment"].secret
    assert "<svg" in page.content.decode()
    assert secret.replace(" ", "") in device.config_url
    response = client.post(reverse("two_factor_set_up"), {"code": app_code(device)})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    # The app's next code: a code is refused a second time, so one from a later 30 seconds.
    traveller.shift(30)
    return re.findall(r"<li><code>(\w+)</code></li>", codes_page.content.decode())


def test_a_colleague_sets_up_an_app_and_gets_ten_recovery_codes_shown_once(org, traveller):
    sam = UserFactory(organisation=org, username="sam")
    client = sign_in("sam")
    codes = set_up(client, sam, traveller)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=sam).confirmed
    # Shown once: the page does not show them again.
    again = client.get(reverse("two_factor_recovery_codes"))
    assert again.status_code == 302
    assert "10 unused recovery codes" in client.get(reverse("account")).content.decode()


def test_a_wrong_code_does_not_turn_it_on(org, traveller):
    sam = UserFactory(organisation=org, username="sam")
    client = sign_in("sam")
    client.get(reverse("two_factor_set_up"))
    device = TOTPDevice.objects.get(user=sam)
    wrong = "000000" if app_code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor_set_up"), {"code": wrong})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=sam, confirmed=True).exists()


def test_after_the_password_the_code_is_asked_before_any_page(org, traveller):
    sam = UserFactory(organisation=org, username="sam")
    set_up(sign_in("sam"), sam, traveller)
    client = sign_in("sam")
    response = client.get(reverse("cases:my_work"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=/cases/"
    # Not even the set-up page, where a new app could be put in place of the old one.
    assert client.get(reverse("two_factor_set_up"))["Location"] == reverse("two_factor_verify")
    device = TOTPDevice.objects.get(user=sam)
    answered = client.post(
        reverse("two_factor_verify"), {"code": app_code(device), "next": "/cases/"}
    )
    assert answered["Location"] == "/cases/"
    assert client.get(reverse("cases:my_work")).status_code == 200


def test_a_wrong_code_is_refused_and_tries_are_slowed(org, traveller):
    sam = UserFactory(organisation=org, username="sam")
    set_up(sign_in("sam"), sam, traveller)
    client = sign_in("sam")
    device = TOTPDevice.objects.get(user=sam)
    wrong = "000000" if app_code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    # At once, even the right code waits (django-otp's throttle: 1 second after 1 failure).
    right = client.post(reverse("two_factor_verify"), {"code": app_code(device)})
    assert "codes are paused for a few seconds" in right.content.decode()
    traveller.shift(2)
    assert client.post(reverse("two_factor_verify"), {"code": app_code(device)}).status_code == (
        302
    )


def test_a_recovery_code_signs_in_once(org, traveller):
    sam = UserFactory(organisation=org, username="sam")
    codes = set_up(sign_in("sam"), sam, traveller)
    first = sign_in("sam")
    assert first.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("cases:my_work")).status_code == 200
    # The same code again, in another sign-in, is refused: each works once.
    second = sign_in("sam")
    response = second.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 400
    assert "A recovery code works only once" in response.content.decode()
    assert second.get(reverse("cases:my_work")).status_code == 302
    assert "9 unused recovery codes" in first.get(reverse("account")).content.decode()


def test_the_organisation_can_require_it_of_leads_and_administrators(org, traveller):
    org.require_two_factor = True
    org.save()
    UserFactory(organisation=org, username="ash", capabilities=[Capability.ADMINISTER.value])
    UserFactory(organisation=org, username="lee", capabilities=[Capability.LEAD.value])
    UserFactory(organisation=org, username="sam", capabilities=[Capability.INVESTIGATE.value])
    for username in ("ash", "lee"):
        client = sign_in(username)
        response = client.get(reverse("cases:my_work"))
        assert response["Location"] == reverse("two_factor_set_up"), username
        page = client.get(reverse("two_factor_set_up")).content.decode()
        assert "Your organisation requires two-factor sign-in for your role" in page
    assert sign_in("sam").get(reverse("cases:my_work")).status_code == 200


def test_where_it_is_required_it_cannot_be_switched_off(org, traveller):
    ash = UserFactory(organisation=org, username="ash", capabilities=["administer"])
    client = sign_in("ash")
    set_up(client, ash, traveller)
    org.require_two_factor = True
    org.save()
    response = client.post(reverse("two_factor_remove"), follow=True)
    assert "cannot be switched off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=ash, confirmed=True).exists()


def test_an_administrator_resets_a_colleagues_lost_phone_and_it_is_logged(org, traveller):
    sam = UserFactory(organisation=org, username="sam", first_name="Sam", last_name="Patel")
    set_up(sign_in("sam"), sam, traveller)
    admin = UserFactory(organisation=org, username="ash", capabilities=["administer"])
    client = Client()
    client.force_login(admin)
    response = client.post(reverse("administration:colleague_two_factor_reset", args=["sam"]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=sam).exists()
    assert sign_in("sam").get(reverse("cases:my_work")).status_code == 200
    change = AdministrativeChange.objects.get(what="colleague.two_factor")
    assert (change.actor, change.summary) == (admin, "Reset Sam Patel's two-factor sign-in")
