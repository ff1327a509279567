"""Agreed update intervals (Pivotal §11.2 b and e; MMBM §8.1.2; Code 5.9), moved through
Christmas and New Year 2023 with the clock (time-machine).

A Pivotal complaint received and acknowledged on Mon 18 Dec 2023; that morning the handler
agrees with the complainant to update them every 5 working days. The acknowledgement and the
agreement are both updates, so the next is due 5 working days after Mon 18 Dec: Tue 19 (1),
Wed 20 (2), Thu 21 (3), Fri 22 (4), [Mon 25 and Tue 26 Dec, bank holidays] Wed 27 Dec (5)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from fairhear.alerts.models import Notification
from fairhear.alerts.services import notification_preference_set
from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.services.verification import _derived_problems
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tests.helpers import london
from fairhear.notifications.tests.test_reminders import acknowledged_on_18_december
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def sweep_at(moment) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_all(worker_id="test")


def update_mail() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(kind="update_due").order_by("pk"))


def agreed_every_5(team) -> Case:
    case = acknowledged_on_18_december(team)
    with time_machine.travel(london(2023, 12, 18, 11), tick=False):
        s.case_agree_updates(
            case=case, actor=team.investigator, every=5, note="By phone, on Wednesdays."
        )
    case.refresh_from_db()
    return case


def updates_due(case: Case) -> date | None:
    clock = case.clocks.filter(name="updates_due").first()
    return clock.due if clock and clock.status == "running" else None


def test_the_handler_is_reminded_on_wednesday_27_december_not_before_and_once():
    team = make_team()
    case = agreed_every_5(team)
    assert updates_due(case) == date(2023, 12, 27)
    for moment in (
        london(2023, 12, 22, 9),  # Fri: 4 working days on
        london(2023, 12, 24, 12),  # Sun
        london(2023, 12, 26, 23, 59),  # Boxing Day
    ):
        sweep_at(moment)
        assert update_mail() == [], moment
    sweep_at(london(2023, 12, 27, 0, 0))
    sweep_at(london(2023, 12, 27, 0, 1))
    sweep_at(london(2023, 12, 28, 9))
    [mail] = update_mail()
    assert mail.to == [team.investigator.email]
    assert mail.subject == (
        f"Update due: tell the complainant how {case.reference} is going by Wed 27 Dec 2023"
    )
    assert "updated every 5 working days" in mail.body_text
    assert "Nothing has been sent to them since Mon 18 Dec 2023" in mail.body_text
    assert "an update is due today, even if there is no news" in mail.body_text
    assert "(§11.2 b and e)" in mail.body_text


def test_anything_sent_to_the_complainant_moves_the_next_update_on_and_what_they_send_does_not():
    team = make_team()
    case = agreed_every_5(team)
    with time_machine.travel(london(2023, 12, 21, 15), tick=False):
        s.case_record_communication(
            case=case,
            actor=team.investigator,
            direction="in",
            channel="call",
            summary="They rang to ask how it is going.",
        )
        assert updates_due(case) == date(2023, 12, 27)
        s.case_record_communication(
            case=case,
            actor=team.investigator,
            direction="out",
            channel="call",
            summary="Rang back: the engineer's report is due next week.",
        )
    # Thu 21 Dec + 5: Fri 22 (1), Wed 27 (2), Thu 28 (3), Fri 29 (4), [Mon 1 Jan] Tue 2 Jan (5).
    assert updates_due(case) == date(2024, 1, 2)
    sweep_at(london(2023, 12, 27, 9))
    sweep_at(london(2024, 1, 1, 12))  # New Year's Day
    assert update_mail() == []
    sweep_at(london(2024, 1, 2, 0, 0))
    [mail] = update_mail()
    assert "by Tue 2 Jan 2024" in mail.subject
    assert "since Thu 21 Dec 2023" in mail.body_text
    # The stored clock is what the events give when worked out afresh (manage.py verify_log).
    case.refresh_from_db()
    assert _derived_problems(case, True) == []


def test_closing_the_case_stops_the_reminders():
    team = make_team()
    case = agreed_every_5(team)
    with time_machine.travel(london(2023, 12, 22, 10), tick=False):
        s.case_close(
            case=case,
            actor=team.investigator,
            reason_code="10.1b",
            note="They withdrew it by phone.",
        )
    assert updates_due(case) is None
    sweep_at(london(2023, 12, 27, 9))
    sweep_at(london(2024, 1, 10, 9))
    assert update_mail() == []


def test_the_reminder_falls_on_the_right_day_across_the_clocks_going_back():
    # Fri 25 Oct 2024, every 3 working days: Mon 28 (1), Tue 29 (2), Wed 30 Oct (3); the clocks
    # went back on Sun 27 Oct, so midnight in London is 00:00 UTC again.
    team = make_team()
    with time_machine.travel(london(2024, 10, 25, 10), tick=False):
        case = receive_complaint(team, london(2024, 10, 25, 10))
        s.case_agree_updates(case=case, actor=team.colleague, every=3)
    assert updates_due(case) == date(2024, 10, 30)
    sweep_at(london(2024, 10, 29, 23, 59))
    assert update_mail() == []
    sweep_at(london(2024, 10, 30, 0, 0))
    mails = update_mail()
    # Not yet allocated: whoever allocates is told (the lead officer may allocate too).
    assert sorted(m.to[0] for m in mails) == sorted([team.allocator.email, team.lead.email])
    assert "updated every 3 working days" in mails[0].body_text
    sweep_at(london(2024, 10, 30, 0, 1))
    assert len(update_mail()) == 2


def test_an_interval_outside_1_to_60_working_days_is_refused_in_plain_words():
    team = make_team()
    case = acknowledged_on_18_december(team)
    for every in (0, 61):
        with pytest.raises(s.CaseInputError, match="from 1 to 60, for example 5"):
            s.case_agree_updates(case=case, actor=team.investigator, every=every)
    assert not case.clocks.filter(name="updates_due").exists()


def test_the_case_page_shows_when_the_next_update_is_due(client):
    team = make_team()
    case = agreed_every_5(team)
    client.force_login(team.investigator)
    with time_machine.travel(london(2023, 12, 21, 9), tick=False):
        page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Next update due by <strong>Wed 27 Dec 2023</strong> (2 working days left)" in page
    assert "Update interval agreed" in page
    assert "By phone, on Wednesdays." in page


def test_the_update_due_shows_in_the_app_and_a_digest_preference_keeps_it_out_of_e_mail():
    """Issue 9 point 4: an update that is due is a notification like any reminder, and the
    handler who chose the daily digest is not e-mailed it at once."""
    team = make_team()
    case = agreed_every_5(team)
    notification_preference_set(user=team.investigator, email="digest")
    sweep_at(london(2023, 12, 27, 0, 0))
    sweep_at(london(2023, 12, 27, 0, 1))
    assert update_mail() == []
    [note] = Notification.objects.filter(user=team.investigator, kind="update_due")
    assert note.case_id == case.pk
    assert note.emailed == "digest"
    assert note.title == (
        f"Update due: tell the complainant how {case.reference} is going by Wed 27 Dec 2023"
    )
    assert note.line == "Nothing has been sent to the complainant since Mon 18 Dec 2023."
