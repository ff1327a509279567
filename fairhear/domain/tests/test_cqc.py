"""The CQC's 28 days (Regulation 16(3): "within 28 days beginning on the day after receipt of
the request"), worked by hand: day 1 is the day after receipt, so day 28 is the date of receipt
plus 28 calendar days; weekends and bank holidays count like any other day."""

from datetime import date

import pytest

from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.cqc import (
    CqcState,
    cqc_overdue_is_due,
    cqc_reminder_is_due,
    cqc_state,
    cqc_summary_due,
    days_left_words,
    pack_names_cqc,
)
from fairhear.domain.policy.load import load_shipped_pack

CAL = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Mon 2 Mar 2026: day 1 Tue 3 Mar ... day 28 Mon 30 Mar.
        (date(2026, 3, 2), date(2026, 3, 30)),
        # Sat 31 Jan 2026: day 1 Sun 1 Feb ... day 28 Sat 28 Feb (not a leap year).
        (date(2026, 1, 31), date(2026, 2, 28)),
        # Fri 18 Dec 2026: 13 days to 31 Dec, then 15 into January: Fri 15 Jan 2027, Christmas,
        # Boxing Day's substitute and New Year's Day counted like any other day.
        (date(2026, 12, 18), date(2027, 1, 15)),
        # Sun 31 Jan 2027: 28 Feb 2027 is a Sunday, and stays the due date.
        (date(2027, 1, 31), date(2027, 2, 28)),
    ],
)
def test_the_summary_is_due_28_calendar_days_after_the_day_of_receipt(received, due):
    assert cqc_summary_due(received) == due


@pytest.mark.parametrize(
    ("today", "sent_on", "state", "words"),
    [
        (date(2026, 3, 2), None, CqcState.DUE, "28 days left"),
        (date(2026, 3, 29), None, CqcState.DUE, "1 day left"),
        (date(2026, 3, 30), None, CqcState.DUE, "Due today"),
        (date(2026, 3, 31), None, CqcState.OVERDUE, "1 day overdue"),
        (date(2026, 4, 2), None, CqcState.OVERDUE, "3 days overdue"),
        (date(2026, 4, 2), date(2026, 3, 30), CqcState.SENT_ON_TIME, "Sent in time"),
        (date(2026, 4, 2), date(2026, 4, 1), CqcState.SENT_LATE, "Sent 2 days late"),
    ],
)
def test_where_a_request_due_on_monday_30_march_stands(today, sent_on, state, words):
    due = date(2026, 3, 30)
    assert cqc_state(today, due, sent_on) is state
    assert days_left_words(today, due, sent_on) == words


@pytest.mark.parametrize(
    ("today", "reminded"),
    [
        # Received Mon 7 Dec 2026, due Mon 4 Jan 2027. Counting back five working days by hand
        # (England and Wales): Mon 4 Jan (1), [Fri 1 Jan New Year's Day], Thu 31 Dec (2),
        # Wed 30 (3), Tue 29 (4), [Mon 28 Dec Boxing Day's substitute, Fri 25 Christmas Day],
        # Thu 24 Dec (5): on Wed 23 Dec five are left after today, on Tue 22 Dec six.
        (date(2026, 12, 22), False),
        (date(2026, 12, 23), True),
        (date(2026, 12, 28), True),  # a sweep missed: still reminded before it is due
        (date(2027, 1, 4), True),  # the due date itself
        (date(2027, 1, 5), False),  # past: overdue, not reminded
    ],
)
def test_the_reminder_comes_five_working_days_before_across_christmas(today, reminded):
    assert cqc_reminder_is_due(CAL, today, date(2027, 1, 4)) is reminded


def test_overdue_from_the_day_after_the_due_date():
    assert not cqc_overdue_is_due(date(2027, 1, 4), date(2027, 1, 4))
    assert cqc_overdue_is_due(date(2027, 1, 5), date(2027, 1, 4))


def test_mmbm_names_the_cqc_and_pivotal_does_not():
    # MMBM §8.3.6 signposts the CQC for a CQC-registered service; Pivotal names only the
    # Housing Ombudsman (§1.4, §16).
    assert pack_names_cqc(load_shipped_pack("mmbm"))
    assert not pack_names_cqc(load_shipped_pack("pivotal"))
    assert not pack_names_cqc(None)
