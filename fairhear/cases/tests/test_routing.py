"""Routing a matter out of the complaints procedure, through the services on the database and
on the case page: anti-social behaviour to the ASB process (Pivotal §17.1), a complaint about a
colleague to their line manager (Pivotal §6.1 g, §7.2), a staff grievance to the Grievance
Procedure (MMBM §3, §6). Pivotal is seed 003, MMBM seed 000."""

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.cases.services import (
    CaseInputError,
    TransitionRejected,
    case_accept,
    case_allocate,
    case_refuse,
    case_route_out,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import Action, CaseState

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2024, 9, 2, 10, tzinfo=LONDON)  # Mon 2 Sep 2024
ROUTED = datetime(2024, 9, 3, 14, 30, tzinfo=LONDON)  # Tue 3 Sep 2024


def page_text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_an_asb_complaint_is_routed_to_the_asb_process_and_closed_with_its_reason():
    # §17.1: "dealt with in accordance with Pivotal's ASB Policy and Procedures and recorded
    # on the ASB register".
    team = make_team("pivotal")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED, anti_social_behaviour=True)
        case_route_out(
            case=case,
            actor=team.allocator,
            route_code="asb",
            passed_to="Sam Patel, ASB officer",
            reason="Noise from the neighbouring flat every night.",
        )
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == (CaseState.CLOSED, "17.1")
    event = case.events.order_by("-sequence").first()
    assert event.kind == Action.ROUTE_OUT
    assert event.occurred_at == ROUTED
    assert event.data == {
        "route": "asb",
        "route_label": "Anti-social behaviour: to the ASB process",
        "routed_to": "Pivotal's ASB Policy and Procedures, recorded on the ASB register",
        "passed_to": "Sam Patel, ASB officer",
        "explanation": "Noise from the neighbouring flat every night.",
        "cites": "§17.1",
        "reason_code": "17.1",
    }
    # Nothing more is due under the complaints procedure.
    assert case.next_due is None


def test_a_complaint_about_a_colleague_goes_to_their_line_manager_as_a_6_1_g_refusal():
    # §6.1 g: "dealt with by their Line Manager"; §6.2: a written refusal with the Ombudsman.
    team = make_team("pivotal")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED, about_colleagues=[team.investigator2])
        case_route_out(
            case=case,
            actor=team.allocator,
            route_code="colleague",
            passed_to="Lisa Purchase, Head of Services (the colleague's line manager)",
            reason="The complaint is about how a support worker spoke to the tenant.",
        )
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED
    event = case.events.order_by("-sequence").first()
    assert event.kind == Action.REFUSE
    assert event.data["reason_code"] == "6.1g"
    assert event.data["route"] == "colleague"
    assert event.data["passed_to"] == (
        "Lisa Purchase, Head of Services (the colleague's line manager)"
    )
    assert event.data["signposts"] == [
        {
            "code": "housing_ombudsman",
            "name": "Housing Ombudsman Service",
            "contact": "PO Box 152, Liverpool L33 7WQ. Telephone 0300 111 3000. Email "
            "info@housing-ombudsman.org.uk",
        }
    ]
    assert "Housing Ombudsman Service: PO Box 152" in event.data["letter_text"]


def test_a_route_owned_refusal_reason_cannot_be_used_without_saying_who_it_went_to():
    team = make_team("pivotal")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED)
        with pytest.raises(CaseInputError) as refused:
            case_refuse(case=case, actor=team.allocator, reason_code="6.1g")
    assert str(refused.value) == (
        "§6.1 g; §7.2 sends this to the colleague's line manager, under Pivotal's Disciplinary "
        "and Appeals Policy: use “Route out of this procedure”, which records who it was "
        "passed to."
    )


def test_mmbm_routes_a_staff_grievance_to_the_grievance_procedure():
    team = make_team("mmbm")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED)
        case_route_out(
            case=case,
            actor=team.allocator,
            route_code="staff_grievance",
            passed_to="HR manager",
            reason="A support worker's complaint about their rota.",
        )
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED
    assert case.events.order_by("-sequence").first().data["reason_code"] == "staff_grievance"


def test_an_investigated_complaint_found_to_be_asb_can_still_be_routed_out():
    team = make_team("pivotal")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED)
        case_accept(case=case, actor=team.allocator)
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
        case_route_out(
            case=case,
            actor=team.allocator,
            route_code="asb",
            passed_to="ASB officer",
            reason="Found to be about a neighbour's behaviour.",
        )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_routing_out_needs_who_and_why_and_a_known_route_and_the_allocator():
    team = make_team("pivotal")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED)
        with pytest.raises(CaseInputError) as no_one:
            case_route_out(
                case=case, actor=team.allocator, route_code="asb", passed_to=" ", reason="ASB."
            )
        assert str(no_one.value) == "Say who it was passed to (their name and role)."
        with pytest.raises(CaseInputError) as unknown:
            case_route_out(
                case=case, actor=team.allocator, route_code="police", passed_to="X", reason="Y"
            )
        assert str(unknown.value) == (
            "Choose where it goes from the policy's list; 'police' is not one."
        )
        with pytest.raises(TransitionRejected) as colleague:
            case_route_out(
                case=case, actor=team.colleague, route_code="asb", passed_to="X", reason="Y"
            )
        assert str(colleague.value).startswith("Only someone with the Head of Services role")


def test_the_code_pack_routes_nothing_out():
    team = make_team("hos-code-2024")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED)
        with pytest.raises(TransitionRejected) as refused:
            case_route_out(
                case=case, actor=team.allocator, route_code="asb", passed_to="X", reason="Y"
            )
    assert str(refused.value) == (
        "The Housing Ombudsman Service model policy routes nothing out of its complaints procedure."
    )


def test_the_case_page_prompts_routing_an_asb_complaint_and_then_shows_where_it_went(client):
    team = make_team("pivotal")
    with time_machine.travel(ROUTED, tick=False):
        case = receive_complaint(team, RECEIVED, anti_social_behaviour=True)
        client.force_login(team.allocator)
        before = page_text(client.get(f"/cases/{case.reference}/"))
        response = client.post(
            f"/cases/{case.reference}/routed_out/",
            {
                "route_code": "asb",
                "passed_to": "Sam Patel, ASB officer",
                "reason": "Noise from the neighbouring flat.",
                "confirm_step": "confirm",  # routing out cannot be undone: checked first
            },
        )
        assert response.status_code == 302
        after = page_text(client.get(f"/cases/{case.reference}/"))
    assert (
        "This complaint is about anti-social behaviour, which the policy deals with under "
        "Pivotal's ASB Policy and Procedures, recorded on the ASB register (§17.1). Route it "
        "out of this procedure" in before
    )
    assert "This complaint is about anti-social behaviour" not in after
    assert (
        "Routed out Anti-social behaviour: to the ASB process. Passed to Sam Patel, ASB "
        "officer on Tue 3 Sep 2024, to be dealt with under Pivotal's ASB Policy and "
        "Procedures, recorded on the ASB register (§17.1)." in after
    )
    assert "Routed out of this procedure" in after  # the timeline entry
