"""When a clock's owner is reminded, and when a deadline counts as missed (docs/policy-packs.md,
"Reminders"). Plain dates in, a yes or no out; the worker's sweep asks these once a minute."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.policy.schema import ClockRule, Purpose

# A deadline whose pack says nothing is reminded this many working days before it is due.
DEFAULT_REMIND_BEFORE = 1
MAX_REMIND_BEFORE = 60


def remind_before(rule: ClockRule, overrides: Mapping[str, int] | None = None) -> int:
    """How many working days before its due date the clock's owner is reminded: the
    organisation's own figure for the clock if it set one, else the pack's, else one day for a
    deadline; 0 means no reminder. Windows and limits are the complainant's or the policy's,
    not a task for anyone, so they are never reminded."""
    if rule.purpose is not Purpose.DEADLINE:
        return 0
    if overrides and rule.name in overrides:
        return int(overrides[rule.name])
    return DEFAULT_REMIND_BEFORE if rule.remind_before is None else rule.remind_before


def reminder_is_due(cal: WorkingDayCalendar, today: date, due: date, before: int) -> bool:
    """Is today the day (or past the day, up to the due date) to remind the owner? The day is
    the working day `before` working days ahead of the due date: no more than `before` working
    days are left after today, counting the due date itself. A weekend or bank holiday is never
    that day, so a reminder never comes early (due Thu 4 Jan 2024, 2 days before: Tue 2 Jan,
    not Mon 1 Jan, a bank holiday, nor Fri 29 Dec)."""
    if before <= 0 or today > due:
        return False
    return cal.working_days_between(today, due) <= before


def last_due_reminded(cal: WorkingDayCalendar, today: date, before: int) -> date:
    """The furthest due date whose reminder day has come by `today` (reminder_is_due): the day
    before the (before + 1)-th working day after today. On Fri 29 Dec 2023, 2 days before:
    Wed 3 Jan 2024 (Tue 2 Jan is 1 working day on, Wed 3 Jan 2, Thu 4 Jan 3; Mon 1 Jan is a
    bank holiday)."""
    return cal.add_working_days(today, before + 1) - timedelta(days=1)


def is_missed(today: date, due: date) -> bool:
    """A deadline is missed once its due date has ended without it being met: the due date is
    the last day to meet it."""
    return today > due
