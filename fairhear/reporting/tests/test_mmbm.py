"""MMBM's quarterly report to the directors (seed 000 §11) over a small 2026, lived through the
real services; every number is counted by hand from the story below.

M0 received Mon 1 Dec 2025 (the year before, for the trend).
M1 (housing, Supported living) received Mon 2 Mar 2026, local resolution tried Tue 3 Mar,
   resolved locally Wed 4 Mar: closed in Q1 at local resolution (stage 0).
M2 (support, Supported living) received Tue 10 Mar, accepted and allocated, acknowledged Wed
   11 Mar, stage 1 response "not upheld" Thu 26 Mar (12 working days after receipt, well inside
   MMBM's 28: on time). Review asked for Mon 13 Apr and accepted Tue 14 Apr (stage 2),
   acknowledged Wed 15 Apr, answered "upheld" Thu 30 Apr (on time), closed Fri 15 May as
   review_final: closed in Q2 having reached stage 2.
M3 (housing and staff conduct) received Wed 18 Mar, withdrawn Fri 20 Mar: closed in Q1, stage 0.
Compliments: Thu 5 Feb (Supported living) and Mon 11 May 2026 (no service area).
"""

import pytest
import time_machine

from fairhear.accounts.models import ServiceArea
from fairhear.cases.services import (
    case_accept,
    case_accept_escalation,
    case_acknowledge,
    case_allocate,
    case_close,
    case_request_escalation,
    case_resolve_locally,
    case_respond,
    case_start_local_resolution,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import CaseKind
from fairhear.reporting.events import Scope
from fairhear.reporting.mmbm import mmbm_quarterly
from fairhear.reporting.tests.data import london

pytestmark = pytest.mark.django_db


def test_mmbm_quarters_side_by_side_with_the_year_and_the_year_before():
    team = make_team("mmbm")
    area = ServiceArea.objects.create(organisation=team.org, name="Supported living")
    with time_machine.travel(london(2025, 12, 1), tick=False) as t:
        receive_complaint(team, london(2025, 12, 1))
        t.move_to(london(2026, 3, 2))
        m1 = receive_complaint(team, london(2026, 3, 2), service_area=area, categories=["housing"])
        t.move_to(london(2026, 3, 3))
        case_start_local_resolution(case=m1, actor=team.allocator)
        t.move_to(london(2026, 3, 4))
        case_resolve_locally(case=m1, actor=team.allocator, outcome="Fixed the same day.")

        t.move_to(london(2026, 3, 10))
        m2 = receive_complaint(team, london(2026, 3, 10), service_area=area, categories=["support"])
        t.move_to(london(2026, 3, 10, 11))
        case_accept(case=m2, actor=team.allocator)
        case_allocate(case=m2, actor=team.allocator, handler=team.investigator)
        t.move_to(london(2026, 3, 11))
        case_acknowledge(case=m2, actor=team.investigator)
        t.move_to(london(2026, 3, 26))
        case_respond(case=m2, actor=team.investigator, outcome="not_upheld", reasons="Checked.")
        t.move_to(london(2026, 4, 13))
        case_request_escalation(case=m2, actor=team.colleague, requested_at=london(2026, 4, 13))
        t.move_to(london(2026, 4, 14))
        case_accept_escalation(case=m2, actor=team.reviewer)
        case_allocate(case=m2, actor=team.reviewer, handler=team.reviewer2)
        t.move_to(london(2026, 4, 15))
        case_acknowledge(case=m2, actor=team.reviewer2)
        t.move_to(london(2026, 4, 30))
        case_respond(case=m2, actor=team.reviewer2, outcome="upheld", reasons="We were wrong.")
        t.move_to(london(2026, 5, 15))
        case_close(case=m2, actor=team.reviewer2, reason_code="review_final")

        t.move_to(london(2026, 3, 18))
        m3 = receive_complaint(team, london(2026, 3, 18), categories=["housing", "staff_conduct"])
        t.move_to(london(2026, 3, 20))
        case_close(case=m3, actor=team.allocator, reason_code="withdrawn")

        t.move_to(london(2026, 2, 5))
        receive_complaint(team, london(2026, 2, 5), kind=CaseKind.COMPLIMENT, service_area=area)
        t.move_to(london(2026, 5, 11))
        receive_complaint(team, london(2026, 5, 11), kind=CaseKind.COMPLIMENT)

    report = mmbm_quarterly(Scope(team.org), 2026)
    q1, q2, q3, q4 = (p["figures"] for p in report["periods"])
    refs = {name: case.reference for name, case in (("M1", m1), ("M2", m2), ("M3", m3))}

    def by(figure: dict) -> dict:
        return {k: v["value"] for k, v in figure["by"].items() if v["value"]}

    # Q1: received M1, M2, M3; causes housing (M1, M3), support (M2), staff conduct (M3).
    assert q1["received"]["value"] == 3
    assert by(q1["causes"]) == {"housing": 2, "support": 1, "staff_conduct": 1}
    assert q1["causes"]["by"]["housing"]["references"] == sorted([refs["M1"], refs["M3"]])
    # M2's stage 1 response, not upheld; M3 withdrawn.
    assert by(q1["outcomes"]) == {"stage 1 not_upheld": 1, "withdrawn": 1}
    # Closed in Q1: M1 (local resolution) and M3 (withdrawn before acceptance): stage 0 both.
    assert by(q1["stage_reached"]) == {"0": 2}
    assert q1["on_time_by_stage"]["by"]["1"] | {"references": []} == {
        "value": 1,
        "numerator": 1,
        "denominator": 1,
        "percent": "100.0",
        "references": [],
    }
    assert by(q1["compliments_by_service"]) == {"Supported living": 1}

    # Q2: nothing received; M2's stage 2 response upheld, on time; M2 closed having reached 2.
    assert q2["received"]["value"] == 0
    assert by(q2["outcomes"]) == {"stage 2 upheld": 1}
    assert q2["stage_reached"]["by"]["2"]["references"] == [refs["M2"]]
    assert q2["on_time_by_stage"]["by"]["2"]["percent"] == "100.0"
    assert by(q2["compliments_by_service"]) == {"not recorded": 1}

    # Q3 and Q4: nothing at all; no restrictions were applied or reviewed all year.
    for quarter in (q3, q4):
        assert quarter["received"]["value"] == 0
        assert by(quarter["outcomes"]) == {}
    assert report["total"]["figures"]["restrictions_in_force"]["value"] == 0
    assert report["total"]["figures"]["restriction_reviews"]["value"] == 0

    # The year, and the trend against 2025 (M0 alone).
    assert report["total"]["figures"]["received"]["value"] == 3
    assert by(report["total"]["figures"]["stage_reached"]) == {"0": 2, "2": 1}
    assert report["previous_year"]["figures"]["received"]["value"] == 1
