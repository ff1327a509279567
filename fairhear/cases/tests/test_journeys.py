"""Complaints taken through every stage of each shipped pack by the services, on fixed dates.

Every due date below was worked out by hand from a printed calendar and the gov.uk list of
bank holidays for England and Wales; the comment beside it says which days were counted and
which skipped. "Within N working days of X": X's date is day 0 and the due date is the N-th
working day after it (docs/time.md). Pivotal is seed 003, MMBM seed 000, "Code" the Housing
Ombudsman Complaint Handling Code 2024.

Bank holidays used: Mon 26 Aug 2024 (summer); Fri 29 Mar and Mon 1 Apr 2024 (Easter);
Mon 27 May 2024 (spring); Wed 25 and Thu 26 Dec 2024, Wed 1 Jan 2025.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.services import (
    CaseInputError,
    PersonDetails,
    case_accept,
    case_accept_escalation,
    case_acknowledge,
    case_allocate,
    case_apply_restriction,
    case_assess_extension_reason,
    case_close,
    case_close_contact,
    case_convert_to_complaint,
    case_extend,
    case_forward_compliment,
    case_lift_restriction,
    case_record_feedback,
    case_record_managers_told,
    case_record_response_receipt,
    case_refuse,
    case_refuse_escalation,
    case_request_escalation,
    case_resolve_locally,
    case_respond,
    case_review_restriction,
    case_start_local_resolution,
    case_warn_about_behaviour,
    cases_auto_close_sweep,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import Action, CaseKind, CaseState, TransitionRejected
from fairhear.domain.policy.load import PACKS_DIR
from fairhear.policies.services import policy_version_publish

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

# The states, as the assertions below name them.
RECEIVED = CaseState.RECEIVED
LOCAL_RESOLUTION = CaseState.LOCAL_RESOLUTION
AWAITING_ALLOCATION = CaseState.AWAITING_ALLOCATION
AWAITING_ACKNOWLEDGEMENT = CaseState.AWAITING_ACKNOWLEDGEMENT
INVESTIGATING = CaseState.INVESTIGATING
RESPONDED = CaseState.RESPONDED
ESCALATION_REQUESTED = CaseState.ESCALATION_REQUESTED
REFUSED = CaseState.REFUSED
CLOSED = CaseState.CLOSED


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def dues(case: Case) -> dict[str, date | None]:
    """Every stored clock's due date (None: not started)."""
    return {c.name: c.due for c in case.clocks.all()}


def clock(case: Case, name: str):
    return case.clocks.get(name=name)


def status(case: Case, name: str) -> str:
    return clock(case, name).status


def assert_last_event(
    case: Case, action: Action, from_state: str, to_state: str, stage: int, /, **data
) -> CaseEvent:
    """The newest event records `action`, moving the case as given and carrying `data`."""
    event = case.events.order_by("-sequence").first()
    assert (event.kind, event.from_state, event.to_state, event.stage) == (
        action,
        from_state,
        to_state,
        stage,
    )
    for key, value in data.items():
        assert event.data[key] == value, key
    assert event.policy_version_id == case.policy_version_id
    return event


def assert_state(case: Case, state: CaseState, stage: int) -> None:
    case.refresh_from_db()
    assert (case.state, case.stage) == (state, stage)


def event_kinds(case: Case) -> list[str]:
    return list(case.events.order_by("sequence").values_list("kind", flat=True))


def pivotal_stage1_responded(team: Team, t, received: datetime, responded: datetime) -> Case:
    """A Pivotal complaint accepted, allocated and acknowledged on the day it was received, and
    answered at stage 1 at `responded` (on time in every test that uses it)."""
    case = receive_complaint(team, received, incident_date=date(2024, 8, 1))
    t.move_to(received.replace(hour=11))
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case_acknowledge(case=case, actor=team.investigator)
    t.move_to(responded)
    signed_off(team, case, "response")
    case_respond(
        case=case, actor=team.investigator, outcome="upheld", reasons="The repair was late."
    )
    assert_state(case, RESPONDED, 1)
    return case


# ---------------------------------------------------------------------------------------------
# Pivotal: the whole two-stage journey (seed 003 §9, App. 1)
# ---------------------------------------------------------------------------------------------


def test_pivotal_complaint_through_stage_1_and_the_appeal_to_a_final_response():
    team = make_team("pivotal")
    with travel(london(2024, 8, 22)) as t:
        # Received Thu 22 Aug 2024 by phone.
        case = receive_complaint(team, london(2024, 8, 22), incident_date=date(2024, 8, 1))
        assert_state(case, RECEIVED, 0)
        assert_last_event(case, Action.RECEIVE, "", RECEIVED, 0, kind="complaint", tenure="unknown")
        expected = {
            # §9 stage 1 (colleague, steps 3 and 5): 1 WD: Fri 23 Aug.
            "log_and_notify_due": date(2024, 8, 23),
            # §9 stage 1 (Head of Services, step 1): 2 WD: Fri 23 (1), Mon 26 Aug is the
            # summer bank holiday, Tue 27 (2).
            "allocation_due": date(2024, 8, 27),
            "acknowledgement_due": None,  # starts from the allocation
            # §9 stage 1 step 6: 10 WD from receipt: Fri 23 (1), Tue 27 to Fri 30 (5),
            # Mon 2 to Fri 6 Sep (10).
            "stage1_response_due": date(2024, 9, 6),
            # §9 stage 1 step 7: 20 WD: Mon 9 to Fri 13 (15), Mon 16 to Fri 20 Sep (20).
            "stage1_extended_response_due": date(2024, 9, 20),
            "appeal_request_due": None,
            "appeal_acknowledgement_due": None,
            "appeal_response_due": None,
            "auto_close_due": None,
        }
        assert dues(case) == expected
        # Logged the moment it was received, but the line manager and Head of Services have
        # not been told yet (§9 stage 1 step 5), so the 1-working-day clock is still running.
        assert status(case, "log_and_notify_due") == "running"
        assert case.next_due == date(2024, 8, 23)
        case_record_managers_told(
            case=case, actor=team.colleague, told="Line manager and Head of Services", how="email"
        )
        assert status(case, "log_and_notify_due") == "met"
        assert case.next_due == date(2024, 8, 27)  # the allocation is due next

        # Fri 23 Aug: the Head of Services accepts it (§6.1 a: within 6 months).
        t.move_to(london(2024, 8, 23, 9))
        case_accept(case=case, actor=team.allocator)
        assert_state(case, AWAITING_ALLOCATION, 1)
        assert_last_event(
            case,
            Action.ACCEPT,
            RECEIVED,
            AWAITING_ALLOCATION,
            1,
            time_limit="Received Thu 22 Aug 2024, within the 6-month time limit (§6.1 a), "
            "which runs to Sat 1 Feb 2025.",
        )
        assert dues(case) == expected  # acceptance moves no date

        # Tue 27 Aug: allocated to a Service Manager, on the last day allowed.
        t.move_to(london(2024, 8, 27, 9, 30))
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 1)
        assert case.handler == team.investigator
        assert_last_event(
            case,
            Action.ALLOCATE,
            AWAITING_ALLOCATION,
            AWAITING_ACKNOWLEDGEMENT,
            1,
            handler_id=team.investigator.pk,
        )
        assert status(case, "allocation_due") == "met"
        # §9 stage 1 (Service Manager, step 1): 2 WD from the allocation: Wed 28 (1), Thu 29 (2).
        expected["acknowledgement_due"] = date(2024, 8, 29)
        assert dues(case) == expected
        assert case.next_due == date(2024, 8, 29)

        # Wed 28 Aug: acknowledged.
        t.move_to(london(2024, 8, 28, 11))
        case_acknowledge(case=case, actor=team.investigator, understanding="Boiler repair late.")
        assert_state(case, INVESTIGATING, 1)
        assert_last_event(case, Action.ACKNOWLEDGE, AWAITING_ACKNOWLEDGEMENT, INVESTIGATING, 1)
        assert status(case, "acknowledgement_due") == "met"
        assert dues(case) == expected

        # Tue 3 Sep: an extension agreed with the Head of Services (§9 stage 1 step 7). Past the
        # 20-working-day limit it is refused, naming the limit, unless the reason for going
        # beyond it is given and the customer agreed the later date.
        t.move_to(london(2024, 9, 3))
        signed_off(team, case, "extension")
        with pytest.raises(TransitionRejected) as refused:
            case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2024, 9, 23),
                reason="Waiting for the contractor's report.",
                told_on=date(2024, 9, 3),
            )
        assert str(refused.value) == (
            "The new date Mon 23 Sep 2024 is after Fri 20 Sep 2024, the latest the policy allows "
            "(§9 stage 1 step 7; §14.2). Choose Fri 20 Sep 2024 or earlier, or give the good "
            "reason for going beyond it and confirm that the customer agreed the later date."
        )
        # To Fri 13 Sep, and the complainant told the same day: before the original Fri 6 Sep.
        # The Head of Services' agreement was not used by the refused date, so it still holds.
        case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 13),
            reason="Waiting for the contractor's report.",
            told_on=date(2024, 9, 3),
        )
        assert_state(case, INVESTIGATING, 1)
        assert_last_event(
            case,
            Action.EXTEND,
            INVESTIGATING,
            INVESTIGATING,
            1,
            clock="stage1_response_due",
            new_due="2024-09-13",
            previous_due="2024-09-06",
            original_due="2024-09-06",
            told_on="2024-09-03",
            told_before_original_due=True,
            limit="2024-09-20",
        )
        expected["stage1_response_due"] = date(2024, 9, 13)
        assert dues(case) == expected
        response = clock(case, "stage1_response_due")
        assert response.original_due == date(2024, 9, 6)
        assert response.extended
        assert response.told_before_original_due

        # Thu 12 Sep: the stage 1 response, after the original date but by the extended one,
        # which counts because the complainant was told in time (KPIS.md "on time").
        t.move_to(london(2024, 9, 12, 15))
        signed_off(team, case, "response")
        case_respond(
            case=case,
            actor=team.investigator,
            outcome="partly_upheld",
            reasons="The repair was booked late; the engineer came within the target.",
            policy_references="Repairs policy 4.2",
            outstanding_actions=[{"action": "Service the boiler", "due": "2024-10-01"}],
        )
        assert_state(case, RESPONDED, 1)
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            RESPONDED,
            1,
            outcome="partly_upheld",
            due="2024-09-13",
            on_time_due="2024-09-13",
            on_time=True,
            final=False,
            closes_case=False,
        )
        assert status(case, "stage1_response_due") == "met"
        # §9 stage 2 point 1 (no receipt date yet, so from the date sent) and §10.1 c: 10 WD
        # from Thu 12 Sep: Fri 13 (1), Mon 16 to Fri 20 (6), Mon 23 to Thu 26 Sep (10).
        expected["appeal_request_due"] = date(2024, 9, 26)
        expected["auto_close_due"] = date(2024, 9, 26)
        assert dues(case) == expected
        # Both are windows, not staff tasks (the auto-closure is Fairhear's to act on), so
        # nothing is waiting on staff now.
        assert (case.next_due, case.next_due_label) == (None, "")

        # Mon 16 Sep: the complainant received it. The appeal window now counts from receipt:
        # Tue 17 to Fri 20 (4), Mon 23 to Fri 27 (9), Mon 30 Sep (10). §10.1 c still counts
        # from the date sent, but the case never closes itself while the appeal window is open,
        # so it closes no earlier than Mon 30 Sep either.
        t.move_to(london(2024, 9, 16, 11))
        case_record_response_receipt(
            case=case, actor=team.investigator, received_on=london(2024, 9, 16)
        )
        assert_state(case, RESPONDED, 1)
        assert_last_event(
            case, Action.RECORD_RESPONSE_RECEIPT, RESPONDED, RESPONDED, 1, response_stage=1
        )
        expected["appeal_request_due"] = date(2024, 9, 30)
        expected["auto_close_due"] = date(2024, 9, 30)
        assert dues(case) == expected

        # Wed 25 Sep: the complainant appeals, inside the window.
        t.move_to(london(2024, 9, 25))
        case_request_escalation(
            case=case,
            actor=team.colleague,
            requested_at=london(2024, 9, 25),
            reasons="The boiler still is not serviced.",
        )
        assert_state(case, ESCALATION_REQUESTED, 1)
        assert_last_event(
            case,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            1,
            to_stage=2,
            late=False,
            window_closes="2024-09-30",
            reopened=False,
        )
        assert status(case, "appeal_request_due") == "met"
        assert status(case, "auto_close_due") == "stopped"
        # Stopped, the auto-close clock shows its own §10.1 c date again.
        expected["auto_close_due"] = date(2024, 9, 26)
        # §9 stage 2 point 2: 3 WD from the appeal: Thu 26 (1), Fri 27 (2), Mon 30 Sep (3).
        expected["appeal_acknowledgement_due"] = date(2024, 9, 30)
        # §9 stage 2 point 3: 20 WD from the appeal: Thu 26 (1), Fri 27 (2), Mon 30 Sep to
        # Fri 4 Oct (7), 7 to 11 Oct (12), 14 to 18 Oct (17), Mon 21 (18), Tue 22 (19),
        # Wed 23 Oct (20).
        expected["appeal_response_due"] = date(2024, 10, 23)
        assert dues(case) == expected

        # Thu 26 Sep: the appeal is an SLT member's to accept (§9 stage 2 point 5).
        t.move_to(london(2024, 9, 26, 9))
        with pytest.raises(TransitionRejected) as refused:
            case_accept_escalation(case=case, actor=team.investigator)
        assert str(refused.value) == (
            "Only someone with the SLT member role can accept the escalation (you are signed in "
            f"as {team.investigator})."
        )
        case_accept_escalation(case=case, actor=team.reviewer)
        assert_state(case, AWAITING_ALLOCATION, 2)
        assert case.handler is None
        assert_last_event(
            case,
            Action.ACCEPT_ESCALATION,
            ESCALATION_REQUESTED,
            AWAITING_ALLOCATION,
            2,
            to_stage=2,
            late=False,
            discretion="",
        )
        assert dues(case) == expected  # stage 2 runs from the request, not the acceptance

        # The appeal goes to an SLT member: not the Service Manager of stage 1.
        t.move_to(london(2024, 9, 26, 9, 30))
        with pytest.raises(CaseInputError) as wrong:
            case_allocate(case=case, actor=team.reviewer, handler=team.investigator)
        assert str(wrong.value) == (
            f"{team.investigator} cannot handle Stage 2 (appeal to the SLT): they are not a "
            "SLT member."
        )
        case_allocate(case=case, actor=team.reviewer, handler=team.reviewer2)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 2)
        assert_last_event(
            case,
            Action.ALLOCATE,
            AWAITING_ALLOCATION,
            AWAITING_ACKNOWLEDGEMENT,
            2,
            handler_id=team.reviewer2.pk,
        )
        assert dues(case) == expected

        # Mon 30 Sep: acknowledged on the last day allowed.
        t.move_to(london(2024, 9, 30))
        case_acknowledge(case=case, actor=team.reviewer2)
        assert_state(case, INVESTIGATING, 2)
        assert status(case, "appeal_acknowledgement_due") == "met"
        assert dues(case) == expected

        # Tue 22 Oct: the SLT member's response is final and closes the case (§9 stage 2
        # point 6).
        t.move_to(london(2024, 10, 22, 14))
        case_respond(
            case=case, actor=team.reviewer2, outcome="not_upheld", reasons="Stage 1 was right."
        )
        assert_state(case, CLOSED, 2)
        assert case.closure_reason == "final_response"
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            CLOSED,
            2,
            on_time=True,
            due="2024-10-23",
            final=True,
            closes_case=True,
            reason_code="final_response",
        )
        assert status(case, "appeal_response_due") == "met"
        assert dues(case) == expected
        assert case.next_due is None

        # Nothing further inside Pivotal: the ombudsman is next (App. 1).
        t.move_to(london(2024, 10, 23))
        with pytest.raises(TransitionRejected, match="is the final stage of the Pivotal policy"):
            case_request_escalation(
                case=case, actor=team.colleague, requested_at=london(2024, 10, 23)
            )
        # The feedback survey after closure (§21.2; KPI 21.3 h).
        case_record_feedback(case=case, actor=team.colleague, satisfaction="satisfied")
        assert_last_event(case, Action.RECORD_FEEDBACK, CLOSED, CLOSED, 2, satisfaction="satisfied")

    assert event_kinds(case) == [
        Action.RECEIVE,
        Action.RECORD_MANAGERS_TOLD,
        Action.ACCEPT,
        Action.ALLOCATE,
        Action.ACKNOWLEDGE,
        Action.SIGN_OFF,  # §9 stage 1 step 7: the Head of Services agrees the extension
        Action.EXTEND,
        Action.SIGN_OFF,  # §13: and the outcome
        Action.RESPOND,
        Action.RECORD_RESPONSE_RECEIPT,
        Action.REQUEST_ESCALATION,
        Action.ACCEPT_ESCALATION,
        Action.ALLOCATE,
        Action.ACKNOWLEDGE,
        Action.RESPOND,
        Action.RECORD_FEEDBACK,
    ]


def test_pivotal_appeal_cannot_go_to_the_person_who_handled_stage_1():
    # Code 6.13 and Pivotal §9 stage 2: the appeal is looked at afresh by an SLT member. Here
    # an SLT member who also investigates handled stage 1.
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        case = receive_complaint(team, london(2024, 9, 2))
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.reviewer)
        case_acknowledge(case=case, actor=team.reviewer)
        signed_off(team, case, "response")
        case_respond(case=case, actor=team.reviewer, outcome="upheld", reasons="Agreed.")
        t.move_to(london(2024, 9, 4))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 4))
        case_accept_escalation(case=case, actor=team.reviewer2)
        with pytest.raises(TransitionRejected) as refused:
            case_allocate(case=case, actor=team.reviewer2, handler=team.reviewer)
        assert str(refused.value) == (
            "The SLT member for Stage 2 (appeal to the SLT) must be someone other than the "
            "person who handled stage 1 (§9 stage 2)."
        )
        case_allocate(case=case, actor=team.reviewer2, handler=team.reviewer2)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 2)


def test_pivotal_extension_told_after_the_original_due_date_does_not_make_a_late_response_on_time():
    team = make_team("pivotal")
    with travel(london(2024, 8, 22)) as t:
        case = receive_complaint(team, london(2024, 8, 22))
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        case_acknowledge(case=case, actor=team.investigator)
        # Mon 9 Sep: the original due date (Fri 6 Sep, see the journey above) has passed.
        t.move_to(london(2024, 9, 9))
        signed_off(team, case, "extension")
        case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 13),
            reason="The contractor has not reported.",
            told_on=date(2024, 9, 9),
        )
        assert_last_event(
            case,
            Action.EXTEND,
            INVESTIGATING,
            INVESTIGATING,
            1,
            told_before_original_due=False,
            original_due="2024-09-06",
        )
        response = clock(case, "stage1_response_due")
        assert response.due == date(2024, 9, 13)
        assert not response.told_before_original_due
        # Thu 12 Sep: by the extended date, but KPIS.md: "An extension agreed after the original
        # date had passed does not rescue a late response".
        t.move_to(london(2024, 9, 12))
        signed_off(team, case, "response")
        case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Agreed.")
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            RESPONDED,
            1,
            due="2024-09-13",
            on_time_due="2024-09-06",
            on_time=False,
        )


def test_pivotal_extension_counts_from_the_day_the_complainant_was_told_not_the_day_agreed():
    team = make_team("pivotal")
    with travel(london(2024, 8, 22)) as t:
        case = receive_complaint(team, london(2024, 8, 22))
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        # Recorded on Mon 9 Sep, but the complainant was told on Thu 5 Sep, before Fri 6 Sep
        # (KPIS.md "the date the complainant was told decides"). An extension may be agreed
        # before the acknowledgement too.
        t.move_to(london(2024, 9, 9))
        signed_off(team, case, "extension")
        case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2024, 9, 20),
            reason="Two contractors involved.",
            told_on=date(2024, 9, 5),
        )
        assert_last_event(
            case,
            Action.EXTEND,
            AWAITING_ACKNOWLEDGEMENT,
            AWAITING_ACKNOWLEDGEMENT,
            1,
            told_before_original_due=True,
        )
        assert clock(case, "stage1_response_due").told_before_original_due
        # An extension never makes the date earlier (KPIS.md).
        signed_off(team, case, "extension")
        with pytest.raises(TransitionRejected, match="never makes a due date earlier"):
            case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2024, 9, 19),
                reason="Sooner.",
                told_on=date(2024, 9, 9),
            )
        # KPI 21.3 (g): the lead officer judges whether the reason was a good one.
        with pytest.raises(
            TransitionRejected, match="Only someone with the Lead Officer for Complaints"
        ):
            case_assess_extension_reason(case=case, actor=team.allocator, good_reason=True)
        case_assess_extension_reason(case=case, actor=team.lead, good_reason=True)
        extension = case.events.get(kind=Action.EXTEND)
        assert_last_event(
            case,
            Action.ASSESS_EXTENSION_REASON,
            AWAITING_ACKNOWLEDGEMENT,
            AWAITING_ACKNOWLEDGEMENT,
            1,
            good_reason=True,
            extension_sequence=extension.sequence,
        )


def test_pivotal_auto_closure_10_working_days_after_the_stage_1_response_then_an_appeal():
    # §10.1 c closes a case 10 working days after the stage 1 response was sent; §9 stage 2
    # point 1 lets the complainant appeal for 10 working days after receiving it.
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        # Two complaints, both answered on Fri 6 Sep and received by the complainant Mon 9 Sep.
        in_window = pivotal_stage1_responded(team, t, london(2024, 9, 2), london(2024, 9, 6, 12))
        too_late = pivotal_stage1_responded(team, t, london(2024, 9, 2), london(2024, 9, 6, 12))
        t.move_to(london(2024, 9, 9, 12))
        for case in (in_window, too_late):
            case_record_response_receipt(
                case=case, actor=team.investigator, received_on=london(2024, 9, 9)
            )
            # §10.1 c: 10 WD from Fri 6 Sep: Mon 9 to Fri 13 (5), Mon 16 to Fri 20 Sep (10).
            # §9 stage 2 point 1: 10 WD from Mon 9 Sep: Tue 10 to Fri 13 (4), Mon 16 to
            # Fri 20 (9), Mon 23 Sep (10). The case never closes itself while it may still be
            # appealed, so the auto-close date is the later one (this test closed both cases
            # on Sat 21 Sep, inside the appeal window, before).
            assert clock(case, "auto_close_due").original_due == date(2024, 9, 20)
            assert dues(case)["auto_close_due"] == date(2024, 9, 23)
            assert dues(case)["appeal_request_due"] == date(2024, 9, 23)

        # Sat 21 Sep: §10.1 c's 10 working days have passed, but the appeal window has not.
        t.move_to(london(2024, 9, 21, 6))
        assert cases_auto_close_sweep(today=date(2024, 9, 21)) == []
        assert_state(in_window, RESPONDED, 1)

        # Mon 23 Sep, the last day of the appeal window: one complainant appeals.
        t.move_to(london(2024, 9, 23))
        case_request_escalation(
            case=in_window, actor=team.colleague, requested_at=london(2024, 9, 23)
        )
        assert_state(in_window, ESCALATION_REQUESTED, 1)
        assert_last_event(
            in_window,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            1,
            reopened=False,
            late=False,
            window_closes="2024-09-23",
        )
        # The appeal's clocks run from the request: 3 WD: Tue 24, Wed 25, Thu 26 Sep; 20 WD:
        # Tue 24 to Fri 27 (4), 30 Sep to 4 Oct (9), 7 to 11 (14), 14 to 18 (19), Mon 21 Oct (20).
        assert dues(in_window)["appeal_acknowledgement_due"] == date(2024, 9, 26)
        assert dues(in_window)["appeal_response_due"] == date(2024, 10, 21)

        # Tue 24 Sep: the overnight sweep closes the other, now that both dates have passed.
        t.move_to(london(2024, 9, 24, 6))
        assert cases_auto_close_sweep(today=date(2024, 9, 24)) == [too_late.reference]
        assert_state(too_late, CLOSED, 1)
        assert too_late.closure_reason == "10.1c"
        event = assert_last_event(
            too_late,
            Action.AUTO_CLOSE,
            RESPONDED,
            CLOSED,
            1,
            reason_code="10.1c",
            clock_due="2024-09-23",
            satisfied=False,
        )
        assert event.actor is None
        assert event.actor_label == "Fairhear (automatic)"
        # Running the sweep again closes nothing twice.
        assert cases_auto_close_sweep(today=date(2024, 9, 24)) == []

        # Tue 24 Sep: the window has closed, so the other case's appeal is recorded as late.
        t.move_to(london(2024, 9, 24))
        case_request_escalation(
            case=too_late, actor=team.colleague, requested_at=london(2024, 9, 24)
        )
        assert_state(too_late, ESCALATION_REQUESTED, 1)
        assert too_late.closure_reason == ""
        assert_last_event(
            too_late,
            Action.REQUEST_ESCALATION,
            CLOSED,
            ESCALATION_REQUESTED,
            1,
            reopened=True,
            late=True,
            window_closes="2024-09-23",
        )
        # §9 stage 2 point 5: a late appeal is accepted only at the SLT member's recorded
        # discretion.
        events_before = event_kinds(too_late)
        with pytest.raises(TransitionRejected) as refused:
            case_accept_escalation(case=too_late, actor=team.reviewer)
        assert str(refused.value) == (
            "The request arrived on Tue 24 Sep 2024, after the window closed on Mon 23 Sep 2024. "
            "Record the discretionary decision (why it is accepted anyway) to accept it."
        )
        assert_state(too_late, ESCALATION_REQUESTED, 1)
        assert event_kinds(too_late) == events_before
        # Not accepted: the stage 1 response is final and the case closes again.
        case_refuse_escalation(
            case=too_late, actor=team.reviewer, reason="Out of time and nothing new."
        )
        assert_state(too_late, CLOSED, 1)
        assert too_late.closure_reason == "appeal_not_accepted"
        assert_last_event(
            too_late,
            Action.REFUSE_ESCALATION,
            ESCALATION_REQUESTED,
            CLOSED,
            1,
            to_stage=2,
            reason_code="appeal_not_accepted",
        )
        # That closure is a decision, so a further appeal cannot reopen the case.
        with pytest.raises(TransitionRejected, match="closed by a decision"):
            case_request_escalation(
                case=too_late, actor=team.colleague, requested_at=london(2024, 9, 24, 12)
            )
        assert_state(too_late, CLOSED, 1)


def test_pivotal_late_appeal_is_accepted_only_with_a_recorded_discretionary_decision():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        case = pivotal_stage1_responded(team, t, london(2024, 9, 2), london(2024, 9, 6, 12))
        # No receipt recorded: the window is 10 WD from Fri 6 Sep, so it closed Fri 20 Sep.
        assert dues(case)["appeal_request_due"] == date(2024, 9, 20)
        # Mon 23 Sep (before any auto-closure sweep ran): a late appeal.
        t.move_to(london(2024, 9, 23))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 23))
        assert_last_event(
            case,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            1,
            late=True,
            window_closes="2024-09-20",
        )
        # §9 stage 2 point 5: the SLT member's discretion, which must be recorded.
        with pytest.raises(TransitionRejected) as refused:
            case_accept_escalation(case=case, actor=team.reviewer, discretion="  ")
        assert str(refused.value) == (
            "The request arrived on Mon 23 Sep 2024, after the window closed on Fri 20 Sep 2024. "
            "Record the discretionary decision (why it is accepted anyway) to accept it."
        )
        assert_state(case, ESCALATION_REQUESTED, 1)
        t.move_to(london(2024, 9, 24))
        case_accept_escalation(
            case=case, actor=team.reviewer, discretion="The complainant was in hospital."
        )
        assert_state(case, AWAITING_ALLOCATION, 2)
        assert_last_event(
            case,
            Action.ACCEPT_ESCALATION,
            ESCALATION_REQUESTED,
            AWAITING_ALLOCATION,
            2,
            late=True,
            discretion="The complainant was in hospital.",
        )
        # KPIS.md "escalated": the next stage's clocks run from the date of the request,
        # Mon 23 Sep (3 WD: Thu 26 Sep; 20 WD: Mon 21 Oct, as counted above).
        assert dues(case)["appeal_acknowledgement_due"] == date(2024, 9, 26)
        assert dues(case)["appeal_response_due"] == date(2024, 10, 21)


def test_pivotal_appeal_refused_by_the_slt_member_leaves_the_stage_1_response_standing():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        case = pivotal_stage1_responded(team, t, london(2024, 9, 2), london(2024, 9, 6, 12))
        t.move_to(london(2024, 9, 11))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 11))
        t.move_to(london(2024, 9, 12))
        with pytest.raises(CaseInputError, match="Explain why the escalation is refused"):
            case_refuse_escalation(case=case, actor=team.reviewer, reason=" ")
        with pytest.raises(
            TransitionRejected, match="Only someone with the SLT member role can refuse"
        ):
            case_refuse_escalation(case=case, actor=team.investigator, reason="No new points.")
        case_refuse_escalation(
            case=case, actor=team.reviewer, reason="The appeal raises nothing new."
        )
        # §9 stage 2 point 5: the appeal not accepted, the stage 1 response is final and the
        # case closes.
        assert_state(case, CLOSED, 1)
        assert case.closure_reason == "appeal_not_accepted"
        assert_last_event(
            case,
            Action.REFUSE_ESCALATION,
            ESCALATION_REQUESTED,
            CLOSED,
            1,
            to_stage=2,
            reason="The appeal raises nothing new.",
            reason_code="appeal_not_accepted",
        )
        assert status(case, "appeal_acknowledgement_due") == "stopped"
        assert status(case, "appeal_response_due") == "stopped"
        # The appeal stopped the auto-closure window before the case closed.
        assert status(case, "auto_close_due") == "stopped"
        # Closed by a decision, so the case cannot be reopened by another appeal.
        with pytest.raises(TransitionRejected, match="closed by a decision"):
            case_request_escalation(
                case=case, actor=team.colleague, requested_at=london(2024, 9, 12, 12)
            )


# §6.1 g and h are routes out (to the line manager; to whistleblowing or grievance), refused
# through case_route_out so that who it was passed to is recorded (test_routing.py).
PIVOTAL_REFUSALS = ["6.1a", "6.1b", "6.1c", "6.1d", "6.1e", "6.1f"]


def test_pivotal_refusal_with_each_section_6_1_reason_records_the_reason_and_letter():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)):
        for code in PIVOTAL_REFUSALS:
            # §6.1 a needs an incident over 6 months before (1 Feb 2024 + 6 months is
            # 1 Aug 2024, before Mon 2 Sep); §6.1 g a complaint naming a colleague.
            facts = {
                "6.1a": {"incident_date": date(2024, 2, 1)},
                "6.1g": {"about_colleagues": [team.investigator2]},
            }.get(code, {})
            case = receive_complaint(team, london(2024, 9, 2), **facts)
            case_refuse(case=case, actor=team.allocator, reason_code=code, explanation="Why.")
            assert_state(case, REFUSED, 0)
            event = assert_last_event(
                case,
                Action.REFUSE,
                RECEIVED,
                REFUSED,
                0,
                reason_code=code,
                explanation="Why.",
                cites=f"§6.1 {code[-1]}" + ("; §7.2" if code == "6.1g" else ""),
            )
            assert event.data["letter_text"]
            assert event.data["reason"]
            # A refusal stops every clock (KPIS.md "a refusal is not a closure").
            assert {c.status for c in case.clocks.all()} <= {"met", "stopped", "not_started"}
            assert case.next_due is None
        case = receive_complaint(team, london(2024, 9, 2))
        with pytest.raises(CaseInputError) as wrong:
            case_refuse(case=case, actor=team.allocator, reason_code="6.1z")
        assert (
            str(wrong.value) == "Choose a refusal reason from the policy's list; '6.1z' is not one."
        )


def test_pivotal_out_of_time_complaint_cannot_be_accepted_but_exactly_6_months_can():
    # §6.1 a: not dealt with if it "occurred over 6 months ago". 29 Feb 2024 + 6 months is
    # Thu 29 Aug 2024: received that day it is in time, the next day it is not.
    team = make_team("pivotal")
    with travel(london(2024, 8, 30)):
        in_time = receive_complaint(team, london(2024, 8, 29), incident_date=date(2024, 2, 29))
        late = receive_complaint(team, london(2024, 8, 30), incident_date=date(2024, 2, 29))
        case_accept(case=in_time, actor=team.allocator)
        assert_state(in_time, AWAITING_ALLOCATION, 1)
        message = (
            "Received Fri 30 Aug 2024, after the 6-month time limit (§6.1 a) ended on "
            "Thu 29 Aug 2024 (6 months after the incident on Thu 29 Feb 2024). Do not accept it: "
            "refuse it with the time-limit reason."
        )
        with pytest.raises(TransitionRejected) as refused:
            case_accept(case=late, actor=team.allocator)
        assert str(refused.value) == message
        # Pivotal allows no exceptional circumstances: recording some changes nothing.
        with pytest.raises(TransitionRejected) as refused:
            case_accept(case=late, actor=team.allocator, exceptional_circumstances="Illness.")
        assert str(refused.value) == message
        assert_state(late, RECEIVED, 0)
        assert late.exceptional_circumstances == ""
        case_refuse(case=late, actor=team.allocator, reason_code="6.1a")
        assert_state(late, REFUSED, 0)


@pytest.mark.parametrize(
    ("flags", "label"),
    [
        ({"safeguarding": True}, "Safeguarding"),
        ({"categories": ["health_and_safety"]}, "Health and safety"),
    ],
)
def test_pivotal_safeguarding_and_health_and_safety_complaints_have_no_time_limit(flags, label):
    # §6.1 a: "(unless related to safeguarding or health and safety matters)".
    team = make_team("pivotal")
    with travel(london(2024, 8, 30)):
        case = receive_complaint(
            team, london(2024, 8, 30), incident_date=date(2021, 1, 15), **flags
        )
        case_accept(case=case, actor=team.allocator)
        assert_state(case, AWAITING_ALLOCATION, 1)
        assert_last_event(
            case,
            Action.ACCEPT,
            RECEIVED,
            AWAITING_ALLOCATION,
            1,
            time_limit=f"{label} complaints are exempt from the 6-month time limit (§6.1 a).",
        )


# ---------------------------------------------------------------------------------------------
# MMBM: local resolution, then three stages (seed 000 §8)
# ---------------------------------------------------------------------------------------------

MMBM_RECEIVED = london(2024, 3, 5)  # Tue 5 Mar 2024, Greenwich Mean Time

MMBM_DUES_ON_RECEIPT = {
    # §8: contact within 2 WD: Wed 6 (1), Thu 7 Mar (2).
    "local_resolution_contact_due": date(2024, 3, 7),
    # §8.1: acknowledge within 3 WD: Fri 8 Mar.
    "stage1_acknowledgement_due": date(2024, 3, 8),
    # §8.1.3: 28 WD from receipt: Wed 6 to Fri 8 (3), 11 to 15 (8), 18 to 22 (13), Mon 25 to
    # Thu 28 (17), Good Friday 29 Mar and Easter Monday 1 Apr skipped, Tue 2 to Fri 5 (21),
    # 8 to 12 (26), Mon 15 (27), Tue 16 Apr (28).
    "stage1_response_due": date(2024, 4, 16),
    "stage2_request_due": None,
    "stage2_acknowledgement_due": None,
    "stage2_response_due": None,
    "stage3_outcome_due": None,
    "restriction_review_due": None,
    "behaviour_change_due": None,  # §9: only once the person is warned
}


def test_mmbm_complaint_resolved_locally():
    team = make_team("mmbm")
    with travel(MMBM_RECEIVED) as t:
        case = receive_complaint(team, MMBM_RECEIVED, incident_date=date(2024, 3, 1))
        assert dues(case) == MMBM_DUES_ON_RECEIPT
        # Wed 6 Mar: the local manager calls to try to resolve it (§8, second paragraph).
        t.move_to(london(2024, 3, 6))
        case_start_local_resolution(case=case, actor=team.allocator, note="Called her back.")
        assert_state(case, LOCAL_RESOLUTION, 0)
        assert_last_event(case, Action.START_LOCAL_RESOLUTION, RECEIVED, LOCAL_RESOLUTION, 0)
        assert status(case, "local_resolution_contact_due") == "met"
        t.move_to(london(2024, 3, 7))
        with pytest.raises(CaseInputError, match="Say how it was resolved"):
            case_resolve_locally(case=case, actor=team.allocator, outcome="")
        case_resolve_locally(
            case=case, actor=team.allocator, outcome="The light was fixed the same afternoon."
        )
        assert_state(case, CLOSED, 0)
        assert case.closure_reason == "resolved_locally"
        assert_last_event(
            case,
            Action.RESOLVE_LOCALLY,
            LOCAL_RESOLUTION,
            CLOSED,
            0,
            reason_code="resolved_locally",
            outcome="The light was fixed the same afternoon.",
        )
        # Nothing else is owed: the stage 1 clocks stop with the closure.
        assert status(case, "stage1_acknowledgement_due") == "stopped"
        assert status(case, "stage1_response_due") == "stopped"
        assert case.next_due is None


def test_mmbm_local_resolution_that_fails_goes_on_to_stage_1():
    team = make_team("mmbm")
    with travel(MMBM_RECEIVED) as t:
        case = receive_complaint(team, MMBM_RECEIVED, incident_date=date(2024, 3, 1))
        t.move_to(london(2024, 3, 6))
        case_start_local_resolution(case=case, actor=team.allocator)
        t.move_to(london(2024, 3, 7))
        case_accept(case=case, actor=team.allocator, note="Local resolution did not work.")
        assert_state(case, AWAITING_ALLOCATION, 1)
        assert_last_event(case, Action.ACCEPT, LOCAL_RESOLUTION, AWAITING_ALLOCATION, 1)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        t.move_to(london(2024, 3, 8))
        case_acknowledge(case=case, actor=team.investigator)
        assert_state(case, INVESTIGATING, 1)
        # The stage 1 dates still count from receipt, not from the failed local resolution.
        assert status(case, "stage1_acknowledgement_due") == "met"
        assert dues(case)["stage1_acknowledgement_due"] == date(2024, 3, 8)
        assert dues(case)["stage1_response_due"] == date(2024, 4, 16)


def test_mmbm_complaint_through_stage_1_review_and_the_directors_appeal():
    team = make_team("mmbm")
    with travel(MMBM_RECEIVED) as t:
        case = receive_complaint(team, MMBM_RECEIVED, incident_date=date(2024, 2, 1))
        expected = dict(MMBM_DUES_ON_RECEIPT)
        assert dues(case) == expected

        t.move_to(london(2024, 3, 6, 9))
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 1)
        assert dues(case) == expected
        # An allocation ends the chance of local resolution (the pack's stopped_by).
        assert status(case, "local_resolution_contact_due") == "stopped"
        t.move_to(london(2024, 3, 7))
        case_acknowledge(case=case, actor=team.investigator)
        assert status(case, "stage1_acknowledgement_due") == "met"

        # Fri 12 Apr (British Summer Time): the stage 1 outcome, by Tue 16 Apr.
        t.move_to(london(2024, 4, 12, 12))
        case_respond(case=case, actor=team.investigator, outcome="not_upheld", reasons="Checked.")
        assert_state(case, RESPONDED, 1)
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            RESPONDED,
            1,
            on_time=True,
            due="2024-04-16",
            final=False,
        )
        # §8.2.2: "within 28 days of the date we responded": calendar days, Fri 10 May.
        expected["stage2_request_due"] = date(2024, 5, 10)
        assert dues(case) == expected

        # Thu 9 May: a review asked for, inside the 28 days.
        t.move_to(london(2024, 5, 9))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 5, 9))
        assert_state(case, ESCALATION_REQUESTED, 1)
        assert_last_event(
            case,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            1,
            to_stage=2,
            late=False,
            window_closes="2024-05-10",
        )
        # §8.2.5: acknowledged within 3 WD: Fri 10 (1), Mon 13 (2), Tue 14 May (3).
        expected["stage2_acknowledgement_due"] = date(2024, 5, 14)
        # §8.2.7: the review response counts from the acknowledgement, not yet made, so its
        # clock has not started.
        assert expected["stage2_response_due"] is None
        assert dues(case) == expected

        # Fri 10 May: a senior manager agrees there is scope for a review (§8.2.4).
        t.move_to(london(2024, 5, 10, 9))
        case_accept_escalation(case=case, actor=team.reviewer)
        assert_state(case, AWAITING_ALLOCATION, 2)
        assert dues(case) == expected
        case_allocate(case=case, actor=team.reviewer, handler=team.reviewer2)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 2)
        assert dues(case) == expected

        # Mon 13 May: acknowledged. §8.2.7: 28 WD from the acknowledgement: Tue 14 to Fri 17
        # (4), 20 to 24 (9), Mon 27 May spring bank holiday skipped, Tue 28 to Fri 31 (13),
        # 3 to 7 Jun (18), 10 to 14 (23), 17 to 21 Jun (28).
        t.move_to(london(2024, 5, 13))
        case_acknowledge(case=case, actor=team.reviewer2)
        assert_state(case, INVESTIGATING, 2)
        expected["stage2_response_due"] = date(2024, 6, 21)
        assert dues(case) == expected
        assert clock(case, "stage2_response_due").started_by == "stage2_acknowledged"

        # Thu 20 Jun: the review response; stage 2 is not final in MMBM.
        t.move_to(london(2024, 6, 20, 15))
        case_respond(case=case, actor=team.reviewer2, outcome="partly_upheld", reasons="Some.")
        assert_state(case, RESPONDED, 2)
        assert dues(case) == expected
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            RESPONDED,
            2,
            on_time=True,
            due="2024-06-21",
            final=False,
            closes_case=False,
        )

        # Mon 1 Jul: an appeal to the Directors (§8.3.1). The policy sets no window for it.
        t.move_to(london(2024, 7, 1))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 7, 1))
        assert_last_event(
            case,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            2,
            to_stage=3,
            late=False,
            window_closes=None,
        )
        # §8.3.3: "within 28 days of receipt of the appeal": calendar days, Mon 29 Jul.
        expected["stage3_outcome_due"] = date(2024, 7, 29)
        assert dues(case) == expected

        # Tue 2 Jul: only a Director decides whether stage 3 goes ahead (§8.3.1, §8.3.2).
        t.move_to(london(2024, 7, 2))
        with pytest.raises(TransitionRejected) as refused:
            case_accept_escalation(case=case, actor=team.reviewer)
        assert str(refused.value) == (
            f"Only someone with the Director role can accept the escalation (you are signed in as "
            f"{team.reviewer})."
        )
        # §8.3.1: stage 3 "will only be evoked where there are exceptional circumstances".
        case_accept_escalation(
            case=case,
            actor=team.director,
            exceptional_circumstances="The complaint is about the senior manager (§8.3.2).",
        )
        assert_state(case, AWAITING_ALLOCATION, 3)
        assert dues(case) == expected
        # Stage 3 has no acknowledgement step: allocated, the Director investigates at once.
        case_allocate(case=case, actor=team.director, handler=team.director)
        assert_state(case, INVESTIGATING, 3)
        assert dues(case) == expected
        assert_last_event(case, Action.ALLOCATE, AWAITING_ALLOCATION, INVESTIGATING, 3)

        # Fri 26 Jul: the Directors' outcome is final (§8.3.5).
        t.move_to(london(2024, 7, 26, 12))
        case_respond(case=case, actor=team.director, outcome="not_upheld", reasons="Final.")
        assert_state(case, CLOSED, 3)
        assert dues(case) == expected
        assert case.closure_reason == "final_outcome"
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            CLOSED,
            3,
            on_time=True,
            due="2024-07-29",
            final=True,
            closes_case=True,
            reason_code="final_outcome",
        )
        assert status(case, "stage3_outcome_due") == "met"
        t.move_to(london(2024, 7, 29))
        with pytest.raises(TransitionRejected, match="is the final stage of the MMBM"):
            case_request_escalation(
                case=case, actor=team.colleague, requested_at=london(2024, 7, 29)
            )


def test_mmbm_directors_appeal_cannot_go_to_the_person_who_handled_the_review():
    # §8.3.1: the Directors "separate to any Directors involved in day to day management".
    # The lead (all capabilities) handles the review, so cannot then hear the appeal.
    team = make_team("mmbm")
    with travel(london(2024, 6, 3)) as t:
        case = receive_complaint(team, london(2024, 6, 3))
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        case_acknowledge(case=case, actor=team.investigator)
        case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Yes.")
        t.move_to(london(2024, 6, 4))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 6, 4))
        case_accept_escalation(case=case, actor=team.lead)
        case_allocate(case=case, actor=team.lead, handler=team.lead)
        case_acknowledge(case=case, actor=team.lead)
        case_respond(case=case, actor=team.lead, outcome="upheld", reasons="Yes.")
        t.move_to(london(2024, 6, 5))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 6, 5))
        case_accept_escalation(
            case=case, actor=team.director, exceptional_circumstances="About a senior manager."
        )
        with pytest.raises(TransitionRejected) as refused:
            case_allocate(case=case, actor=team.director, handler=team.lead)
        assert str(refused.value) == (
            "The Director for Stage 3 (appeal to the Directors) must be someone other than the "
            "person who handled stage 2 (§8.3)."
        )


def test_mmbm_late_review_request_is_accepted_with_exceptional_circumstances():
    # §8.2.2: "It is up to our discretion to allow requests past 28 days in exceptional
    # circumstances."
    team = make_team("mmbm")
    with travel(MMBM_RECEIVED) as t:
        case = receive_complaint(team, MMBM_RECEIVED)
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        case_acknowledge(case=case, actor=team.investigator)
        t.move_to(london(2024, 4, 12, 12))
        case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Yes.")
        # Sat 11 May: the day after the 28 calendar days ended (Fri 10 May).
        t.move_to(london(2024, 5, 11))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 5, 11))
        assert_last_event(
            case,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            1,
            late=True,
            window_closes="2024-05-10",
        )
        with pytest.raises(TransitionRejected, match="Record the discretionary decision"):
            case_accept_escalation(case=case, actor=team.reviewer)
        case_accept_escalation(case=case, actor=team.reviewer, discretion="Bereavement.")
        assert_state(case, AWAITING_ALLOCATION, 2)
        assert_last_event(
            case,
            Action.ACCEPT_ESCALATION,
            ESCALATION_REQUESTED,
            AWAITING_ALLOCATION,
            2,
            late=True,
            discretion="Bereavement.",
        )


def test_mmbm_out_of_time_complaint_is_accepted_with_exceptional_circumstances():
    # §6.1: not normally investigated if over a year ago, "unless there are exceptional
    # circumstances". 1 May 2023 + 12 months is Wed 1 May 2024; received Mon 3 Jun 2024.
    team = make_team("mmbm")
    with travel(london(2024, 6, 3)):
        case = receive_complaint(team, london(2024, 6, 3), incident_date=date(2023, 5, 1))
        late = (
            "Received Mon 3 Jun 2024, after the 12-month time limit (§6.1) ended on Wed 1 May "
            "2024 (12 months after the incident on Mon 1 May 2023)"
        )
        with pytest.raises(TransitionRejected) as refused:
            case_accept(case=case, actor=team.allocator)
        assert str(refused.value) == (
            f"{late}, and no exceptional circumstances are recorded. Record the exceptional "
            "circumstances to accept it anyway."
        )
        assert_state(case, RECEIVED, 0)
        case_accept(
            case=case,
            actor=team.allocator,
            exceptional_circumstances="  She was in hospital for most of the year.  ",
        )
        assert_state(case, AWAITING_ALLOCATION, 1)
        assert case.exceptional_circumstances == "She was in hospital for most of the year."
        assert_last_event(
            case,
            Action.ACCEPT,
            RECEIVED,
            AWAITING_ALLOCATION,
            1,
            time_limit=f"{late}, but exceptional circumstances are recorded.",
        )


def test_mmbm_restrictions_applied_reviewed_every_6_months_and_lifted():
    # §9: restrictions "confirmed in writing" and reviewed "at least every six months"; the
    # clock runs from the last review and is clamped to the month's end (docs/time.md).
    team = make_team("mmbm")
    with travel(london(2024, 4, 29)) as t:
        # §9: warned first, on an earlier complaint of the same person, Mon 29 Apr 2024, with a
        # month to change: until Wed 29 May 2024.
        earlier = receive_complaint(team, london(2024, 4, 29))
        case_warn_about_behaviour(
            case=earlier,
            actor=team.lead,
            behaviour="Forty calls a day to staff.",
            how="letter",
            notice_sent_on=date(2024, 4, 29),
        )
        t.move_to(london(2024, 5, 28))
        case = receive_complaint(team, london(2024, 5, 28))
        assert case.complainant_id == earlier.complainant_id
        assert clock(case, "behaviour_change_due").due == date(2024, 5, 29)
        with pytest.raises(TransitionRejected, match="until Wed 29 May 2024 to change"):
            case_apply_restriction(
                case=case,
                actor=team.lead,
                restrictions="Contact by email only.",
                notice_sent_on=date(2024, 5, 28),
                reason="Forty calls a day to staff.",
            )
        t.move_to(london(2024, 5, 31, 12))
        with pytest.raises(TransitionRejected) as refused:
            case_apply_restriction(
                case=case,
                actor=team.allocator,
                restrictions="Contact by email only.",
                notice_sent_on=date(2024, 5, 31),
                reason="Forty calls a day to staff.",
            )
        assert "Only someone with the Directors role can apply restrictions on contact" in str(
            refused.value
        )
        case_apply_restriction(
            case=case,
            actor=team.lead,
            restrictions="Contact by email only.",
            notice_sent_on=date(2024, 5, 31),
            reason="Forty calls a day to staff.",
        )
        assert_state(case, RECEIVED, 0)
        assert_last_event(
            case,
            Action.APPLY_RESTRICTION,
            RECEIVED,
            RECEIVED,
            0,
            notice_sent_on="2024-05-31",
            restrictions="Contact by email only.",
        )
        # Fri 31 May + 6 months: 31 Nov does not exist, so Sat 30 Nov 2024; on the earlier
        # complaint too, since the restrictions are the person's.
        assert dues(case)["restriction_review_due"] == date(2024, 11, 30)
        assert dues(earlier)["restriction_review_due"] == date(2024, 11, 30)

        # The complaint is withdrawn; the restrictions stay in force and keep their review.
        t.move_to(london(2024, 6, 3))
        case_close(case=case, actor=team.allocator, reason_code="withdrawn")
        assert_state(case, CLOSED, 0)
        assert status(case, "restriction_review_due") == "running"

        # Sat 31 Aug: reviewed early. + 6 months: 31 Feb does not exist, so Fri 28 Feb 2025.
        t.move_to(london(2024, 8, 31))
        case_review_restriction(case=case, actor=team.lead, decision="Kept: calls continue.")
        assert_last_event(
            case, Action.REVIEW_RESTRICTION, CLOSED, CLOSED, 0, decision="Kept: calls continue."
        )
        review = clock(case, "restriction_review_due")
        assert (review.started_by, review.start, review.due) == (
            "restriction_reviewed",
            date(2024, 8, 31),
            date(2025, 2, 28),
        )

        # Thu 27 Feb 2025: lifted; the reviews end.
        t.move_to(london(2025, 2, 27))
        case_lift_restriction(case=case, actor=team.lead, reason="No calls since October.")
        assert status(case, "restriction_review_due") == "stopped"
        with pytest.raises(TransitionRejected, match="No restrictions are in force"):
            case_review_restriction(case=case, actor=team.lead, decision="Again.")
        with pytest.raises(TransitionRejected, match="No restrictions are in force"):
            case_lift_restriction(case=case, actor=team.lead, reason="Again.")


# ---------------------------------------------------------------------------------------------
# Housing Ombudsman Complaint Handling Code 2024
# ---------------------------------------------------------------------------------------------

HOS_RECEIVED = london(2024, 12, 18)  # Wed 18 Dec 2024


def test_hos_code_complaint_through_both_stages_with_a_limited_extension():
    team = make_team("hos-code-2024")
    with travel(HOS_RECEIVED) as t:
        case = receive_complaint(team, HOS_RECEIVED)
        expected = {
            # Code 6.2: 5 WD: Thu 19 (1), Fri 20 (2), Mon 23 (3), Tue 24 (4), 25 and 26 Dec
            # skipped, Fri 27 Dec (5).
            "stage1_acknowledgement_due": date(2024, 12, 27),
            # Code 6.3 via KPIS.md CH02: not acknowledged yet, so 10 WD from the
            # acknowledgement's due date: Mon 30 (1), Tue 31 (2), 1 Jan skipped, Thu 2 (3),
            # Fri 3 (4), Mon 6 to Fri 10 (9), Mon 13 Jan 2025 (10).
            "stage1_response_due": date(2025, 1, 13),
            "stage2_acknowledgement_due": None,
            "stage2_response_due": None,
            "restriction_review_due": None,
        }
        assert dues(case) == expected
        assert clock(case, "stage1_response_due").started_by == "stage1_acknowledgement_due"

        t.move_to(london(2024, 12, 19))
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 1)
        assert dues(case) == expected

        # Fri 20 Dec: acknowledged early, so the response counts from the acknowledgement:
        # Mon 23 (1), Tue 24 (2), Fri 27 (3), Mon 30 (4), Tue 31 (5), Thu 2 Jan (6), Fri 3 (7),
        # Mon 6 (8), Tue 7 (9), Wed 8 Jan 2025 (10).
        t.move_to(london(2024, 12, 20))
        case_acknowledge(case=case, actor=team.investigator)
        expected["stage1_response_due"] = date(2025, 1, 8)
        assert dues(case) == expected
        assert clock(case, "stage1_response_due").started_by == "acknowledged"

        # Mon 6 Jan 2025: Code 6.4 allows at most 10 more WD than the original Wed 8 Jan:
        # Thu 9 (1), Fri 10 (2), 13 to 17 (7), Mon 20 (8), Tue 21 (9), Wed 22 Jan (10).
        t.move_to(london(2025, 1, 6))
        with pytest.raises(TransitionRejected) as refused:
            case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2025, 1, 23),
                reason="Surveyor's report.",
                told_on=date(2025, 1, 6),
            )
        assert str(refused.value) == (
            "The new date Thu 23 Jan 2025 is after Wed 22 Jan 2025, the latest the policy allows "
            "(Code 6.4; Code 6.5). Choose Wed 22 Jan 2025 or earlier, or give the good reason "
            "for going beyond it."
        )
        case_extend(
            case=case,
            actor=team.investigator,
            new_due=date(2025, 1, 22),
            reason="Surveyor's report.",
            told_on=date(2025, 1, 6),
        )
        assert_last_event(
            case,
            Action.EXTEND,
            INVESTIGATING,
            INVESTIGATING,
            1,
            limit="2025-01-22",
            original_due="2025-01-08",
            told_before_original_due=True,
        )
        expected["stage1_response_due"] = date(2025, 1, 22)
        assert dues(case) == expected

        t.move_to(london(2025, 1, 21))
        case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Mould found.")
        assert_state(case, RESPONDED, 1)
        assert dues(case) == expected
        assert_last_event(
            case, Action.RESPOND, INVESTIGATING, RESPONDED, 1, on_time=True, due="2025-01-22"
        )

        # Mon 3 Feb: escalated; the Code sets no window (Code 6.12), so it is never late.
        t.move_to(london(2025, 2, 3))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2025, 2, 3))
        assert_last_event(
            case,
            Action.REQUEST_ESCALATION,
            RESPONDED,
            ESCALATION_REQUESTED,
            1,
            late=False,
            window_closes=None,
        )
        # Code 6.11: 5 WD: Tue 4 to Fri 7 (4), Mon 10 Feb (5). Code 6.14 before the
        # acknowledgement: 20 WD from Mon 10 Feb: 11 to 14 (4), 17 to 21 (9), 24 to 28 (14),
        # 3 to 7 Mar (19), Mon 10 Mar (20).
        expected["stage2_acknowledgement_due"] = date(2025, 2, 10)
        expected["stage2_response_due"] = date(2025, 3, 10)
        assert dues(case) == expected

        t.move_to(london(2025, 2, 4))
        case_accept_escalation(case=case, actor=team.reviewer)
        # Code 6.13: the stage 2 handler is not the stage 1 handler.
        case_allocate(case=case, actor=team.reviewer, handler=team.reviewer2)
        assert_state(case, AWAITING_ACKNOWLEDGEMENT, 2)
        assert dues(case) == expected

        # Wed 5 Feb: acknowledged; 20 WD from it: Thu 6 (1), Fri 7 (2), 10 to 14 (7), 17 to 21
        # (12), 24 to 28 (17), Mon 3 (18), Tue 4 (19), Wed 5 Mar (20).
        t.move_to(london(2025, 2, 5))
        case_acknowledge(case=case, actor=team.reviewer2)
        expected["stage2_response_due"] = date(2025, 3, 5)
        assert dues(case) == expected

        # Tue 4 Mar: the final response (Code 6.10).
        t.move_to(london(2025, 3, 4))
        case_respond(case=case, actor=team.reviewer2, outcome="upheld", reasons="Agreed.")
        assert_state(case, CLOSED, 2)
        assert dues(case) == expected
        assert case.closure_reason == "final_response"
        assert_last_event(
            case,
            Action.RESPOND,
            INVESTIGATING,
            CLOSED,
            2,
            on_time=True,
            due="2025-03-05",
            final=True,
            reason_code="final_response",
        )


def test_hos_code_late_acknowledgement_does_not_move_the_response_date():
    # KPIS.md CH02: "a late acknowledgement never buys time".
    team = make_team("hos-code-2024")
    with travel(HOS_RECEIVED) as t:
        case = receive_complaint(team, HOS_RECEIVED)
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        # Mon 6 Jan 2025, after the acknowledgement's due date (Fri 27 Dec 2024).
        t.move_to(london(2025, 1, 6))
        case_acknowledge(case=case, actor=team.investigator)
        assert status(case, "stage1_acknowledgement_due") == "met_late"
        response = clock(case, "stage1_response_due")
        assert response.due == date(2025, 1, 13)  # as on receipt, counted from Fri 27 Dec
        assert response.started_by == "stage1_acknowledgement_due"
        assert "Fri 27 Dec 2024, came first" in response.explanation


# ---------------------------------------------------------------------------------------------
# Other kinds of contact
# ---------------------------------------------------------------------------------------------


def test_service_request_logged_as_a_complaint_counts_as_received_when_converted():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)) as t:
        case = receive_complaint(team, london(2024, 9, 2), kind=CaseKind.SERVICE_REQUEST)
        assert case.clocks.count() == 0  # a service request has no complaint clocks
        # Wed 4 Sep, 14:00: the customer is still unhappy; logged as a complaint (Pivotal §9
        # "Early resolution": it "must be registered as a complaint").
        t.move_to(london(2024, 9, 4, 14))
        case_convert_to_complaint(case=case, actor=team.colleague, reason="Still unhappy.")
        case.refresh_from_db()
        assert (case.kind, case.state, case.stage) == (CaseKind.COMPLAINT, RECEIVED, 0)
        assert case.received_at == london(2024, 9, 4, 14)
        assert case.first_contact_at == london(2024, 9, 2)
        assert_last_event(
            case,
            Action.CONVERT_TO_COMPLAINT,
            RECEIVED,
            RECEIVED,
            0,
            previous_kind="service_request",
        )
        assert dues(case) == {
            # From Wed 4 Sep, not Mon 2 Sep: 1 WD Thu 5; 2 WD Fri 6; 10 WD: Thu 5 (1), Fri 6
            # (2), 9 to 13 (7), Mon 16 (8), Tue 17 (9), Wed 18 Sep (10); 20 WD: Thu 19 (11),
            # Fri 20 (12), 23 to 27 (17), Mon 30 (18), Tue 1 Oct (19), Wed 2 Oct (20).
            "log_and_notify_due": date(2024, 9, 5),
            "allocation_due": date(2024, 9, 6),
            "acknowledgement_due": None,
            "stage1_response_due": date(2024, 9, 18),
            "stage1_extended_response_due": date(2024, 10, 2),
            "appeal_request_due": None,
            "appeal_acknowledgement_due": None,
            "appeal_response_due": None,
            "auto_close_due": None,
        }
        assert status(case, "log_and_notify_due") == "running"  # nobody told yet (§9 step 5)
        with pytest.raises(TransitionRejected, match="applies to a service request"):
            case_convert_to_complaint(case=case, actor=team.colleague)


def test_compliment_is_forwarded_to_the_named_colleagues_line_manager():
    # Pivotal §19.3: compliments "passed on to others through the line management process".
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)):
        case = receive_complaint(
            team,
            london(2024, 9, 2),
            kind=CaseKind.COMPLIMENT,
            summary="Thank you to the night worker.",
            about_colleagues=[team.colleague],
        )
        assert case.clocks.count() == 0
        with pytest.raises(TransitionRejected) as refused:
            case_accept(case=case, actor=team.allocator)
        assert str(refused.value) == (
            "“Accept the complaint” applies to a complaint; this case is a compliment."
        )
        case_forward_compliment(case=case, actor=team.investigator2, note="Well done.")
        assert_state(case, CLOSED, 0)
        assert case.closure_reason == "compliment_forwarded"
        assert_last_event(
            case,
            Action.FORWARD_COMPLIMENT,
            RECEIVED,
            CLOSED,
            0,
            colleagues=[{"id": team.colleague.pk, "name": str(team.colleague)}],
            line_managers=[{"id": team.lead.pk, "name": str(team.lead)}],
        )


def test_compliment_that_names_no_colleague_or_one_without_a_line_manager_is_refused_clearly():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)):
        nobody = receive_complaint(team, london(2024, 9, 2), kind=CaseKind.COMPLIMENT)
        with pytest.raises(CaseInputError) as wrong:
            case_forward_compliment(case=nobody, actor=team.colleague)
        assert str(wrong.value) == (
            "The compliment names no colleague; add who it is about, or close it as noted."
        )
        no_manager = receive_complaint(
            team, london(2024, 9, 2), kind=CaseKind.COMPLIMENT, about_colleagues=[team.allocator]
        )
        with pytest.raises(CaseInputError) as wrong:
            case_forward_compliment(case=no_manager, actor=team.colleague)
        assert str(wrong.value) == (
            f"{team.allocator} has no line manager recorded; an administrator must add one."
        )
        for case in (nobody, no_manager):
            assert_state(case, RECEIVED, 0)
            assert event_kinds(case) == [Action.RECEIVE]
        # Noted and closed instead.
        case_close_contact(case=nobody, actor=team.colleague, outcome="Shared with the team.")
        assert_state(nobody, CLOSED, 0)


def test_suggestion_is_closed_once_dealt_with():
    team = make_team("mmbm")
    with travel(london(2024, 9, 2)):
        case = receive_complaint(
            team, london(2024, 9, 2), kind=CaseKind.SUGGESTION, summary="A bench in the garden."
        )
        with pytest.raises(CaseInputError, match="Say what was done"):
            case_close_contact(case=case, actor=team.colleague, outcome=" ")
        case_close_contact(case=case, actor=team.colleague, outcome="Passed to the manager.")
        assert_state(case, CLOSED, 0)
        assert case.closure_reason == "dealt_with"
        assert_last_event(
            case, Action.CLOSE_CONTACT, RECEIVED, CLOSED, 0, outcome="Passed to the manager."
        )


# ---------------------------------------------------------------------------------------------
# Who may act
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pack", "allocator_title", "handler_title"),
    [
        ("pivotal", "Head of Services", "Service Manager"),
        ("mmbm", "Local manager", "Local management team"),
        ("hos-code-2024", "Complaints officer", "Complaint handler"),
    ],
)
def test_a_colleague_without_the_capability_is_refused_in_the_packs_own_words(
    pack, allocator_title, handler_title
):
    team = make_team(pack)
    with travel(london(2024, 9, 2)):
        case = receive_complaint(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected) as refused:
            case_accept(case=case, actor=team.colleague)
        assert str(refused.value) == (
            f"Only someone with the {allocator_title} role can accept the complaint (you are "
            f"signed in as {team.colleague})."
        )
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        with pytest.raises(TransitionRejected) as refused:
            case_acknowledge(case=case, actor=team.allocator)
        assert str(refused.value) == (
            f"Only someone with the {handler_title} role can acknowledge (you are signed in as "
            f"{team.allocator})."
        )
        # The lead officer holds every role, but the case is the allocated handler's: the lead
        # acts for them only with a recorded reason.
        with pytest.raises(TransitionRejected, match=r"allocated to .*, so “Acknowledge”"):
            case_acknowledge(case=case, actor=team.lead)
        case_acknowledge(case=case, actor=team.lead, override="Covering their leave.")
        assert_state(case, INVESTIGATING, 1)


def test_a_colleague_of_another_organisation_cannot_act_on_the_case():
    team = make_team("pivotal")
    other = make_team("pivotal")
    with travel(london(2024, 9, 2)):
        case = receive_complaint(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected, match="belongs to another organisation"):
            case_accept(case=case, actor=other.allocator)
        case_accept(case=case, actor=team.allocator)
        with pytest.raises(CaseInputError, match="Choose an active colleague"):
            case_allocate(case=case, actor=team.allocator, handler=other.investigator)


def test_allocation_refuses_a_colleague_named_in_the_complaint_or_without_the_capability():
    # Pivotal §9 stage 1 (Head of Services, step 1): "with consideration of impartiality and any
    # actual or perceived conflict of interest".
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)):
        case = receive_complaint(team, london(2024, 9, 2), about_colleagues=[team.investigator])
        case_accept(case=case, actor=team.allocator)
        with pytest.raises(CaseInputError) as wrong:
            case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        assert str(wrong.value) == (
            f"{team.investigator} is named in this complaint, so cannot investigate it impartially."
        )
        with pytest.raises(CaseInputError) as wrong:
            case_allocate(case=case, actor=team.allocator, handler=team.colleague)
        assert str(wrong.value) == (
            f"{team.colleague} cannot handle Stage 1: they are not a Service Manager."
        )
        assert_state(case, AWAITING_ALLOCATION, 1)
        assert case.handler is None
        case_allocate(case=case, actor=team.allocator, handler=team.investigator2)
        assert case.handler == team.investigator2


# ---------------------------------------------------------------------------------------------
# The policy version is pinned (BRIEF core idea 1)
# ---------------------------------------------------------------------------------------------


def test_publishing_a_new_policy_version_does_not_move_an_existing_cases_clocks():
    team = make_team("pivotal")
    text = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
    old_rule = (
        '[clocks.stage1_response_due]\nlabel = "Send the stage 1 response"\n'
        'starts_from = "received"\nworking_days = 10\n'
    )
    assert old_rule in text
    # Version 3.1 gives 15 working days for stage 1 (its worked examples, which expect 10, are
    # left out).
    new_text = (
        text.replace(old_rule, old_rule.replace("working_days = 10", "working_days = 15"))
        .replace('version = "3.0"', 'version = "3.1"')
        .split("[[golden]]")[0]
    )
    with travel(london(2024, 8, 22)) as t:
        existing = receive_complaint(team, london(2024, 8, 22))
        old_version = existing.policy_version
        before = dues(existing)
        assert before["stage1_response_due"] == date(2024, 9, 6)  # 10 WD, as counted above

        new_version = policy_version_publish(
            organisation=team.org, toml_text=new_text, source_name="pivotal.toml"
        )
        team.org.refresh_from_db()
        assert team.org.active_policy_version == new_version
        assert new_version.version == "3.1"

        # The existing case keeps its version and its dates, even when it next moves.
        t.move_to(london(2024, 8, 23))
        case_accept(case=existing, actor=team.allocator)
        existing.refresh_from_db()
        assert existing.policy_version == old_version
        assert dues(existing) == before
        assert set(existing.events.values_list("policy_version", flat=True)) == {old_version.pk}

        # A case received now runs under version 3.1: 15 WD from Thu 22 Aug: Fri 6 Sep (10),
        # Mon 9 to Fri 13 Sep (15).
        new_case = receive_complaint(team, london(2024, 8, 22))
        assert new_case.policy_version == new_version
        assert dues(new_case)["stage1_response_due"] == date(2024, 9, 13)


def test_a_received_complaint_stores_who_it_is_from():
    team = make_team("pivotal")
    with travel(london(2024, 9, 2)):
        case = receive_complaint(
            team,
            london(2024, 9, 2),
            complainant=PersonDetails(name=" Grace Hopper ", email="grace@example.org"),
        )
        case.refresh_from_db()
        assert case.complainant.name == "Grace Hopper"
        assert re.fullmatch(r"C-2024-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}", case.reference)
        anonymous = receive_complaint(team, london(2024, 9, 2), complainant=None, anonymous=True)
        assert anonymous.complainant is None
        assert anonymous.events.get().data["anonymous"] is True
