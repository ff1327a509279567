"""Anonymous complaints through the services on the database (Pivotal §18.2 to §18.4, seed
003; MMBM §7.7, seed 000): no clock that needs someone to answer runs, the pack says which are
investigated, the manager's decision on the rest is recorded, and a referral to another agency
can be recorded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases.models import Case
from fairhear.cases.services import (
    TransitionRejected,
    case_accept,
    case_allocate,
    case_decide_not_to_investigate,
    case_receive,
    case_record_agency_referral,
)
from fairhear.cases.tests.factories import make_team
from fairhear.domain.lifecycle import Action, CaseKind, CaseState

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2024, 9, 2, 10, tzinfo=LONDON)  # Mon 2 Sep 2024
LATER = datetime(2024, 9, 3, 11, tzinfo=LONDON)  # Tue 3 Sep 2024


def anonymous_complaint(team, categories: list[str]) -> Case:
    return case_receive(
        organisation=team.org,
        logged_by=team.colleague,
        kind=CaseKind.COMPLAINT,
        channel=Case.Channel.LETTER,
        summary="An unsigned letter about the state of the shared kitchen.",
        received_at=RECEIVED,
        anonymous=True,
        categories=categories,
    )


def statuses(case: Case) -> dict[str, str]:
    return {c.name: c.status for c in case.clocks.all()}


def test_no_acknowledgement_or_response_clock_runs_for_an_anonymous_pivotal_complaint():
    team = make_team("pivotal")
    with time_machine.travel(LATER, tick=False):
        case = anonymous_complaint(team, ["repairs"])
        found = statuses(case)
        # Nobody to answer (§18); logging and allocating still fall to us: received Mon 2
        # Sep, allocation due in 2 working days, Wed 4 Sep. The acknowledgement starts from
        # the allocation.
        assert found["acknowledgement_due"] == "not_started"
        assert found["stage1_response_due"] == "stopped"
        assert found["allocation_due"] == "running"
        assert case.clocks.get(name="allocation_due").due.isoformat() == "2024-09-04"
        # Allocated, it goes straight to the investigation: there is no one to acknowledge.
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    # Allocated: nobody to acknowledge either. What is still due is ours alone: telling the
    # line manager and Head of Services, 1 working day after Mon 2 Sep (§9 stage 1 step 5).
    assert statuses(case)["acknowledgement_due"] == "stopped"
    assert case.next_due == date(2024, 9, 3)


def test_mmbm_runs_no_contact_acknowledgement_or_response_clock_for_an_anonymous_complaint():
    team = make_team("mmbm")
    with time_machine.travel(LATER, tick=False):
        case = anonymous_complaint(team, ["housing"])
    found = statuses(case)
    assert found["local_resolution_contact_due"] == "stopped"
    assert found["stage1_acknowledgement_due"] == "stopped"
    assert found["stage1_response_due"] == "stopped"


def test_the_manager_may_decide_not_to_investigate_an_anonymous_repairs_complaint():
    # §18.3: "Other anonymous complaints will be dealt with by the departmental manager at
    # their discretion."
    team = make_team("pivotal")
    with time_machine.travel(LATER, tick=False):
        case = anonymous_complaint(team, ["repairs"])
        case_decide_not_to_investigate(
            case=case, actor=team.allocator, reason="No address or detail to go on."
        )
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == (CaseState.CLOSED, "18.3")
    event = case.events.order_by("-sequence").first()
    assert event.kind == Action.NOT_INVESTIGATE
    assert event.data == {
        "reason": "No address or detail to go on.",
        "reason_code": "18.3",
        "cites": "§18.2; §18.3; App. 3 F",
    }


def test_an_anonymous_harassment_complaint_must_be_investigated():
    # §18.2: "We will investigate anonymous complaints about harassment ... health and safety".
    team = make_team("pivotal")
    with time_machine.travel(LATER, tick=False):
        case = anonymous_complaint(team, ["discrimination"])
        with pytest.raises(TransitionRejected) as refused:
            case_decide_not_to_investigate(case=case, actor=team.allocator, reason="None.")
    assert str(refused.value) == (
        "The policy investigates anonymous complaints about discrimination (§18.2; §18.3; "
        "App. 3 F); this one must be investigated."
    )


def test_mmbm_investigates_every_anonymous_complaint_as_far_as_possible():
    team = make_team("mmbm")
    with time_machine.travel(LATER, tick=False):
        case = anonymous_complaint(team, ["housing"])
        with pytest.raises(TransitionRejected) as refused:
            case_decide_not_to_investigate(case=case, actor=team.allocator, reason="None.")
    assert str(refused.value) == (
        "The MMBM (Mae and Mitchell Bespoke Management) policy investigates anonymous "
        "complaints as far as possible (§7.7)."
    )


def test_a_named_complaint_cannot_be_left_uninvestigated_as_anonymous():
    team = make_team("pivotal")
    with time_machine.travel(LATER, tick=False):
        from fairhear.cases.tests.factories import receive_complaint

        case = receive_complaint(team, RECEIVED)
        with pytest.raises(TransitionRejected) as refused:
            case_decide_not_to_investigate(case=case, actor=team.allocator, reason="None.")
    assert str(refused.value) == "The complainant gave their name: this is not anonymous."


def test_a_referral_to_another_agency_is_recorded_without_moving_the_case():
    # §18.4: "we may refer such information as we have to a more appropriate agency".
    team = make_team("pivotal")
    with time_machine.travel(LATER, tick=False):
        case = anonymous_complaint(team, ["repairs"])
        case_record_agency_referral(
            case=case,
            actor=team.allocator,
            agency="Dorset Council environmental health",
            information="The letter and photographs of the kitchen.",
        )
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED
    event = case.events.order_by("-sequence").first()
    assert (event.kind, event.occurred_at) == (Action.REFER_TO_AGENCY, LATER)
    assert event.data == {
        "agency": "Dorset Council environmental health",
        "information": "The letter and photographs of the kitchen.",
    }
