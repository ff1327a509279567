"""Signing in to the mail server, checked at the protocol level by a real aiosmtpd server:
a password (AUTH PLAIN/LOGIN) or an OAuth 2.0 access token (XOAUTH2) from a command or a file."""

import sys

import pytest
from django.db import transaction

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.services import outbox_enqueue
from fairhear.outbox.smtp import SmtpConfig, SmtpConfigError

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded(smtp_server):
    """The server refuses mail from anyone who has not signed in."""
    smtp_server.stop()
    smtp_server.require_auth = True
    smtp_server.start()
    return smtp_server


def queue_one():
    org = OrganisationFactory()
    with transaction.atomic():
        return outbox_enqueue(
            organisation_id=org.pk,
            to=["resident@example.org"],
            subject="Your complaint",
            body_text="Received.",
            kind="acknowledgement",
        )


def test_password_sign_in(guarded, settings):
    settings.FAIRHEAR_SMTP_USER = "fairhear"
    settings.FAIRHEAR_SMTP_PASSWORD = guarded.password
    message = queue_one()
    assert outbox_send_due().sent == [message.message_id]
    [received] = guarded.mailbox.received
    assert received.login == "fairhear"


def test_a_wrong_password_keeps_the_message_waiting_with_the_reason(guarded, settings):
    settings.FAIRHEAR_SMTP_USER = "fairhear"
    settings.FAIRHEAR_SMTP_PASSWORD = "wrong"
    message = queue_one()
    assert outbox_send_due().deferred == [message.message_id]
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.QUEUED
    assert stored.last_error.startswith(
        f"The mail server at 127.0.0.1:{guarded.port} refused Fairhear's sign-in (535"
    )
    assert "check FAIRHEAR_SMTP_USER and the password or OAuth token" in stored.last_error
    assert guarded.mailbox.received == []


def test_no_sign_in_where_the_server_needs_one_is_refused(guarded):
    message = queue_one()
    outbox_send_due()
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.QUEUED
    assert stored.last_error == (
        f"The mail server at 127.0.0.1:{guarded.port} needs Fairhear to sign in "
        "(530 5.7.0 Authentication required); set FAIRHEAR_SMTP_AUTH and FAIRHEAR_SMTP_USER."
    )
    assert guarded.mailbox.received == []


def test_xoauth2_with_a_token_from_a_command(guarded, settings, tmp_path):
    script = tmp_path / "token.py"
    script.write_text(f"print({guarded.token!r})\n")
    settings.FAIRHEAR_SMTP_AUTH = "xoauth2"
    settings.FAIRHEAR_SMTP_USER = "complaints@example.org"
    settings.FAIRHEAR_SMTP_OAUTH_TOKEN_COMMAND = f"{sys.executable} {script}"
    message = queue_one()
    assert outbox_send_due().sent == [message.message_id]
    [received] = guarded.mailbox.received
    assert received.login == "complaints@example.org"


def test_xoauth2_with_a_token_from_a_file(guarded, settings, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(guarded.token + "\n")
    settings.FAIRHEAR_SMTP_AUTH = "xoauth2"
    settings.FAIRHEAR_SMTP_USER = "complaints@example.org"
    settings.FAIRHEAR_SMTP_OAUTH_TOKEN_FILE = str(token_file)
    message = queue_one()
    assert outbox_send_due().sent == [message.message_id]


def test_an_expired_token_keeps_the_message_waiting(guarded, settings, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("expired-token\n")
    settings.FAIRHEAR_SMTP_AUTH = "xoauth2"
    settings.FAIRHEAR_SMTP_USER = "complaints@example.org"
    settings.FAIRHEAR_SMTP_OAUTH_TOKEN_FILE = str(token_file)
    message = queue_one()
    outbox_send_due()
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.QUEUED
    assert "refused Fairhear's sign-in (535 5.7.8 Invalid token)" in stored.last_error


def test_a_failing_token_command_is_told_in_words(guarded, settings):
    settings.FAIRHEAR_SMTP_AUTH = "xoauth2"
    settings.FAIRHEAR_SMTP_USER = "complaints@example.org"
    settings.FAIRHEAR_SMTP_OAUTH_TOKEN_COMMAND = f"{sys.executable} -c 'import sys; sys.exit(3)'"
    message = queue_one()
    outbox_send_due()
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.last_error == (
        "The OAuth token command failed with exit status 3: it printed no reason."
    )


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("FAIRHEAR_SMTP_SECURITY", "tls1.3", "FAIRHEAR_SMTP_SECURITY is 'tls1.3'; use one of"),
        ("FAIRHEAR_SMTP_AUTH", "kerberos", "FAIRHEAR_SMTP_AUTH is 'kerberos'; use one of"),
        ("FAIRHEAR_SMTP_AUTH", "xoauth2", "set FAIRHEAR_SMTP_USER too"),
    ],
)
def test_settings_that_cannot_work_are_named(settings, setting, value, words):
    setattr(settings, setting, value)
    with pytest.raises(SmtpConfigError, match=words):
        SmtpConfig.from_settings()
