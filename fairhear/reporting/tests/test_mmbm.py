"""MMBM's quarterly report to the directors (seed 000 §11) over the small 2026 of
tests/data.py (mmbm_story); every number is counted by hand from the story in its docstring."""

import pytest

from fairhear.reporting.events import Scope
from fairhear.reporting.mmbm import mmbm_quarterly
from fairhear.reporting.tests.data import mmbm_story

pytestmark = pytest.mark.django_db


def test_mmbm_quarters_side_by_side_with_the_year_and_the_year_before():
    team, (m1, m2, m3) = mmbm_story()

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
