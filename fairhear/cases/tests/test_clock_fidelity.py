"""The clocks do what the policies say, through the services on the real database.

Every date below was worked out by hand; the comment beside it says which days were counted
and which skipped. "Within N working days of X": X's date is day 0 and the due date is the
N-th working day after it (docs/time.md). Pivotal is seed 003, MMBM seed 000, "Code" the
Housing Ombudsman Complaint Handling Code 2024.

Bank holidays used: Mon 26 Aug 2024 (summer). No bank holiday falls in February or March
2026 (Good Friday 2026 is 3 April).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.selectors import my_work_for
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import Action, CaseKind, CaseState

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def clock(case: Case, name: str):
    return case.clocks.get(name=name)


def last_event(case: Case):
    return case.events.order_by("-sequence").first()


def handled(team: Team, at: datetime, handler=None) -> Case:
    """A complaint received, accepted, allocated and acknowledged at `at`."""
    handler = handler or team.investigator
    case = receive_complaint(team, at)
    # Pivotal §9 stage 1 step 5: the line manager and Head of Services told at once.
    s.case_record_managers_told(
        case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=at
    )
    s.case_accept(case=case, actor=team.allocator, occurred_at=at)
    s.case_allocate(case=case, actor=team.allocator, handler=handler, occurred_at=at)
    return s.case_acknowledge(case=case, actor=handler, occurred_at=at)


# ---------------------------------------------------------------------------------------------
# My work: cases with nothing due sort last, on SQLite and PostgreSQL alike


def test_my_work_puts_a_case_with_nothing_due_after_an_overdue_one(client):
    team = make_team("pivotal")
    with travel(london(2026, 3, 4)):
        # Answered at stage 1 on Wed 4 Mar: nothing is due from the Service Manager now (the
        # appeal window is the complainant's, not a deadline).
        answered = handled(team, london(2026, 3, 2))
        signed_off(team, answered, "response")
        s.case_respond(case=answered, actor=team.investigator, outcome="upheld", reasons="Late.")
        # Received Mon 2 Feb: the stage 1 response was due 10 working days later, Mon 16 Feb.
        overdue = handled(team, london(2026, 2, 2))
        answered.refresh_from_db()
        assert answered.next_due is None
        assert overdue.next_due == date(2026, 2, 16)

        listed = [c.reference for c in my_work_for(user=team.investigator)]
        client.force_login(team.investigator)
        page = client.get(reverse("cases:my_work")).content.decode()

    assert listed == [overdue.reference, answered.reference]
    assert page.index(overdue.reference) < page.index(answered.reference)


# ---------------------------------------------------------------------------------------------
# MMBM §8: the local-resolution contact clock ends when the complaint is accepted at stage 1


def test_mmbm_accepting_into_stage_1_stops_the_local_resolution_contact_clock():
    team = make_team("mmbm")
    with travel(london(2026, 3, 2)) as t:
        # Received Mon 2 Mar 2026; §8 second paragraph: contact within 2 working days, Wed 4 Mar.
        case = receive_complaint(team, london(2026, 3, 2))
        assert clock(case, "local_resolution_contact_due").due == date(2026, 3, 4)
        # Accepted straight into stage 1 the same day, not yet allocated.
        s.case_accept(case=case, actor=team.allocator)
        # Fri 6 Mar: past Wed 4 Mar, but local resolution is no longer the route.
        t.move_to(london(2026, 3, 6))
        s.case_add_note(case=case, actor=team.colleague, text="Waiting for allocation.")
        case.refresh_from_db()

    assert clock(case, "local_resolution_contact_due").status == "stopped"
    # What is due next is the stage 1 acknowledgement (§8.1: 3 working days, Thu 5 Mar).
    assert case.next_due_label == "Acknowledge the complaint (stage 1)"
    assert case.next_due == date(2026, 3, 5)


# ---------------------------------------------------------------------------------------------
# A service request turned into a complaint: the time limit runs from first contact, the
# response clocks from the conversion (KPIS.md "complaint")


def test_converted_service_request_is_in_time_from_first_contact_and_clocks_run_from_conversion():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        # First contact Mon 2 Sep 2024, about a repair on Sat 2 Mar 2024: exactly 6 months
        # later, so in time (§6.1 a: the limit runs to Mon 2 Sep 2024).
        case = receive_complaint(
            team, london(2024, 9, 2), kind=CaseKind.SERVICE_REQUEST, incident_date=date(2024, 3, 2)
        )
        # Wed 4 Sep: still unhappy, so logged as a complaint; our own two days must not put it
        # out of time.
        t.move_to(london(2024, 9, 4, 14))
        s.case_convert_to_complaint(case=case, actor=team.colleague, reason="Still unhappy.")
        s.case_accept(case=case, actor=team.allocator)
        case.refresh_from_db()

    assert (case.state, case.stage) == (CaseState.AWAITING_ALLOCATION, 1)
    assert last_event(case).kind == Action.ACCEPT
    assert last_event(case).data["time_limit"] == (
        "First contact Mon 2 Sep 2024 (before it was logged as a complaint on Wed 4 Sep 2024), "
        "within the 6-month time limit (§6.1 a), which runs to Mon 2 Sep 2024."
    )
    # §9 stage 1 step 6: 10 working days from the conversion on Wed 4 Sep: Thu 5 (1), Fri 6
    # (2), Mon 9 to Fri 13 (7), Mon 16 (8), Tue 17 (9), Wed 18 Sep (10).
    assert clock(case, "stage1_response_due").due == date(2024, 9, 18)
