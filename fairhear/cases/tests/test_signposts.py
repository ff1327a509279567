"""The right ombudsman or regulator for each case, recorded with every refusal, refused
escalation, final response and (Code 6.5) extension, through the services on the database.

Pivotal is seed 003 (§1.4, §6.2, §9 stage 2 point 5, §16: the Housing Ombudsman Service for
every case); MMBM is seed 000 (§8.3.6: the CQC for CQC-registered services; the LGSCO for care
and support complaints in care and supported living, REGULATION.md §3); "Code" is the Housing
Ombudsman Complaint Handling Code 2024.
"""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fairhear.accounts.models import ServiceArea
from fairhear.accounts.tests.factories import ServiceAreaFactory
from fairhear.cases.selectors import case_signposts
from fairhear.cases.services import (
    case_accept,
    case_accept_escalation,
    case_acknowledge,
    case_allocate,
    case_extend,
    case_refuse,
    case_refuse_escalation,
    case_request_escalation,
    case_respond,
)
from fairhear.cases.tests.factories import make_team, receive_complaint, signed_off
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.schema import ServiceKind

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HOS = "Housing Ombudsman Service: PO Box 152, Liverpool L33 7WQ. Telephone 0300 111 3000."
CQC = "Care Quality Commission (CQC): CQC National Customer Service Centre, Citygate"
LGSCO = "Local Government and Social Care Ombudsman: 0300 061 0614, www.lgo.org.uk"


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def last_event(case, kind: Action):
    return case.events.filter(kind=kind).order_by("-sequence").first()


def codes(data: dict) -> list[str]:
    """The codes of the signposts an event records (each with its name and contact)."""
    return [s["code"] for s in data["signposts"]]


def test_service_area_kinds_mirror_the_domain():
    assert [k for k in ServiceArea.Kind.values if k] == [k.value for k in ServiceKind]


def test_a_pivotal_refusal_letter_gives_the_right_to_challenge_and_the_ombudsman_contact():
    # Item 7, §6.2: "has the right to challenge our decision using the Housing Ombudsman".
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = receive_complaint(team, london(2024, 9, 2))
        case_refuse(case=case, actor=team.allocator, reason_code="6.1d")
    event = last_event(case, Action.REFUSE)
    assert codes(event.data) == ["housing_ombudsman"]
    assert event.data["letter_text"].startswith(
        "Disputes about how a service charge is calculated are not dealt with under our "
        "complaints policy (section 6.1 d).\n\nYou, or someone acting for you, have the right to "
        "challenge our decision using the Housing Ombudsman Service (sections 6.2 and 16 of our "
        "policy). " + HOS
    )


def test_mmbm_refusal_in_a_cqc_registered_supported_living_service_names_cqc_and_lgsco():
    team = make_team("mmbm")
    area = ServiceAreaFactory(
        organisation=team.org, kind=ServiceKind.SUPPORTED_LIVING, cqc_registered=True
    )
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = receive_complaint(
            team, london(2024, 9, 2), service_area=area, categories=["support"]
        )
        case_refuse(case=case, actor=team.allocator, reason_code="other_bodies")
    event = last_event(case, Action.REFUSE)
    assert codes(event.data) == ["cqc", "lgsco"]
    assert CQC in event.data["letter_text"]
    assert LGSCO in event.data["letter_text"]


def test_mmbm_housing_complaint_in_a_housing_service_names_no_care_body():
    # Neither the CQC (not registered) nor the LGSCO (not care) applies: only those that do.
    team = make_team("mmbm")
    area = ServiceAreaFactory(organisation=team.org, kind=ServiceKind.HOUSING, cqc_registered=False)
    with time_machine.travel(london(2024, 9, 2), tick=False):
        case = receive_complaint(
            team, london(2024, 9, 2), service_area=area, categories=["housing"]
        )
        case_refuse(case=case, actor=team.allocator, reason_code="other_bodies")
    event = last_event(case, Action.REFUSE)
    assert codes(event.data) == []
    assert event.data["letter_text"] == (
        "Your complaint is about a service another organisation provides (section 6 of our "
        "policy). We will support you to complain to the right body."
    )
    assert case_signposts(case) == ()


def _pivotal_stage1_sent(team, t):
    case = receive_complaint(team, london(2024, 9, 2), incident_date=date(2024, 8, 1))
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case_acknowledge(case=case, actor=team.investigator)
    t.move_to(london(2024, 9, 6))
    signed_off(team, case, "response")  # §13: the outcome agreed with the Head of Services
    case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late repair.")
    t.move_to(london(2024, 9, 9))
    case_request_escalation(case=case, actor=team.colleague, requested_at=london(2024, 9, 9))
    return case


def test_a_pivotal_appeal_not_accepted_records_the_housing_ombudsman_signpost():
    # §9 stage 2 point 5: "sign-posting them to the Housing Ombudsman Service".
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False) as t:
        case = _pivotal_stage1_sent(team, t)
        case_refuse_escalation(case=case, actor=team.reviewer2, reason="Nothing new.")
    event = last_event(case, Action.REFUSE_ESCALATION)
    assert codes(event.data) == ["housing_ombudsman"]
    assert HOS in event.data["signposts_text"]


def test_the_pivotal_final_appeal_response_records_the_housing_ombudsman_signpost():
    # §16.2: the Ombudsman can be contacted after the final stage 2 response.
    team = make_team("pivotal")
    with time_machine.travel(london(2024, 9, 2), tick=False) as t:
        case = _pivotal_stage1_sent(team, t)
        case_accept_escalation(case=case, actor=team.reviewer2)
        case_allocate(case=case, actor=team.reviewer2, handler=team.reviewer2)
        case_acknowledge(case=case, actor=team.reviewer2)
        t.move_to(london(2024, 9, 20))
        case_respond(case=case, actor=team.reviewer2, outcome="not_upheld", reasons="Done right.")
    stage1, final = case.events.filter(kind=Action.RESPOND).order_by("sequence")
    assert codes(final.data) == ["housing_ombudsman"]
    assert HOS in final.data["signposts_text"]
    # The stage 1 response is not final: it offers the appeal, not the Ombudsman (§11.2 g).
    assert codes(stage1.data) == []


def test_a_code_extension_gives_the_ombudsman_but_a_pivotal_one_does_not():
    # Code 6.5: on extension, give the Ombudsman's contact details.
    for pack, expected in [("hos-code-2024", ["housing_ombudsman"]), ("pivotal", [])]:
        team = make_team(pack)
        with time_machine.travel(london(2024, 9, 2), tick=False):
            case = receive_complaint(team, london(2024, 9, 2), incident_date=date(2024, 8, 1))
            case_accept(case=case, actor=team.allocator)
            case_allocate(case=case, actor=team.allocator, handler=team.investigator)
            case_acknowledge(case=case, actor=team.investigator)
            # Both packs: due Mon 16 Sep 2024 (10 WD from receipt, or from the acknowledgement,
            # both Mon 2 Sep: 3-6 (4), 9-13 (9), Mon 16 (10)); moved one day, to Tue 17 Sep.
            assert case.clocks.get(name="stage1_response_due").due == date(2024, 9, 16)
            signed_off(team, case, "extension")  # Pivotal §9 stage 1 step 7
            case_extend(
                case=case,
                actor=team.investigator,
                new_due=date(2024, 9, 17),
                reason="Waiting for the contractor's report.",
                told_on=date(2024, 9, 2),
            )
        assert codes(last_event(case, Action.EXTEND).data) == expected, pack


def _page_text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_case_page_names_the_bodies_that_apply_to_the_case_and_only_those(client):
    team = make_team("mmbm")
    care = ServiceAreaFactory(
        organisation=team.org, kind=ServiceKind.SUPPORTED_LIVING, cqc_registered=True
    )
    housing = ServiceAreaFactory(
        organisation=team.org, kind=ServiceKind.HOUSING, cqc_registered=False
    )
    with time_machine.travel(london(2024, 9, 2), tick=False):
        about_care = receive_complaint(
            team, london(2024, 9, 2), service_area=care, categories=["support"]
        )
        about_home = receive_complaint(
            team, london(2024, 9, 2), service_area=housing, categories=["housing"]
        )
        client.force_login(team.allocator)
        care_page = _page_text(client.get(f"/cases/{about_care.reference}/"))
        home_page = _page_text(client.get(f"/cases/{about_home.reference}/"))
    assert (
        "Ombudsman and regulator Care Quality Commission (CQC) CQC National Customer Service "
        "Centre, Citygate, Gallowgate, Newcastle upon Tyne NE1 4PA." in care_page
    )
    assert "Local Government and Social Care Ombudsman 0300 061 0614, www.lgo.org.uk" in care_page
    assert "Care Quality Commission" not in home_page
    assert "Local Government and Social Care Ombudsman" not in home_page
    assert (
        "Ombudsman and regulator The policy names no ombudsman or regulator for a case in this "
        "service area with these categories." in home_page
    )
