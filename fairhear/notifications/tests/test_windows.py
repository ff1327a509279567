"""Windows the pack gives the complainant, moved with the clock (time-machine).

A window to ask for the next stage that passes with no request is recorded on the case once,
the night after its last day, so that a later request shows as late (Pivotal §9 stage 2 point
1; MMBM §8.2.2); the end of the chance to change after a behaviour warning tells the lead
officer and the colleague who warned that the decision on restrictions is due (MMBM §9)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from fairhear.alerts.models import Notification
from fairhear.alerts.services import notification_preference_set
from fairhear.cases import services as s
from fairhear.cases.due import windows_ended_before
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.notifications.models import ClockNotice
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tests.helpers import london, responded
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def sweep_at(moment) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_all(worker_id="test")


def closed_windows(case: Case) -> list:
    return list(case.events.filter(kind=Action.RECORD_WINDOW_CLOSED).order_by("sequence"))


def test_pivotal_appeal_window_is_recorded_closed_on_wednesday_12_june_once_then_the_case_closes(
    client,
):
    team = make_team()
    case = responded(team)  # received Tue 28 May 2024; §9 stage 2 point 1: Tue 11 Jun 2024
    assert case.clocks.get(name="appeal_request_due").due == date(2024, 6, 11)
    for moment in (
        london(2024, 6, 8, 12),  # Sat
        london(2024, 6, 11, 23, 59),  # the last day itself
    ):
        sweep_at(moment)
        assert closed_windows(case) == [], moment
    sweep_at(london(2024, 6, 12, 0, 0))
    sweep_at(london(2024, 6, 12, 0, 1))
    sweep_at(london(2024, 6, 13, 9))
    [event] = closed_windows(case)
    assert event.actor is None
    assert event.occurred_at == london(2024, 6, 12, 0, 0)
    assert event.data == {
        "clock": "appeal_request_due",
        "label": "Last day for the complainant to appeal",
        "due": "2024-06-11",
        "cites": "§9 stage 2 point 1; App. 1 stage 2 point 1",
        "to_stage": 2,
    }
    # The same sweep then closed it (§10.1 c), after the window was recorded.
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    auto = case.events.get(kind=Action.AUTO_CLOSE)
    assert auto.sequence == event.sequence + 1
    # The timeline says so in words.
    client.force_login(team.investigator)
    with time_machine.travel(london(2024, 6, 13, 9), tick=False):
        page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Window to ask for the next stage closed" in page
    assert "Tue 11 Jun 2024" in page
    assert "A request for the next stage is late" in page


def test_a_late_appeal_after_the_window_closed_is_still_recorded_and_shows_as_late():
    team = make_team()
    case = responded(team)
    sweep_at(london(2024, 6, 12, 0, 0))
    with time_machine.travel(london(2024, 6, 14, 10), tick=False):
        s.case_request_escalation(
            case=case,
            actor=team.investigator,
            requested_at=london(2024, 6, 14, 10),
            reasons="I was in hospital.",
        )
        case.refresh_from_db()
        assert case.state == CaseState.ESCALATION_REQUESTED
        with pytest.raises(s.TransitionRejected, match="after the window closed on Tue 11 Jun"):
            s.case_accept_escalation(case=case, actor=team.reviewer)
        s.case_accept_escalation(case=case, actor=team.reviewer, discretion="In hospital.")
    assert len(closed_windows(case)) == 1


def test_an_appeal_inside_the_window_records_no_closed_window():
    team = make_team()
    case = responded(team)
    with time_machine.travel(london(2024, 6, 11, 16), tick=False):
        s.case_request_escalation(
            case=case, actor=team.investigator, requested_at=london(2024, 6, 11, 16)
        )
    sweep_at(london(2024, 6, 12, 0, 0))
    sweep_at(london(2024, 6, 20, 9))
    assert closed_windows(case) == []


def mmbm_responded_on_4_march(team) -> Case:
    """An MMBM stage 1 response sent Mon 4 Mar 2024: §8.2.2 gives 28 calendar days to ask for
    a review, to Mon 1 Apr 2024 (Easter Monday), across the clocks going forward on Sun 31
    Mar."""
    with time_machine.travel(london(2024, 2, 26), tick=False) as t:
        case = receive_complaint(team, london(2024, 2, 26))
        s.case_accept(case=case, actor=team.allocator)
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        s.case_acknowledge(case=case, actor=team.investigator)
        t.move_to(london(2024, 3, 4, 12))
        s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Yes.")
    case.refresh_from_db()
    assert case.clocks.get(name="stage2_request_due").due == date(2024, 4, 1)
    return case


def test_mmbm_review_window_closes_at_midnight_british_summer_time_after_easter_monday():
    team = make_team("mmbm")
    case = mmbm_responded_on_4_march(team)
    sweep_at(london(2024, 3, 31, 12))  # Sunday, the first day of British Summer Time
    sweep_at(london(2024, 4, 1, 23, 59))  # Easter Monday, the last day (22:59 UTC)
    assert closed_windows(case) == []
    sweep_at(london(2024, 4, 2, 0, 0))  # 23:00 UTC on Monday: already Tuesday in London
    [event] = closed_windows(case)
    assert (event.data["clock"], event.data["due"], event.data["cites"]) == (
        "stage2_request_due",
        "2024-04-01",
        "§8.2.2",
    )
    case.refresh_from_db()
    assert case.state == CaseState.RESPONDED  # MMBM closes nothing by itself
    sweep_at(london(2024, 4, 2, 0, 1))
    sweep_at(london(2024, 4, 9, 9))
    assert len(closed_windows(case)) == 1
    # Once recorded, the window is no longer among those the sweep reads each minute.
    assert not windows_ended_before(organisation_id=team.org.pk, today=date(2024, 4, 9)).exists()


def warned_on_29_april(team) -> tuple[Case, Case]:
    """MMBM §9: a complainant warned on Mon 29 Apr 2024 by the lead, with a month (this pack's
    reading of "a reasonable timescale") to change: until Wed 29 May 2024. A second complaint
    of theirs runs the same clock."""
    with time_machine.travel(london(2024, 4, 29), tick=False) as t:
        earlier = receive_complaint(team, london(2024, 4, 29))
        s.case_warn_about_behaviour(
            case=earlier,
            actor=team.allocator,
            behaviour="Forty calls a day to staff.",
            how="letter",
            notice_sent_on=date(2024, 4, 29),
        )
        t.move_to(london(2024, 5, 10))
        later = receive_complaint(team, london(2024, 5, 10))
    assert later.complainant_id == earlier.complainant_id
    for case in (earlier, later):
        assert case.clocks.get(name="behaviour_change_due").due == date(2024, 5, 29)
    return earlier, later


def decision_mail() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(kind="behaviour_decision_due").order_by("pk"))


def test_the_end_of_the_chance_to_change_tells_the_lead_and_the_warner_once_on_30_may():
    team = make_team("mmbm")
    # MMBM §9: warnings are the Directors' (the lead's) to give; this one gave it and has since
    # moved to another role, and is told as the person who warned.
    team.allocator.capabilities = [*team.allocator.capabilities, "lead"]
    team.allocator.save()
    earlier, later = warned_on_29_april(team)
    team.allocator.capabilities = [c for c in team.allocator.capabilities if c != "lead"]
    team.allocator.save()
    sweep_at(london(2024, 5, 29, 23, 59))
    assert decision_mail() == []
    sweep_at(london(2024, 5, 30, 0, 0))
    sweep_at(london(2024, 5, 30, 0, 1))
    sweep_at(london(2024, 6, 3, 9))
    mail = decision_mail()
    assert sorted(m.to[0] for m in mail) == sorted([team.lead.email, team.allocator.email])
    assert mail[0].subject == (
        f"Decision due: restrictions on contact for {earlier.reference}, the chance to change "
        "ended Wed 29 May 2024"
    )
    assert "warned about their behaviour" in mail[0].body_text
    assert "on Mon 29 Apr 2024" in mail[0].body_text
    assert "(§9)" in mail[0].body_text
    assert "does not restrict anyone by itself" in mail[0].body_text
    # Told once, from the case the warning was recorded on; nothing was restricted.
    assert ClockNotice.objects.filter(clock="behaviour_change_due").count() == 1
    assert not later.events.filter(kind=Action.APPLY_RESTRICTION).exists()


def test_the_decision_due_is_a_notification_in_the_app_of_each_person_told_once():
    team = make_team("mmbm")
    team.allocator.capabilities = [*team.allocator.capabilities, "lead"]  # MMBM §9: Directors
    team.allocator.save()
    earlier, _ = warned_on_29_april(team)
    team.allocator.capabilities = [c for c in team.allocator.capabilities if c != "lead"]
    team.allocator.save()
    notification_preference_set(user=team.lead, email="app_only")
    sweep_at(london(2024, 5, 30, 0, 0))
    sweep_at(london(2024, 5, 30, 0, 1))
    # The lead chose the app only: no e-mail, one notification, linked to the warning's case.
    assert [m.to for m in decision_mail()] == [[team.allocator.email]]
    [note] = Notification.objects.filter(user=team.lead, kind="behaviour_decision_due")
    assert note.case_id == earlier.pk
    assert note.emailed == "none"
    told = Notification.objects.filter(kind="behaviour_decision_due")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [team.lead.pk, team.allocator.pk]
    )
