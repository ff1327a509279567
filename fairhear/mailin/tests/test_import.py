"""E-mail in: a new message opens a case waiting for triage; a reply is added to its case,
found by its threading headers first and the case reference in its subject second, so that
reply-all and forwarded chains never open a second case; the same message read twice is one
record; nothing is dropped, and what cannot be read is quarantined with the reason."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction

from fairhear.cases import services as s
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.tests.factories import make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.intake.notices import acknowledgement_enqueue
from fairhear.mailin.models import InboundMessage
from fairhear.mailin.services import mailin_import, mailin_link_message_id
from fairhear.mailin.tests.mail import email_bytes
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.services import outbox_enqueue
from fairhear.policies.selectors import policy_pack_for

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
Outcome = InboundMessage.Outcome


@pytest.fixture
def team():
    return make_team("pivotal")


def read(team, raw, source="file test.eml", **kw):
    return mailin_import(organisation=team.org, raw=raw, source=source, **kw)


def communications(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=Action.RECORD_COMMUNICATION).order_by("sequence")
    )


def acknowledged_by_email(team, case):
    """The acknowledgement e-mail queued with the step, its Message-ID kept against the case."""
    with transaction.atomic():
        message = outbox_enqueue(
            organisation_id=team.org.pk,
            to=["ada@example.org"],
            subject=f"Your complaint {case.reference}",
            body_text="We have received your complaint.",
            kind="acknowledgement",
        )
        mailin_link_message_id(case=case, message_id=message.message_id)
    return message


def test_a_new_email_opens_a_case_waiting_for_triage_from_its_sender(team):
    raw = email_bytes()
    arrived = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)
    with time_machine.travel(arrived + timedelta(minutes=5), tick=False):
        record, new = read(team, raw, received_at=arrived)
    assert new
    assert record.outcome == Outcome.NEW_CASE
    case = record.case
    assert case.state == CaseState.RECEIVED
    assert case.channel == Case.Channel.EMAIL
    assert case.received_at == arrived
    assert (case.complainant.name, case.complainant.email) == ("Ada Lovelace", "ada@example.org")
    assert case.summary == (
        "E-mail from Ada Lovelace <ada@example.org>\nSubject: My boiler\n\n"
        "The boiler repair was not done when promised."
    )
    # Kept exactly as received, through the storage API.
    with default_storage.open(record.raw.name) as stored:
        assert stored.read() == raw
    assert record.size == len(raw)


def test_the_same_message_read_twice_is_one_record_and_one_case(team):
    raw = email_bytes()
    first, new = read(team, raw, source="imap INBOX uid 1")
    again, new_again = read(team, raw, source="imap INBOX uid 7")
    assert (new, new_again) == (True, False)
    assert again.pk == first.pk
    assert InboundMessage.objects.count() == 1
    assert Case.objects.filter(organisation=team.org).count() == 1


def test_a_reply_to_our_email_is_added_to_its_case_by_in_reply_to(team):
    case = receive_complaint(team, datetime(2026, 3, 2, 9, tzinfo=LONDON))
    ours = acknowledged_by_email(team, case)
    record, _ = read(
        team,
        email_bytes(
            subject="Re: something else entirely",
            body="Thank you. When will someone visit?",
            message_id="<reply1@mail.example.org>",
            in_reply_to=ours.message_id,
        ),
    )
    assert (record.outcome, record.case, record.matched_by) == (Outcome.THREADED, case, "headers")
    [event] = communications(case)
    assert event.data["direction"] == "in"
    assert event.data["channel"] == "email"
    assert "When will someone visit?" in event.data["summary"]
    assert event.actor is None  # read from the mailbox by Fairhear itself
    assert Case.objects.filter(organisation=team.org).count() == 1


def test_reply_all_copies_and_replies_to_replies_stay_on_one_case(team):
    case = receive_complaint(team, datetime(2026, 3, 2, 9, tzinfo=LONDON))
    ours = acknowledged_by_email(team, case)
    reply = email_bytes(message_id="<reply1@mail.example.org>", in_reply_to=ours.message_id)
    read(team, reply, source="imap INBOX uid 1")
    read(team, reply, source="imap INBOX uid 2")  # the Cc'd copy of the same reply-all
    # Her advocate answers her reply (not ours): found through the stored incoming Message-ID.
    read(
        team,
        email_bytes(
            sender="An Advocate <advocate@example.org>",
            message_id="<advocate1@mail.example.org>",
            in_reply_to="<reply1@mail.example.org>",
            references=f"{ours.message_id} <reply1@mail.example.org>",
        ),
    )
    # A reply whose In-Reply-To names a message we never saw, but whose References hold ours.
    read(
        team,
        email_bytes(
            message_id="<reply3@mail.example.org>",
            in_reply_to="<unknown@elsewhere.example>",
            references=ours.message_id,
        ),
    )
    assert len(communications(case)) == 3
    assert Case.objects.filter(organisation=team.org).count() == 1


def test_a_forwarded_chain_is_found_by_the_case_reference_in_its_subject(team):
    case = receive_complaint(team, datetime(2026, 3, 2, 9, tzinfo=LONDON))
    # Forwarded by a colleague of hers: new Message-ID, no threading headers, the reference
    # typed in lower case with the letter O for a zero.
    typed = case.reference.lower().replace("0", "o")
    record, _ = read(
        team,
        email_bytes(
            sender="Bob <bob@example.org>",
            subject=f"Fwd: Re: Your complaint {typed}",
            message_id="<fwd@mail.example.org>",
        ),
    )
    assert (record.outcome, record.case, record.matched_by) == (Outcome.THREADED, case, "subject")


def test_another_organisations_reference_never_threads_onto_its_case(team):
    other = make_team("pivotal")
    theirs = receive_complaint(other, datetime(2026, 3, 2, 9, tzinfo=LONDON))
    record, _ = read(team, email_bytes(subject=f"About {theirs.reference}"))
    assert record.outcome == Outcome.NEW_CASE
    assert record.case.organisation == team.org
    assert communications(theirs) == []


def test_an_automatic_reply_is_kept_but_not_added_to_the_case(team):
    # An out-of-office answer to our acknowledgement must not count as the complainant
    # getting back to us (Pivotal §10.1 c).
    case = receive_complaint(team, datetime(2026, 3, 2, 9, tzinfo=LONDON))
    ours = acknowledged_by_email(team, case)
    record, _ = read(
        team,
        email_bytes(
            subject="Out of office",
            in_reply_to=ours.message_id,
            message_id="<ooo@mail.example.org>",
            extra={"Auto-Submitted": "auto-replied"},
        ),
    )
    assert record.outcome == Outcome.AUTOMATIC
    assert record.reason == (
        "Not added to a case: it says it was sent automatically (Auto-Submitted: auto-replied)."
    )
    assert communications(case) == []


def test_pivotal_an_emailed_reply_after_the_response_stops_the_auto_closure(team):
    # Pivotal §10.1 c: the case closes itself only if "no further communications are received
    # from a complainant within 10 working days of a Stage 1 response sent". Answered Wed 4 Mar
    # 2026: the 10 working days run to Wed 18 Mar (Thu 5 … Fri 13 is 7, Mon 16, Tue 17, Wed 18).
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=LONDON), tick=False) as t:
        case = receive_complaint(team, datetime(2026, 3, 2, 10, tzinfo=LONDON))
        s.case_record_managers_told(
            case=case, actor=team.colleague, told="Line manager", how="email"
        )
        s.case_accept(case=case, actor=team.allocator)
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        s.case_acknowledge(case=case, actor=team.investigator)
        t.move_to(datetime(2026, 3, 4, 12, tzinfo=LONDON))
        signed_off(team, case, "response")
        case = s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        with transaction.atomic():
            response = outbox_enqueue(
                organisation_id=team.org.pk,
                to=["ada@example.org"],
                subject=f"Our response to your complaint {case.reference}",
                body_text="We have upheld your complaint.",
                kind="stage_response",
            )
            mailin_link_message_id(case=case, message_id=response.message_id)
        # Tue 10 Mar: she replies by e-mail.
        t.move_to(datetime(2026, 3, 10, 15, tzinfo=LONDON))
        read(team, email_bytes(in_reply_to=response.message_id, message_id="<q@mail.example.org>"))
        # Thu 19 Mar: after the date, the sweep leaves the case for a colleague.
        t.move_to(datetime(2026, 3, 19, 6, tzinfo=LONDON))
        assert s.cases_auto_close_sweep(today=date(2026, 3, 19)) == []
    case.refresh_from_db()
    assert case.state == CaseState.RESPONDED


def test_odd_encodings_are_read_and_kept(team):
    raw = (
        b"From: =?iso-8859-1?q?Ren=E9e_Fran=E7ois?= <renee@example.org>\r\n"
        b"Subject: =?utf-8?b?Q2hhdWZmYWdlIGNhc3PDqQ==?=\r\n"
        b"Message-ID: <enc@mail.example.org>\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Le chauffage est cass\xe9 depuis lundi.\r\n"
    )
    record, _ = read(team, raw)
    assert record.outcome == Outcome.NEW_CASE
    assert record.from_name == "Renée François"
    assert record.subject == "Chauffage cassé"
    # An unknown charset is read as Windows-1252, the commonest mislabelled one.
    assert "Le chauffage est cassé depuis lundi." in record.case.summary
    with default_storage.open(record.raw.name) as stored:
        assert stored.read() == raw


def test_a_large_attachment_is_kept_whole(team):
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * (6 * 1024 * 1024 // 256 - 1) + b"x" * 252
    raw = email_bytes(attachments=[("boiler.jpg", photo, "image/jpeg")])
    record, _ = read(team, raw)
    [about] = record.attachments
    assert (about["filename"], about["content_type"], about["size"]) == (
        "boiler.jpg",
        "image/jpeg",
        6 * 1024 * 1024,
    )
    assert about["type"] == "image/jpeg"  # read from its content
    with default_storage.open(about["stored_as"]) as stored:
        assert stored.read() == photo
    assert "Attachments: boiler.jpg (6,291,456 bytes)" in record.case.summary
    with default_storage.open(record.raw.name) as stored:
        assert stored.read() == raw


def test_a_very_long_email_is_cut_on_the_case_and_kept_whole(team):
    raw = email_bytes(body="word " * 5000)
    record, _ = read(team, raw)
    assert len(record.case.summary) == 10_000
    assert record.case.summary.endswith(
        "[The rest of this e-mail is kept, as received, with the message.]"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "The message is empty."),
        (
            b"\r\n\r\njust some text with no headers\r\n",
            "This is not an e-mail: it has no headers.",
        ),
        (
            b"Subject: no sender\r\nMessage-ID: <nosender@x.example>\r\n\r\nHello\r\n",
            "It has no sender address that can be read (From: “”), so nobody could be answered.",
        ),
        (
            b"From: not an address\r\nSubject: x\r\n\r\nHello\r\n",
            "It has no sender address that can be read (From: “not an address”), so nobody "
            "could be answered.",
        ),
    ],
)
def test_what_cannot_be_read_is_quarantined_with_the_reason_and_kept(team, raw, reason):
    record, new = read(team, raw)
    assert new
    assert record.outcome == Outcome.QUARANTINED
    assert record.reason == reason
    assert record.case is None
    with default_storage.open(record.raw.name) as stored:
        assert stored.read() == raw
    # Read again: the same record, not a second one.
    assert read(team, raw)[0].pk == record.pk


def test_a_reply_to_the_form_s_acknowledgement_threads_by_its_headers_whatever_its_subject(team):
    # The acknowledgement names its case as the thread in the outbox; a reply that keeps its
    # In-Reply-To but changes the subject (no reference left in it) still finds the case.
    case = receive_complaint(
        team, datetime(2026, 3, 2, 9, tzinfo=LONDON), channel=Case.Channel.WEB, logged_by=None
    )
    with transaction.atomic():
        acknowledgement_enqueue(
            case=case, pack=policy_pack_for(case.policy_version), track_url="http://x/track/"
        )
    ours = OutboundMessage.objects.get(kind="intake_acknowledgement")
    record, _ = read(
        team,
        email_bytes(
            subject="Re: the visit",
            body="Nobody came again today.",
            message_id="<reply-ack@mail.example.org>",
            in_reply_to=ours.message_id,
        ),
    )
    assert (record.outcome, record.case, record.matched_by) == (Outcome.THREADED, case, "headers")
    assert "Nobody came again today." in communications(case)[0].data["summary"]
