"""Reading a real mailbox (dovecot on loopback) with a password or an OAuth 2.0 token: new
messages open cases, replies thread onto theirs, each is marked seen once kept, and a message
read again after a crash before it was marked is still one record."""

import imaplib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.mailin.imap import ImapConfig, MailboxError, mailin_fetch
from fairhear.mailin.models import InboundMessage
from fairhear.mailin.tests.mail import email_bytes

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def deliver(server, *messages, seen=False):
    """Put messages in the mailbox as a mail server would."""
    connection = imaplib.IMAP4("127.0.0.1", server.port)
    connection.login(server.user, server.password)
    for raw in messages:
        connection.append("INBOX", "(\\Seen)" if seen else None, None, raw)
    connection.logout()


def unseen(server):
    connection = imaplib.IMAP4("127.0.0.1", server.port)
    connection.login(server.user, server.password)
    connection.select("INBOX")
    _, data = connection.uid("SEARCH", None, "UNSEEN")
    connection.logout()
    return data[0].split()


def mark_all_unseen(server):
    connection = imaplib.IMAP4("127.0.0.1", server.port)
    connection.login(server.user, server.password)
    connection.select("INBOX")
    connection.uid("STORE", "1:*", "-FLAGS", "(\\Seen)")
    connection.logout()


def test_new_mail_opens_cases_and_replies_thread_onto_theirs(dovecot, settings):
    team = make_team("pivotal")
    settings.FAIRHEAR_IMAP_ORGANISATION = team.org.slug
    case = receive_complaint(team, datetime(2026, 3, 2, 9, tzinfo=LONDON))
    deliver(
        dovecot,
        email_bytes(message_id="<new@mail.example.org>"),
        email_bytes(
            sender="Sam <sam@example.org>",
            subject=f"Re: Your complaint {case.reference}",
            message_id="<reply@mail.example.org>",
        ),
    )
    call_command("fetch_mail")
    new = InboundMessage.objects.get(message_id="<new@mail.example.org>")
    reply = InboundMessage.objects.get(message_id="<reply@mail.example.org>")
    assert new.outcome == InboundMessage.Outcome.NEW_CASE
    assert new.source.startswith(f"imap {dovecot.user}@127.0.0.1 INBOX uid ")
    assert (reply.outcome, reply.case) == (InboundMessage.Outcome.THREADED, case)
    assert unseen(dovecot) == []
    # Read again: nothing new in the mailbox, nothing new in Fairhear.
    call_command("fetch_mail")
    assert Case.objects.filter(organisation=team.org).count() == 2


def test_a_message_read_again_after_a_crash_is_still_one_record(dovecot):
    team = make_team("pivotal")
    deliver(dovecot, email_bytes())
    first = mailin_fetch(organisation=team.org, config=ImapConfig.from_settings())
    # As if Fairhear had stopped after keeping it but before marking it seen.
    mark_all_unseen(dovecot)
    again = mailin_fetch(organisation=team.org, config=ImapConfig.from_settings())
    assert (len(first.new), len(again.new), len(again.already_had)) == (1, 0, 1)
    assert InboundMessage.objects.count() == 1
    assert Case.objects.filter(organisation=team.org).count() == 1
    assert unseen(dovecot) == []


def test_messages_already_seen_by_a_person_are_left_alone(dovecot):
    team = make_team("pivotal")
    deliver(dovecot, email_bytes(), seen=True)
    report = mailin_fetch(organisation=team.org, config=ImapConfig.from_settings())
    assert report.new == []


def test_signing_in_with_an_oauth_token(dovecot, settings, tmp_path):
    team = make_team("pivotal")
    deliver(dovecot, email_bytes())
    token_file = tmp_path / "token"
    token_file.write_text(dovecot.token)
    settings.FAIRHEAR_IMAP_AUTH = "xoauth2"
    settings.FAIRHEAR_IMAP_PASSWORD = ""
    settings.FAIRHEAR_IMAP_OAUTH_TOKEN_FILE = str(token_file)
    report = mailin_fetch(organisation=team.org, config=ImapConfig.from_settings())
    assert len(report.new) == 1


def test_a_refused_token_or_password_is_told_in_words(dovecot, settings, tmp_path):
    team = make_team("pivotal")
    settings.FAIRHEAR_IMAP_PASSWORD = "wrong"
    with pytest.raises(MailboxError, match=r"refused to sign complaints@provider\.example in"):
        mailin_fetch(organisation=team.org, config=ImapConfig.from_settings())
    token_file = tmp_path / "token"
    token_file.write_text("expired")
    settings.FAIRHEAR_IMAP_AUTH = "xoauth2"
    settings.FAIRHEAR_IMAP_OAUTH_TOKEN_FILE = str(token_file)
    with pytest.raises(MailboxError, match="check the user and the password or OAuth token"):
        mailin_fetch(organisation=team.org, config=ImapConfig.from_settings())


def test_the_command_names_a_missing_organisation(settings):
    settings.FAIRHEAR_IMAP_ORGANISATION = "nobody"
    with pytest.raises(CommandError, match="No organisation has the slug 'nobody'"):
        call_command("fetch_mail")
