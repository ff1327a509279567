"""Who may decide what, and with which reason, through the services on the real database.

Closure reasons apply only in their states and stages (Pivotal §10.1); the allocated handler
acts, others only through a recorded override (Pivotal §9 stage 1; MMBM §8.2.4; Code 6.13); a
waiting appeal is decided by the person the pack names (Pivotal §9 stage 2 point 5; Code 5.11);
refusal reasons need the case's facts (Pivotal §6.1). Pivotal is seed 003, MMBM seed 000, "Code"
the Housing Ombudsman Complaint Handling Code 2024.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases.models import Case
from fairhear.cases.presenters import timeline
from fairhear.cases.selectors import case_closure_reasons, case_refusal_reasons
from fairhear.cases.services import (
    CaseInputError,
    case_accept,
    case_accept_escalation,
    case_acknowledge,
    case_allocate,
    case_close,
    case_record_managers_told,
    case_refuse,
    case_refuse_escalation,
    case_request_escalation,
    case_respond,
    case_route_out,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import CaseState, TransitionRejected

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def accepted_and_acknowledged(team: Team, received: datetime, **kw) -> Case:
    """Accepted, allocated to `team.investigator` and acknowledged on the day it arrived."""
    case = receive_complaint(team, received, **kw)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case_acknowledge(case=case, actor=team.investigator)
    return case


def responded(team: Team, received: datetime, **kw) -> Case:
    case = accepted_and_acknowledged(team, received, **kw)
    signed_off(team, case, "response")
    case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="It was late.")
    return case


def last_event(case: Case):
    return case.events.order_by("-sequence").first()


# ---------------------------------------------------------------------------------------------
# Closure reasons apply in their states and stages (issue item 3)
# ---------------------------------------------------------------------------------------------


def test_pivotal_nothing_heard_closure_needs_the_stage_1_response_first():
    # §10.1 c: "no further communications ... within 10 working days of a Stage 1 response".
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = accepted_and_acknowledged(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected) as refused:
            case_close(case=case, actor=team.investigator, reason_code="10.1c")
        assert str(refused.value) == (
            "“Nothing heard within 10 working days of the stage 1 response” (§10.1 c) applies "
            "only while the case is “Response sent”; it is “Investigating”."
        )
        case.refresh_from_db()
        assert case.state == CaseState.INVESTIGATING
        # Once the response has gone it applies, and the closed case may still be appealed.
        signed_off(team, case, "response")
        case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        case_close(case=case, actor=team.investigator, reason_code="10.1c")
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 2))
        case.refresh_from_db()
        assert case.state == CaseState.ESCALATION_REQUESTED


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("final_response", "The SLT member's appeal response is final"),
        ("appeal_not_accepted", "The appeal was not accepted, so the stage 1 response is final"),
    ],
)
def test_pivotal_reasons_the_lifecycle_applies_cannot_be_chosen_at_stage_1(code, label):
    # §9 stage 2 points 5 and 6: these follow the SLT member's decision or response.
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = responded(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected) as refused:
            case_close(case=case, actor=team.investigator, reason_code=code)
        assert str(refused.value).startswith(f"“{label}”")
        assert str(refused.value).endswith(
            "is recorded by Fairhear itself when it happens; it is not chosen."
        )


def test_the_close_choices_are_the_reasons_that_apply_now():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = accepted_and_acknowledged(team, london(2024, 9, 2))
        # Investigating at stage 1: withdrawal (§10.1 b), litigation (d), nothing more to do
        # (e), behaviour (f). Not a or c, which follow the response; not the stage 2 reasons.
        assert [r.code for r in case_closure_reasons(case=case)] == [
            "10.1b",
            "10.1d",
            "10.1e",
            "10.1f",
        ]
        signed_off(team, case, "response")
        case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
        assert [r.code for r in case_closure_reasons(case=case)] == [
            "10.1a",
            "10.1b",
            "10.1c",
            "10.1d",
            "10.1e",
            "10.1f",
        ]


# ---------------------------------------------------------------------------------------------
# The allocated handler acts; others only through a recorded override (issue item 4)
# ---------------------------------------------------------------------------------------------


def test_a_colleague_with_the_role_but_not_allocated_needs_a_recorded_override():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = accepted_and_acknowledged(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected) as refused:
            case_respond(case=case, actor=team.investigator2, outcome="upheld", reasons="Late.")
        assert str(refused.value) == (
            f"This case is allocated to {team.investigator}, so “Send the response” is theirs "
            "to do. To do it for them, say why you are acting for the allocated handler; the "
            "reason is recorded in the timeline."
        )
        signed_off(team, case, "response")
        case_respond(
            case=case,
            actor=team.investigator2,
            outcome="upheld",
            reasons="Late.",
            override="They are off sick and the response is due today.",
        )
        event = last_event(case)
        assert event.actor == team.investigator2
        assert event.data["override"] == {
            "for_handler_id": team.investigator.pk,
            "for_handler": str(team.investigator),
            "reason": "They are off sick and the response is due today.",
        }
        entry = timeline([event])[0]
        assert entry.who == str(team.investigator2)
        assert (
            f"Acting for {team.investigator}",
            "They are off sick and the response is due today.",
        ) in entry.details


def test_the_handler_themself_needs_no_override():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = responded(team, london(2024, 9, 2))
        assert "override" not in last_event(case).data


def test_stage_2_may_not_go_to_a_colleague_who_responded_at_stage_1_for_the_handler():
    # Code 6.13 and Pivotal §9 stage 2: the appeal is looked at by someone new. The SLT member
    # who sent the stage 1 response for the allocated Service Manager acted at stage 1.
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = accepted_and_acknowledged(team, london(2024, 9, 2))
        signed_off(team, case, "response")
        case_respond(
            case=case,
            actor=team.reviewer,
            outcome="upheld",
            reasons="Late.",
            override="Covering the Service Manager's leave.",
        )
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 2))
        case_accept_escalation(case=case, actor=team.reviewer2)
        with pytest.raises(TransitionRejected) as refused:
            case_allocate(case=case, actor=team.reviewer2, handler=team.reviewer)
        assert str(refused.value) == (
            "The SLT member for Stage 2 (appeal to the SLT) must be someone other than the "
            "person who handled stage 1 (§9 stage 2)."
        )
        case_allocate(case=case, actor=team.reviewer2, handler=team.reviewer2)


# ---------------------------------------------------------------------------------------------
# A waiting appeal is the decider's; the complainant may withdraw (issue items 5 and 18)
# ---------------------------------------------------------------------------------------------


def test_the_stage_1_investigator_cannot_close_while_the_appeal_waits_for_the_slt():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = responded(team, london(2024, 9, 2))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 2))
        with pytest.raises(TransitionRejected) as refused:
            case_close(case=case, actor=team.investigator, reason_code="10.1e")
        assert str(refused.value) == (
            "A request for Stage 2 (appeal to the SLT) is waiting for the SLT member's "
            "decision, which is theirs alone (§9 stage 2): they accept or refuse it. Until then "
            "the case closes only if the complainant withdraws."
        )
        assert [r.code for r in case_closure_reasons(case=case)] == ["10.1b"]
        # §10.1 b: the complainant withdraws; recorded as a withdrawal.
        case_close(case=case, actor=team.investigator, reason_code="10.1b")
        case.refresh_from_db()
        assert (case.state, case.closure_reason) == (CaseState.CLOSED, "10.1b")
        event = last_event(case)
        assert event.data["withdrawn"] is True
        assert timeline([event])[0].title == "Withdrawn by the complainant"


def test_the_allocator_cannot_not_accept_an_appeal_the_slt_member_accepted():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = responded(team, london(2024, 9, 2))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 2))
        with pytest.raises(TransitionRejected, match="Only someone with the SLT member role"):
            case_refuse_escalation(case=case, actor=team.allocator, reason="No new points.")
        case_accept_escalation(case=case, actor=team.reviewer)
        case.refresh_from_db()
        assert (case.state, case.stage) == (CaseState.AWAITING_ALLOCATION, 2)
        with pytest.raises(TransitionRejected) as refused:
            case_refuse(case=case, actor=team.allocator, reason_code="6.1b")
        assert str(refused.value) == (
            "The request for Stage 2 (appeal to the SLT) has been accepted. Not accepting it "
            "was the SLT member's decision, made with “Refuse the escalation” while the request "
            "waited (§9 stage 2); close the case with a closure reason instead."
        )
        case.refresh_from_db()
        assert (case.state, case.stage) == (CaseState.AWAITING_ALLOCATION, 2)


# ---------------------------------------------------------------------------------------------
# Ombudsman Code: no escalation window; refusal only for a section 2 reason (issue item 9)
# ---------------------------------------------------------------------------------------------


def test_code_case_closed_as_not_escalated_reopens_when_the_resident_escalates_later():
    # Code 6.12 sets no window: months after the stage 1 response the resident may escalate.
    team = make_team("hos-code-2024")
    with time_machine.travel(london(2024, 9, 2), tick=False) as t:
        case = responded(team, london(2024, 9, 2))
        t.move_to(london(2024, 10, 1))
        case_close(case=case, actor=team.investigator, reason_code="not_escalated")
        t.move_to(london(2024, 12, 2))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 12, 2))
        case.refresh_from_db()
        assert case.state == CaseState.ESCALATION_REQUESTED
        assert last_event(case).data["reopened"] is True
        case_accept_escalation(case=case, actor=team.reviewer)  # never late: no window
        case.refresh_from_db()
        assert (case.state, case.stage) == (CaseState.AWAITING_ALLOCATION, 2)


def test_code_escalation_is_refused_only_for_a_section_2_reason_that_fits():
    team = make_team("hos-code-2024")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        # The issue arose on 1 Aug 2024, well within 12 months.
        case = responded(team, london(2024, 9, 2), incident_date=date(2024, 8, 1))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 2))
        with pytest.raises(CaseInputError) as wrong:
            case_refuse_escalation(case=case, actor=team.reviewer, reason="Nothing new.")
        assert str(wrong.value) == (
            "A request for Stage 2 may be refused only for one of these reasons (Code 6.10 to "
            "6.19): The issue arose over 12 months ago (Code 2.2; Code 2.3); Legal proceedings "
            "have started (Code 2.2); Already considered under the complaints policy "
            "(Code 2.2). Choose one."
        )
        with pytest.raises(TransitionRejected, match="within the time limit"):
            case_refuse_escalation(
                case=case, actor=team.reviewer, reason="Old.", refusal_code="over_12_months"
            )
        assert [r.code for r in case_refusal_reasons(case=case, codes=("over_12_months",))] == []
        case_refuse_escalation(
            case=case,
            actor=team.reviewer,
            reason="A claim was filed at court on 20 Aug.",
            refusal_code="legal_proceedings",
        )
        case.refresh_from_db()
        assert (case.state, case.closure_reason) == (CaseState.CLOSED, "escalation_refused")
        assert last_event(case).data["refusal_code"] == "legal_proceedings"


# ---------------------------------------------------------------------------------------------
# MMBM: a Directors' appeal only in exceptional circumstances (issue item 13)
# ---------------------------------------------------------------------------------------------


def test_mmbm_directors_appeal_is_accepted_only_with_exceptional_circumstances():
    team = make_team("mmbm")
    with time_machine.travel(london(2024, 6, 3), tick=False):
        case = responded(team, london(2024, 6, 3))
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 6, 3))
        case_accept_escalation(case=case, actor=team.reviewer)
        case_allocate(case=case, actor=team.reviewer, handler=team.reviewer2)
        case_acknowledge(case=case, actor=team.reviewer2)
        case_respond(case=case, actor=team.reviewer2, outcome="not_upheld", reasons="Fair.")
        case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 6, 3))
        with pytest.raises(TransitionRejected) as refused:
            case_accept_escalation(case=case, actor=team.director)
        assert str(refused.value) == (
            "Stage 3 (appeal to the Directors) goes ahead only in exceptional circumstances "
            "(§8.3). Record what they are to accept the request, or refuse it."
        )
        case_accept_escalation(
            case=case,
            actor=team.director,
            exceptional_circumstances="The complaint is about the senior manager (§8.3.2).",
        )
        case.refresh_from_db()
        assert (case.state, case.stage) == (CaseState.AWAITING_ALLOCATION, 3)
        assert last_event(case).data["exceptional_circumstances"] == (
            "The complaint is about the senior manager (§8.3.2)."
        )


# ---------------------------------------------------------------------------------------------
# Refusal reasons need the case's facts (issue item 16)
# ---------------------------------------------------------------------------------------------

OUT_OF_TIME = "“The matter happened over 6 months ago” (§6.1 a) applies only when it is outside"


@pytest.mark.parametrize(
    "facts",
    [
        # 2 years before Mon 2 Sep 2024, but safeguarding is exempt from §6.1 a.
        {"incident_date": date(2022, 9, 1), "safeguarding": True},
        {"incident_date": date(2022, 9, 1), "categories": ["health_and_safety"]},
        # No incident date: nothing to be out of time.
        {},
        # 1 Apr 2024 + 6 months is 1 Oct 2024: in time on 2 Sep 2024.
        {"incident_date": date(2024, 4, 1)},
    ],
    ids=["safeguarding", "health-and-safety", "no-incident-date", "in-time"],
)
def test_pivotal_6_1a_refusal_needs_an_incident_date_outside_the_time_limit(facts):
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = receive_complaint(team, london(2024, 9, 2), **facts)
        assert "6.1a" not in [r.code for r in case_refusal_reasons(case=case)]
        with pytest.raises(TransitionRejected, match=re.escape(OUT_OF_TIME)):
            case_refuse(case=case, actor=team.allocator, reason_code="6.1a")
        case.refresh_from_db()
        assert case.state == CaseState.RECEIVED


def test_pivotal_6_1a_refusal_of_a_complaint_over_6_months_old():
    # 1 Feb 2024 + 6 months is Thu 1 Aug 2024; received Mon 2 Sep 2024, a month later.
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = receive_complaint(team, london(2024, 9, 2), incident_date=date(2024, 2, 1))
        assert "6.1a" in [r.code for r in case_refusal_reasons(case=case)]
        case_refuse(case=case, actor=team.allocator, reason_code="6.1a")
        case.refresh_from_db()
        assert case.state == CaseState.REFUSED


def test_pivotal_6_1g_applies_only_to_a_complaint_naming_a_colleague():
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        # §6.1 g is refused by routing the complaint to the colleague's line manager, which
        # records who it was passed to (the routing-out rule).
        route = {"route_code": "colleague", "passed_to": "Their line manager", "reason": "Why."}
        plain = receive_complaint(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected, match=r"“About a Pivotal colleague.*it names a"):
            case_route_out(case=plain, actor=team.allocator, **route)
        named = receive_complaint(team, london(2024, 9, 2), about_colleagues=[team.investigator2])
        case_route_out(case=named, actor=team.allocator, **route)
        named.refresh_from_db()
        assert named.state == CaseState.REFUSED


# ---------------------------------------------------------------------------------------------
# Pivotal §9 stage 1 step 5: the line manager and Head of Services told (issue item 6)
# ---------------------------------------------------------------------------------------------


def test_pivotal_log_and_notify_is_met_when_they_are_told_not_by_logging():
    team = make_team("pivotal")
    # Received Mon 2 Sep 2024 and logged at once; 1 working day: due Tue 3 Sep.
    with time_machine.travel(london(2024, 9, 2), tick=False) as t:
        case = receive_complaint(team, london(2024, 9, 2))
        told = case.clocks.get(name="log_and_notify_due")
        assert (told.status, told.due) == ("running", date(2024, 9, 3))
        assert case.next_due == date(2024, 9, 3)
        with pytest.raises(CaseInputError, match="Say who was told"):
            case_record_managers_told(case=case, actor=team.colleague, told=" ", how="email")
        with pytest.raises(CaseInputError, match="Choose how they were told"):
            case_record_managers_told(case=case, actor=team.colleague, told="Sam", how="pigeon")
        # Told by phone on Wed 4 Sep, a day late.
        t.move_to(london(2024, 9, 4, 9))
        case_record_managers_told(
            case=case,
            actor=team.colleague,
            told=f"{team.lead} (line manager) and the Head of Services",
            how="phone",
        )
        told = case.clocks.get(name="log_and_notify_due")
        assert (told.status, told.met_on) == ("met_late", date(2024, 9, 4))
        event = last_event(case)
        assert event.data == {
            "told": f"{team.lead} (line manager) and the Head of Services",
            "how": "phone",
        }
        entry = timeline([event])[0]
        assert entry.title == "Told of the complaint"
        assert ("How", "Phone") in entry.details


def test_a_pack_that_asks_nobody_to_be_told_has_no_such_step():
    team = make_team("mmbm")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = receive_complaint(team, london(2024, 9, 2))
        with pytest.raises(TransitionRejected, match="does not ask for anyone to be told"):
            case_record_managers_told(case=case, actor=team.colleague, told="Sam", how="email")
