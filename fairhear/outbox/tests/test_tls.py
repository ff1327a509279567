"""Securing the connection to the mail server: STARTTLS and implicit TLS against a real
aiosmtpd server with its own certificate, checked against the configured CA file."""

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.services import outbox_enqueue
from fairhear.outbox.tests.conftest import Mailbox, _Handler, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("The TLS tests need the openssl command (Debian package openssl).")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(  # noqa: S603
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


def server_context(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def tls_server(certificate, settings, request):
    """An SMTP server that needs STARTTLS, or speaks TLS from the start (`implicit`)."""
    mailbox = Mailbox()
    port = free_port()
    implicit = getattr(request, "param", "") == "implicit"
    handler = _Handler(mailbox, password="", token="")
    context = server_context(certificate)
    if implicit:
        controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=context)
    else:
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
        )
    controller.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.FAIRHEAR_SMTP_TIMEOUT = 10
    settings.FAIRHEAR_SMTP_CA_FILE = str(certificate[0])
    yield mailbox
    controller.stop()


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


def test_starttls(tls_server, settings):
    settings.FAIRHEAR_SMTP_SECURITY = "starttls"
    message = queue_one()
    assert outbox_send_due().sent == [message.message_id]
    assert tls_server.message_ids() == [message.message_id]


@pytest.mark.parametrize("tls_server", ["implicit"], indirect=True)
def test_implicit_tls(tls_server, settings):
    settings.FAIRHEAR_SMTP_SECURITY = "ssl"
    message = queue_one()
    assert outbox_send_due().sent == [message.message_id]
    assert tls_server.message_ids() == [message.message_id]


def test_a_server_that_needs_starttls_refuses_plain_mail_and_the_message_waits(
    tls_server, settings
):
    message = queue_one()
    outbox_send_due()
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.QUEUED
    assert stored.last_error == (
        f"The mail server at 127.0.0.1:{settings.EMAIL_PORT} needs a secure connection first "
        "(530 Must issue a STARTTLS command first); set FAIRHEAR_SMTP_SECURITY=starttls."
    )
    assert tls_server.received == []


def test_a_certificate_no_trusted_authority_signed_is_refused_in_words(tls_server, settings):
    settings.FAIRHEAR_SMTP_SECURITY = "starttls"
    settings.FAIRHEAR_SMTP_CA_FILE = ""  # the system's authorities never signed this one
    message = queue_one()
    outbox_send_due()
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.QUEUED
    assert stored.last_error.startswith(
        f"The secure connection to the mail server at 127.0.0.1:{settings.EMAIL_PORT} failed:"
    )
    assert "CERTIFICATE_VERIFY_FAILED" in stored.last_error
    assert tls_server.received == []
