"""TSM CH01 and CH02 for the financial year 2026-27 over tests/data.py, against the Code's own
due dates (the organisation is on Pivotal's pack); every number is worked out by hand."""

import pytest

from fairhear.reporting.events import Scope
from fairhear.reporting.tests.data import pivotal_story
from fairhear.reporting.tsm import tsm

pytestmark = pytest.mark.django_db


def test_tsm_per_tenure_against_the_codes_due_dates():
    story = pivotal_story()
    ref = story.ref
    report = tsm(Scope(story.team.org), 2026)
    assert (report["from"], report["to"], report["year"]) == ("2026-04-01", "2027-03-31", "2026-27")
    lcra, lcho = report["lcra"], report["lcho"]

    # CH01(1), LCRA: accepted at stage 1 and received in the year: C1, C2, C5, C6, C9 (C4 was
    # refused). 5 / 2,000 homes x 1,000 = 2.5.
    assert lcra["ch01_1"] == {
        "value": "2.5",
        "numerator": 5,
        "denominator": 2000,
        "references": ref("C1", "C2", "C5", "C6", "C9"),
    }
    # CH01(2), LCRA: C1's escalation: 1 / 2,000 x 1,000 = 0.5.
    assert lcra["ch01_2"] == {
        "value": "0.5",
        "numerator": 1,
        "denominator": 2000,
        "references": ref("C1"),
    }
    # CH02(1), LCRA: stage 1 responses C1 (on time), C2 (late: due Mon 27 Apr counted from the
    # acknowledgement's own due date, answered Tue 28), C6 (on time), C9 (on time by the Code's
    # Fri 1 May though late for Pivotal's Mon 27 Apr): 3 of 4 = 75.0.
    assert lcra["ch02_1"] == {
        "value": "75.0",
        "numerator": 3,
        "denominator": 4,
        "references": ref("C1", "C6", "C9"),
    }
    # CH02(2), LCRA: C1's stage 2 response Tue 12 May, due Thu 21 May: 1 of 1.
    assert lcra["ch02_2"] == {
        "value": "100.0",
        "numerator": 1,
        "denominator": 1,
        "references": ref("C1"),
    }

    # LCHO: C3 alone, 1 / 400 homes x 1,000 = 2.5; no escalation; its stage 1 response on
    # Mon 27 Apr by an extension told on Mon 20 Apr, before the Code's Tue 21 Apr: on time.
    assert lcho["ch01_1"]["value"] == "2.5"
    assert lcho["ch01_2"] == {"value": "0.0", "numerator": 0, "denominator": 400, "references": []}
    assert lcho["ch02_1"] == {
        "value": "100.0",
        "numerator": 1,
        "denominator": 1,
        "references": ref("C3"),
    }
    # No stage 2 response: nothing to divide by, so no percentage (not 0).
    assert lcho["ch02_2"] == {"value": None, "numerator": 0, "denominator": 0, "references": []}

    # The year before holds none of it.
    before = tsm(Scope(story.team.org), 2025)
    assert before["lcra"]["ch01_1"]["numerator"] == 0
    assert before["lcra"]["ch02_1"]["value"] is None
