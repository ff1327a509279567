"""Pivotal §10.1 c in full: the sweep closes a complaint when nothing has been heard within 10
working days of the stage 1 response and sends the closure letter, unless a colleague kept the
case open with a reason.

The case of helpers.responded: response sent Fri 24 May 2024, received Tue 28 May; the window
of 10 working days ends Mon 10 Jun, but not before the appeal window's last day, Tue 11 Jun
(§9 stage 2 point 1), so the first sweep of Wed 12 Jun closes it.
"""

from __future__ import annotations

import hashlib
import io
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.letters.auto_closure import auto_closure_letter_make, auto_closure_letters_due
from fairhear.letters.selectors import letter_pdf, letters_sent
from fairhear.notifications.tests.helpers import london, responded
from fairhear.notifications.worker import Worker
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.tests.conftest import smtp_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split()
    )


def sweep(*moments) -> None:
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            Worker(worker_id="w").run(once=True)


def page_text(client, user, case: Case) -> str:
    client.force_login(user)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_kept_open_the_day_before_its_auto_close_date_the_sweep_does_not_close_it(client):
    team = make_team()
    case = responded(team)
    # Mon 10 Jun 2024, the day before the auto-close date (Tue 11 Jun).
    with time_machine.travel(london(2024, 6, 10, 15), tick=False):
        s.case_hold_auto_close(
            case=case, actor=team.investigator, reason="A visit to see the boiler is booked."
        )
    sweep(london(2024, 6, 12, 0, 0), london(2024, 6, 13, 9, 0))
    case.refresh_from_db()
    assert case.state == CaseState.RESPONDED
    assert not case.events.filter(kind=Action.AUTO_CLOSE).exists()
    assert case.clocks.get(name="auto_close_due").status == "stopped"
    assert not OutboundMessage.objects.filter(kind="letter:auto_closure").exists()
    with time_machine.travel(london(2024, 6, 13, 10), tick=False):
        words = page_text(client, team.investigator, case)
    assert "Kept open: it will not close by itself" in words
    assert "A visit to see the boiler is booked." in words
    row = re.search(r"Closes by itself if nothing more is heard by (.{0,120})", words).group(1)
    assert "Stopped" in row


def test_keeping_it_open_needs_a_reason():
    team = make_team()
    case = responded(team)
    with pytest.raises(s.CaseInputError, match="Say why the case is kept open"):
        s.case_hold_auto_close(case=case, actor=team.investigator, reason="   ")
    assert not case.events.filter(kind=Action.HOLD_AUTO_CLOSE).exists()


def test_closed_by_the_sweep_its_letter_is_kept_and_e_mailed_once(smtp_server):  # noqa: F811
    team = make_team()
    case = responded(team)
    # The sweep that closes it, a later one, and the letter asked for again by hand.
    sweep(london(2024, 6, 12, 0, 0), london(2024, 6, 12, 0, 1), london(2024, 6, 12, 0, 2))
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == (CaseState.CLOSED, "10.1c")
    closure = case.events.get(kind=Action.AUTO_CLOSE)
    with time_machine.travel(london(2024, 6, 12, 0, 3), tick=False):
        assert auto_closure_letter_make(case=case, closure=closure).endswith("already been made.")
        assert auto_closure_letters_due(team.org, london(2024, 6, 12, 0, 3)) == {
            "made": [],
            "failed": [],
        }

    [kept] = letters_sent(case=case)
    assert kept.actor_label == "Fairhear (automatic)"
    assert kept.data["letter_kind"] == "auto_closure"
    assert kept.data["follows_sequence"] == closure.sequence
    assert kept.data["delivery_words"] == "By e-mail to ada@example.org"
    [received] = [r for r in smtp_server.mailbox.received if r.recipients == ["ada@example.org"]]
    assert received.message["Subject"] == f"We have closed your complaint ({case.reference})"
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == f"{case.reference}-auto_closure.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert letter_pdf(kept) == attachment.get_content()
    assert hashlib.sha256(attachment.get_content()).hexdigest() == kept.data["sha256"]
    words = pdf_text(attachment.get_content())
    assert "Dear Ada Lovelace" in words
    assert "we have closed your complaint" in words
    assert OutboundMessage.objects.filter(kind="letter:auto_closure").count() == 1


def test_with_no_e_mail_address_the_closure_letter_is_printed_for_post():
    team = make_team()
    case = responded(team, complainant=s.PersonDetails(name="Ada Lovelace", phone="01632 960 001"))
    sweep(london(2024, 6, 12, 0, 0), london(2024, 6, 12, 0, 1))
    [kept] = letters_sent(case=case)
    assert kept.data["letter_kind"] == "auto_closure"
    assert kept.data["delivery_words"] == "Printed for post"
    assert "Dear Ada Lovelace" in pdf_text(letter_pdf(kept))
    assert not OutboundMessage.objects.filter(kind="letter:auto_closure").exists()


def test_a_letter_that_cannot_be_printed_is_made_by_the_next_sweep(monkeypatch):
    team = make_team()
    case = responded(team)

    from fairhear.letters import services

    real, failing = services.pdf_from_html, [True]

    def broken(html: str) -> bytes:
        if failing:
            raise OSError("the fonts are missing")
        return real(html)

    monkeypatch.setattr(services, "pdf_from_html", broken)
    sweep(london(2024, 6, 12, 0, 0))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED  # the closure stands; only the letter waits
    assert letters_sent(case=case) == []
    failing.clear()  # printing works again
    sweep(london(2024, 6, 12, 0, 1))
    assert [e.data["letter_kind"] for e in letters_sent(case=case)] == ["auto_closure"]
