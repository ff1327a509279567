"""When a clock's owner is reminded and when a deadline is missed, on dates worked out by hand
across Christmas and New Year 2023 (England and Wales: Mon 25 and Tue 26 Dec, Mon 1 Jan)."""

from dataclasses import replace
from datetime import date

import pytest

from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.policy.load import load_shipped_pack
from fairhear.domain.reminders import (
    is_missed,
    last_due_reminded,
    remind_before,
    reminder_is_due,
)

CAL = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)
DUE = date(2024, 1, 4)  # Thu 4 Jan 2024
PIVOTAL = load_shipped_pack("pivotal")
MMBM = load_shipped_pack("mmbm")


@pytest.mark.parametrize(
    ("today", "reminded"),
    [
        (date(2023, 12, 29), False),  # Fri: Tue 2, Wed 3, Thu 4 are 3 working days left
        (date(2023, 12, 30), False),  # Sat
        (date(2023, 12, 31), False),  # Sun
        (date(2024, 1, 1), False),  # New Year's Day, a bank holiday: still 3 left
        (date(2024, 1, 2), True),  # Tue: Wed 3 and Thu 4 left, the day to remind
        (date(2024, 1, 3), True),  # missed Tuesday's sweep: still reminded before it is due
        (date(2024, 1, 4), True),  # the due date itself
        (date(2024, 1, 5), False),  # past: missed, not reminded
    ],
)
def test_two_working_days_before_thursday_4_january_is_tuesday_2_january(today, reminded):
    assert reminder_is_due(CAL, today, DUE, 2) is reminded


def test_five_working_days_before_skips_christmas_and_boxing_day():
    # Thu 4 Jan less 5 working days: Wed 3, Tue 2, Fri 29, Thu 28, Wed 27 Dec.
    assert not reminder_is_due(CAL, date(2023, 12, 22), DUE, 5)  # Fri 22 Dec: 6 left
    assert not reminder_is_due(CAL, date(2023, 12, 26), DUE, 5)  # Boxing Day: still 6 left
    assert reminder_is_due(CAL, date(2023, 12, 27), DUE, 5)


def test_no_reminder_when_the_days_are_zero():
    assert not reminder_is_due(CAL, DUE, DUE, 0)


def test_a_deadline_is_missed_only_once_its_due_date_has_ended():
    assert not is_missed(DUE, DUE)
    assert is_missed(date(2024, 1, 5), DUE)


def test_the_packs_say_how_early_and_the_organisation_may_say_otherwise():
    response = PIVOTAL.clocks["stage1_response_due"]
    assert remind_before(response) == 2
    assert remind_before(response, {"stage1_response_due": 5}) == 5
    assert remind_before(response, {"stage1_response_due": 0}) == 0
    assert remind_before(response, {"allocation_due": 3}) == 2  # another clock's figure
    # MMBM §9: restrictions are reviewed at least every six months; the lead is told 10
    # working days ahead so that the review happens before they lapse.
    assert remind_before(MMBM.clocks["restriction_review_due"]) == 10


def test_windows_and_limits_are_never_reminded_and_a_silent_pack_gives_one_day():
    # Pivotal §9 stage 2 point 1: the appeal window is the complainant's, not a task.
    assert remind_before(PIVOTAL.clocks["appeal_request_due"], {"appeal_request_due": 3}) == 0
    assert remind_before(PIVOTAL.clocks["stage1_extended_response_due"]) == 0
    silent = replace(PIVOTAL.clocks["allocation_due"], remind_before=None)
    assert remind_before(silent) == 1


@pytest.mark.parametrize(
    ("today", "before", "last"),
    [
        # Fri 29 Dec 2023, 2 days: Tue 2 Jan is 1 on (Mon 1 Jan a bank holiday), Wed 3 Jan 2.
        (date(2023, 12, 29), 2, date(2024, 1, 3)),
        # Tue 2 Jan 2024, 2 days: Wed 3 (1), Thu 4 (2); Fri 5 would be 3.
        (date(2024, 1, 2), 2, date(2024, 1, 4)),
        # Fri 22 Dec 2023, 1 day: Wed 27 Dec is the next working day; Christmas and Boxing Day
        # and the weekend before it are no working day, so a deadline on them is 1 day on too.
        (date(2023, 12, 22), 1, date(2023, 12, 27)),
    ],
)
def test_the_furthest_due_date_reminded_today_agrees_with_the_rule_day_by_day(today, before, last):
    assert last_due_reminded(CAL, today, before) == last
    assert reminder_is_due(CAL, today, last, before)
    assert not reminder_is_due(CAL, today, date.fromordinal(last.toordinal() + 1), before)
