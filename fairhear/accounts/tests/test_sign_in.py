"""Signing in and staying signed in (security.md "Sessions and headers"): a lockout after five
wrong passwords that says when to try again, a password reset by e-mail that never reveals
who has an account, and sessions that end when left idle or after a working day."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from fairhear.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
# 10:00 UTC on Tue 1 Dec 2026 is 10:00 in London (GMT in winter).
TEN_AM = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@time_machine.travel(TEN_AM, tick=False)
def test_five_wrong_passwords_lock_the_username_out_for_15_minutes_and_say_until_when():
    user = UserFactory(username="amira")
    client = Client()
    for _ in range(4):
        response = sign_in(client, "amira", "wrong password")
        assert response.status_code == 200
        assert "The username or password is not right" in response.content.decode()
    response = sign_in(client, "amira", "wrong password")  # the fifth
    assert response.status_code == 429
    page = response.content.decode()
    # Locked at 10:00 for 15 minutes: 10:15 on Tuesday 1 December.
    assert "signing in is paused. Try again after 10:15 on Tuesday 1 December (UK time)" in page
    assert 'href="/password-reset/"' in page

    # Even the right password is refused while locked out.
    response = sign_in(client, "amira", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.is_active


def test_the_lockout_ends_after_15_minutes_and_the_right_password_then_works():
    UserFactory(username="amira")
    client = Client()
    with time_machine.travel(TEN_AM, tick=False):
        for _ in range(5):
            sign_in(client, "amira", "wrong password")
    with time_machine.travel(TEN_AM + timedelta(minutes=14), tick=False):
        assert sign_in(client, "amira", PASSWORD).status_code == 429
    # Each attempt during the lockout starts the 15 minutes again: 10:14 + 15 = 10:29.
    with time_machine.travel(TEN_AM + timedelta(minutes=30), tick=False):
        response = sign_in(client, "amira", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_work")


def test_a_lockout_of_one_username_leaves_others_signing_in():
    UserFactory(username="amira")
    UserFactory(username="ben")
    client = Client()
    for _ in range(5):
        sign_in(client, "amira", "wrong password")
    assert sign_in(client, "ben", PASSWORD).status_code == 302


def test_the_test_client_login_still_works_with_the_lockout_backend():
    user = UserFactory(username="amira")
    client = Client()
    assert client.login(username="amira", password=PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_sends_a_link_that_sets_a_new_password():
    UserFactory(username="amira", email="amira@example.org")
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "amira@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Fairhear password"
    assert message.to == ["amira@example.org"]
    assert "The link works once, within 2 hours." in message.body
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "a fresh and long passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert Client().login(username="amira", password=new)
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link has expired" in again.content.decode()


def test_password_reset_reads_the_same_whether_or_not_the_address_has_an_account():
    UserFactory(username="amira", email="amira@example.org")
    known = Client().post(reverse("password_reset"), {"email": "amira@example.org"}, follow=True)
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    page = unknown.content.decode()
    assert "If that address belongs to a Fairhear account, we have sent it a link" in page
    # The pages differ only in their (randomly masked) CSRF token.
    token = re.compile(r'"X-CSRFToken": "[^"]+"')
    assert token.sub("", known.content.decode()) == token.sub("", page)


def test_the_sign_in_page_links_to_password_reset():
    page = Client().get(reverse("login")).content.decode()
    assert '<a class="govuk-link" href="/password-reset/">Forgotten your password?</a>' in page


def test_thirty_minutes_without_a_request_signs_the_colleague_out_and_says_why():
    user = UserFactory()
    client = Client()
    with time_machine.travel(TEN_AM, tick=False):
        client.force_login(user)
        assert client.get(reverse("cases:my_work")).status_code == 200
    with time_machine.travel(TEN_AM + timedelta(minutes=29), tick=False):
        assert client.get(reverse("cases:my_work")).status_code == 200
    # 29 minutes then 31 minutes idle: the second gap is over the 30-minute limit.
    with time_machine.travel(TEN_AM + timedelta(minutes=60), tick=False):
        response = client.get(reverse("cases:my_work"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "You were signed out after 30 minutes without activity" in response.content.decode()


def test_a_session_ends_after_ten_hours_however_busy():
    user = UserFactory()
    client = Client()
    with time_machine.travel(TEN_AM, tick=False):
        client.force_login(user)
        client.get(reverse("cases:my_work"))
    # A request every 20 minutes keeps the session from going idle, up to 20:00 (10 hours).
    for step in range(1, 31):
        with time_machine.travel(TEN_AM + timedelta(minutes=20 * step), tick=False):
            assert client.get(reverse("cases:my_work")).status_code == 200
    # 20:10 is 10 hours 10 minutes after signing in, though only 10 minutes after the last page.
    with time_machine.travel(TEN_AM + timedelta(minutes=610), tick=False):
        response = client.get(reverse("cases:my_work"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "You were signed out after 10 hours" in response.content.decode()


def test_a_colleague_switched_off_while_signed_in_is_signed_out_on_their_next_page():
    # The signed-in colleague is read on every request by SQL built once
    # (backends.AccountBackend): what it reads is the row as it is now.
    user = UserFactory(username="bea", first_name="Bea", last_name="Okafor")
    client = Client()
    assert sign_in(client, "bea", PASSWORD).status_code == 302
    assert "Bea Okafor" in client.get(reverse("cases:my_work")).content.decode()

    user.first_name = "Beatrice"
    user.save(update_fields=["first_name"])
    assert "Beatrice Okafor" in client.get(reverse("cases:my_work")).content.decode()

    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("cases:my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
