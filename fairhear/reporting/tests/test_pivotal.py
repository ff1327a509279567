"""Pivotal's 21.3 KPIs (seed 003) over the April and May 2026 of tests/data.py; every number
below is counted by hand from the story in that module's docstring."""

from datetime import date

import pytest

from fairhear.domain.kpis import By
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import pivotal_kpis
from fairhear.reporting.tests.data import pivotal_story

pytestmark = pytest.mark.django_db


def values(figures: dict) -> dict:
    return {key: figure["value"] for key, figure in figures.items()}


def test_pivotal_kpis_month_by_month_and_for_the_whole_period():
    story = pivotal_story()
    ref = story.ref
    report = pivotal_kpis(Scope(story.team.org), date(2026, 4, 1), date(2026, 5, 31), By.MONTH)
    april, may = (p["figures"] for p in report["periods"])
    assert [p["period"] for p in report["periods"]] == ["2026-04", "2026-05"]

    # April: received C1, C2, C3, C4, C9 (C5 was still a service request; the compliment and
    # the other organisation's complaint are not this organisation's complaints). C4 refused
    # under 6.1b. Nothing closed (a refusal is not a closure). C1 escalated on Tue 21 Apr.
    # Responses: C1 (on time), C2 (late), C3 (on time, extended and told), C9 (late for
    # Pivotal): 2 of 4. C3's extension assessed as good reason: 1 of (f) = 1. C4 went to the
    # ombudsman on Fri 24 Apr.
    assert values(april) == {
        "a_received": 5,
        "a_refused": 1,
        "a_refused_by_reason": 1,
        "b_resolved": 0,
        "c_escalated_stage2": 1,
        "d_resolved_stage2": 0,
        "e_within_timeframes": 2,
        "e_responses": 4,
        "f_extended_informed": 1,
        "g_good_reason": 1,
        "h_satisfied": 0,
        "i_ombudsman": 1,
    }
    assert april["a_received"]["references"] == ref("C1", "C2", "C3", "C4", "C9")
    assert april["a_refused"] | {"references": []} == {
        "value": 1,
        "numerator": 1,
        "denominator": 5,
        "percent": "20.0",
        "references": [],
    }
    assert april["a_refused_by_reason"]["by_reason"] == {
        "6.1b": {"value": 1, "references": ref("C4")}
    }
    assert april["e_within_timeframes"]["references"] == ref("C1", "C3")
    assert april["e_within_timeframes"]["percent"] == "50.0"
    assert april["f_extended_informed"]["references"] == ref("C3")
    assert (april["g_good_reason"]["numerator"], april["g_good_reason"]["denominator"]) == (1, 1)
    assert april["i_ombudsman"]["references"] == ref("C4")
    assert april["h_satisfied"]["percent"] is None  # nothing closed: no share to show

    # May: received C5 (logged as a complaint Tue 5 May) and C6. Closed: C1 by its stage 2
    # response (Tue 12 May) and C6 as 10.1a (Thu 28 May). Responses: C1 stage 2 and C6, both
    # on time. Satisfied: C6 by its closure reason, C1 by the "very satisfied" answer recorded
    # on Mon 1 Jun, counted in May when it closed.
    assert values(may) == {
        "a_received": 2,
        "a_refused": 0,
        "a_refused_by_reason": 0,
        "b_resolved": 2,
        "c_escalated_stage2": 0,
        "d_resolved_stage2": 1,
        "e_within_timeframes": 2,
        "e_responses": 2,
        "f_extended_informed": 0,
        "g_good_reason": 0,
        "h_satisfied": 2,
        "i_ombudsman": 0,
    }
    assert may["a_received"]["references"] == ref("C5", "C6")
    assert may["b_resolved"]["references"] == ref("C1", "C6")
    assert may["d_resolved_stage2"]["references"] == ref("C1")
    assert may["h_satisfied"]["references"] == ref("C1", "C6")
    assert may["a_refused_by_reason"]["by_reason"] == {}

    # The whole period: April and May added (no complaint counts in both months), e 4 of 6.
    total = report["total"]["figures"]
    assert values(total) == {
        "a_received": 7,
        "a_refused": 1,
        "a_refused_by_reason": 1,
        "b_resolved": 2,
        "c_escalated_stage2": 1,
        "d_resolved_stage2": 1,
        "e_within_timeframes": 4,
        "e_responses": 6,
        "f_extended_informed": 1,
        "g_good_reason": 1,
        "h_satisfied": 2,
        "i_ombudsman": 1,
    }
    assert total["e_within_timeframes"]["percent"] == "66.7"  # 4/6 = 66.66..., half up
    assert total["a_refused"]["percent"] == "14.3"  # 1/7 = 14.28...

    # One service area: Care holds C4 (received and refused in April, to the ombudsman) and C6
    # (received, answered on time, closed satisfied in May).
    care = pivotal_kpis(
        Scope(story.team.org, service_area="Care"), date(2026, 4, 1), date(2026, 5, 31), By.YEAR
    )
    assert [p["period"] for p in care["periods"]] == ["2026"]
    assert values(care["periods"][0]["figures"]) == {
        "a_received": 2,
        "a_refused": 1,
        "a_refused_by_reason": 1,
        "b_resolved": 1,
        "c_escalated_stage2": 0,
        "d_resolved_stage2": 0,
        "e_within_timeframes": 1,
        "e_responses": 1,
        "f_extended_informed": 0,
        "g_good_reason": 0,
        "h_satisfied": 1,
        "i_ombudsman": 1,
    }

    # A period of London dates: Thu 16 Apr alone holds C1's stage 1 response and nothing else.
    day = pivotal_kpis(Scope(story.team.org), date(2026, 4, 16), date(2026, 4, 16), By.MONTH)
    assert values(day["total"]["figures"])["e_responses"] == 1
    assert day["periods"][0] | {"figures": None} == {
        "period": "2026-04",
        "from": "2026-04-16",
        "to": "2026-04-16",
        "figures": None,
    }


def test_the_figures_count_only_the_viewers_organisation():
    story = pivotal_story()
    # The other organisation received one complaint on Wed 1 Apr 2026 and nothing else.
    theirs = pivotal_kpis(Scope(story.other.org), date(2026, 4, 1), date(2026, 5, 31), By.MONTH)
    assert values(theirs["total"]["figures"])["a_received"] == 1
    assert sum(values(theirs["total"]["figures"]).values()) == 1
    ours = pivotal_kpis(Scope(story.team.org), date(2026, 4, 1), date(2026, 4, 30), By.MONTH)
    other_refs = set(theirs["total"]["figures"]["a_received"]["references"])
    assert not other_refs & set(ours["total"]["figures"]["a_received"]["references"])
    assert values(ours["total"]["figures"])["a_received"] == 5
