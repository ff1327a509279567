"""Reminders and missed deadlines, moved through Christmas and New Year 2023 with the clock
(time-machine): a Pivotal complaint received on Mon 18 Dec 2023 and acknowledged that day has
its stage 1 response due 10 working days later (§9 stage 1 step 6; App. 1), which by hand is
Tue 19 (1), Wed 20, Thu 21, Fri 22 (4), [Mon 25 and Tue 26 Dec, bank holidays] Wed 27 (5),
Thu 28, Fri 29 (7), [Mon 1 Jan, a bank holiday] Tue 2 (8), Wed 3 (9), Thu 4 Jan 2024 (10).
The pack reminds its handler 2 working days before: Tue 2 Jan 2024."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connections

from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import Action
from fairhear.notifications.models import ClockNotice
from fairhear.notifications.reminders import sweep_deadlines
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tests.helpers import london
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def acknowledged_on_18_december(team) -> Case:
    at = london(2023, 12, 18, 10)
    with time_machine.travel(at, tick=False):
        case = receive_complaint(team, at)
        s.case_record_managers_told(
            case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=at
        )
        s.case_accept(case=case, actor=team.allocator, occurred_at=at)
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=at)
        s.case_acknowledge(case=case, actor=team.investigator, occurred_at=at)
    case.refresh_from_db()
    assert case.clocks.get(name="stage1_response_due").due.isoformat() == "2024-01-04"
    return case


def sweep_at(moment) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_all(worker_id="test")


def mail(kind: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(kind=kind).order_by("pk"))


def test_the_handler_is_reminded_on_tuesday_2_january_not_a_day_early_and_once():
    team = make_team()
    case = acknowledged_on_18_december(team)
    for moment in (
        london(2023, 12, 29, 9),  # Fri: 3 working days left
        london(2023, 12, 31, 12),  # Sun
        london(2024, 1, 1, 23, 59),  # New Year's Day, a bank holiday
    ):
        sweep_at(moment)
        assert mail("reminder") == [], moment
    sweep_at(london(2024, 1, 2, 0, 0))
    sweep_at(london(2024, 1, 2, 0, 1))
    sweep_at(london(2024, 1, 3, 9))
    [reminder] = mail("reminder")
    assert reminder.to == [team.investigator.email]
    assert reminder.subject == (
        f"Reminder: Send the stage 1 response for {case.reference} by Thu 4 Jan 2024"
    )
    assert "§9 stage 1 (allocated Service Manager, step 6)" in reminder.body_text
    assert f"/cases/{case.reference}/" in reminder.body_text


def test_the_missed_deadline_is_recorded_on_friday_5_january_once_and_told_to_handler_and_lead(
    client,
):
    team = make_team()
    case = acknowledged_on_18_december(team)
    sweep_at(london(2024, 1, 4, 23, 59))  # the last day to send it
    assert not case.events.filter(kind=Action.RECORD_MISSED_DEADLINE).exists()
    sweep_at(london(2024, 1, 5, 0, 0))
    sweep_at(london(2024, 1, 5, 0, 1))
    sweep_at(london(2024, 1, 8, 9))
    [event] = case.events.filter(kind=Action.RECORD_MISSED_DEADLINE)
    assert event.data["clock"] == "stage1_response_due"
    assert event.data["due"] == "2024-01-04"
    assert event.actor is None
    assert event.occurred_at == london(2024, 1, 5, 0, 0)
    assert sorted(m.to[0] for m in mail("deadline_missed")) == sorted(
        [team.investigator.email, team.lead.email]
    )
    assert mail("deadline_missed")[0].subject == (
        f"Deadline missed: Send the stage 1 response for {case.reference} was due Thu 4 Jan 2024"
    )
    # No sweep ran on Tuesday, so the one on the due date itself still reminded, once; none
    # after it was missed.
    assert len(mail("reminder")) == 1
    # The case's timeline shows it, with the policy's section.
    client.force_login(team.lead)
    with time_machine.travel(london(2024, 1, 8, 9), tick=False):
        page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Deadline missed" in page
    assert "Thu 4 Jan 2024" in page
    assert "§9 stage 1 (allocated Service Manager, step 6); App. 1" in page


def test_a_response_sent_in_time_is_neither_reminded_again_nor_missed():
    team = make_team()
    case = acknowledged_on_18_december(team)
    sweep_at(london(2024, 1, 2, 9))
    with time_machine.travel(london(2024, 1, 4, 15), tick=False):
        from fairhear.cases.tests.factories import signed_off

        signed_off(team, case, "response")
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
    sweep_at(london(2024, 1, 5, 9))
    assert len(mail("reminder")) == 1
    assert mail("deadline_missed") == []
    assert not case.events.filter(kind=Action.RECORD_MISSED_DEADLINE).exists()


def test_the_organisation_may_remind_five_working_days_before_or_not_at_all():
    team = make_team()
    acknowledged_on_18_december(team)
    team.org.reminder_days = {"stage1_response_due": 5}
    team.org.save()
    sweep_at(london(2023, 12, 22, 9))  # Fri 22 Dec: 6 working days left
    sweep_at(london(2023, 12, 26, 9))  # Boxing Day
    assert mail("reminder") == []
    sweep_at(london(2023, 12, 27, 9))  # Wed 27 Dec: 5 left
    assert len(mail("reminder")) == 1

    quiet = make_team()
    acknowledged_on_18_december(quiet)
    quiet.org.reminder_days = {"stage1_response_due": 0}
    quiet.org.save()
    sweep_at(london(2024, 1, 2, 9))
    assert [m.organisation_id for m in mail("reminder")] == [team.org.pk]


def test_an_unallocated_complaint_reminds_the_allocator(settings):
    team = make_team()
    at = london(2023, 12, 18, 10)
    with time_machine.travel(at, tick=False):
        case = receive_complaint(team, at)
    # §9 stage 1 (Head of Services, step 1): allocated within 2 working days, Wed 20 Dec;
    # reminded 1 working day before, Tue 19 Dec.
    assert case.clocks.get(name="allocation_due").due.isoformat() == "2023-12-20"
    sweep_at(london(2023, 12, 18, 23))
    assert [m for m in mail("reminder") if "Allocate" in m.subject] == []
    sweep_at(london(2023, 12, 19, 9))
    allocation = [m for m in mail("reminder") if "Allocate" in m.subject]
    assert {m.to[0] for m in allocation} == {team.allocator.email, team.lead.email}


def test_two_sweeps_at_once_record_each_missed_deadline_and_send_each_mail_once(committed_db):
    team = make_team()
    cases = [acknowledged_on_18_december(team) for _ in range(3)]
    errors = []

    def sweep():
        try:
            with time_machine.travel(london(2024, 1, 5, 9), tick=False):
                sweep_deadlines(team.org, london(2024, 1, 5, 9))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    for case in cases:
        assert case.events.filter(kind=Action.RECORD_MISSED_DEADLINE).count() == 1
    assert ClockNotice.objects.filter(kind="missed").count() == 3
    assert len(mail("deadline_missed")) == 6  # handler and lead, once each per case
