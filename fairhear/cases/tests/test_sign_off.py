"""Sign-off steps the Pivotal policy names (seed 003): a stage 1 extension needs the Head of
Services' agreement (§9 stage 1 step 7: "discuss with the Head of Services and, with their
agreement, provide ... a date"), and so does the stage 1 outcome (§13: "the outcome agreed with
the Head of Services"). Through the services on the real database.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases.models import Case
from fairhear.cases.services import (
    CaseInputError,
    TransitionRejected,
    case_accept,
    case_acknowledge,
    case_allocate,
    case_extend,
    case_respond,
    case_sign_off,
)
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.sign_off import SignOffStep, sign_off_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)  # Monday 2 March 2026


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 11, 0, tzinfo=LONDON)


def investigating(team: Team, handler=None) -> Case:
    case = receive_complaint(team, RECEIVED)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=handler or team.investigator)
    return case_acknowledge(case=case, actor=handler or team.investigator)


def respond(case: Case, actor) -> Case:
    return case_respond(case=case, actor=actor, outcome="upheld", reasons="The repair was late.")


def extend(case: Case, actor, new_due: date) -> Case:
    return case_extend(
        case=case, actor=actor, new_due=new_due, reason="Contractor's report.", told_on=None
    )


def last_event(case: Case):
    return case.events.order_by("-sequence").first()


def test_pivotal_stage_1_response_is_refused_until_the_head_of_services_agrees_the_outcome():
    team = make_team("pivotal")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team)
        with pytest.raises(TransitionRejected) as refused:
            respond(case, team.investigator)
        assert str(refused.value) == (
            "Stage 1: the outcome of the response must be agreed with the Head of Services first "
            "(§13; §9 stage 1 step 3). Ask the Head of Services to record their sign-off on this "
            "case, or the Head of Services may take this step themselves."
        )
        case.refresh_from_db()
        assert case.state == "investigating"

        case_sign_off(
            case=case, actor=team.allocator, step="response", note="Upheld, with an apology."
        )
        signed = last_event(case)
        assert (signed.kind, signed.actor, signed.data["step"]) == (
            "signed_off",
            team.allocator,
            "response",
        )
        respond(case, team.investigator)

    data = last_event(case).data
    assert data["signed_off_by"] == str(team.allocator)
    assert data["signed_off_on"] == "2026-03-05"
    assert data["signed_off_title"] == "Head of Services"
    case.refresh_from_db()
    assert case.state == "responded"


def test_pivotal_each_stage_1_extension_needs_its_own_agreement():
    team = make_team("pivotal")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team)
        with pytest.raises(TransitionRejected, match="the extension and its new date must be"):
            extend(case, team.investigator, date(2026, 3, 20))
        case_sign_off(case=case, actor=team.allocator, step="extension")
        # 10 working days from Mon 2 Mar 2026 is Mon 16 Mar; the limit (20) is Mon 30 Mar.
        extend(case, team.investigator, date(2026, 3, 20))
        assert case.clocks.get(name="stage1_response_due").due == date(2026, 3, 20)
        # The agreement covered that extension; a further one needs another.
        with pytest.raises(TransitionRejected, match="must be agreed with the Head of Services"):
            extend(case, team.investigator, date(2026, 3, 27))
        case_sign_off(case=case, actor=team.allocator, step="extension")
        extend(case, team.investigator, date(2026, 3, 27))
    assert case.clocks.get(name="stage1_response_due").due == date(2026, 3, 27)


def test_an_agreement_to_extend_does_not_agree_the_outcome():
    team = make_team("pivotal")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team)
        case_sign_off(case=case, actor=team.allocator, step="extension")
        with pytest.raises(TransitionRejected, match="the outcome of the response must be"):
            respond(case, team.investigator)


def test_the_head_of_services_role_may_take_the_step_themselves():
    # The lead officer holds every role (Pivotal §5.1: the Lead Officer is the Head of Services).
    team = make_team("pivotal")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team, handler=team.lead)
        respond(case, team.lead)
    data = last_event(case).data
    assert (data["signed_off_by"], data["signed_off_on"]) == (str(team.lead), None)


def test_only_the_head_of_services_may_sign_off():
    team = make_team("pivotal")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team)
        with pytest.raises(TransitionRejected) as refused:
            case_sign_off(case=case, actor=team.investigator, step="response")
    assert str(refused.value).startswith(
        "Only someone with the Head of Services role can sign off a step"
    )


def test_a_step_the_pack_does_not_name_cannot_be_signed_off():
    team = make_team("pivotal")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team)
        with pytest.raises(CaseInputError) as refused:
            case_sign_off(case=case, actor=team.allocator, step="closure")
    assert str(refused.value) == (
        "Choose what is agreed: the extension and its new date or the outcome of the response."
    )


def test_mmbm_names_no_sign_off_so_its_investigator_responds_alone():
    team = make_team("mmbm")
    with time_machine.travel(at(5), tick=False):
        case = investigating(team)
        with pytest.raises(TransitionRejected) as refused:
            case_sign_off(case=case, actor=team.lead, step="response")
        assert "names no step at Stage 1 (initial investigation) that someone else" in str(
            refused.value
        )
        respond(case, team.investigator)
    assert "signed_off_by" not in last_event(case).data


def test_pivotal_appeal_response_needs_no_sign_off():
    # §9 stage 2 points 3-6 name no one else's agreement: only stage 1 declares a sign-off.
    pack = load_shipped_pack("pivotal")
    assert sign_off_for(pack, 2, SignOffStep.RESPONSE) is None
    assert sign_off_for(pack, 2, SignOffStep.EXTENSION) is None
