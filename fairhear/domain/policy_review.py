"""When the policy itself is next due for review (Pivotal §24.1: "reviewed annually"), and when
the lead officer is reminded of it. Plain dates in, a date or a yes or no out."""

from __future__ import annotations

from datetime import date

from fairhear.domain.calendar import WorkingDayCalendar, add_months
from fairhear.domain.policy.schema import PolicyPack

# The lead officer is reminded this many working days (about a month) before the review is due.
REVIEW_REMIND_BEFORE = 20


def policy_review_due(
    pack: PolicyPack, *, published_on: date, last_reviewed: date | None = None
) -> date | None:
    """The day the policy's next review is due: its period after the last review recorded, or
    else after the day the version came into force (the day it was published here when the
    pack does not say). None when the policy sets no review. A period counted from the 31st
    ends on the last day of a shorter month (31 Jan + 1 month = 28 or 29 Feb)."""
    if pack.review_every_months is None:
        return None
    start = last_reviewed or pack.in_force_from or published_on
    return add_months(start, pack.review_every_months)


def review_reminder_is_due(cal: WorkingDayCalendar, today: date, due: date) -> bool:
    """Is it time to remind the lead officer of a review due on `due`: no more than
    REVIEW_REMIND_BEFORE working days are left after today, counting the due date, and it is
    not yet past (a review overdue is told once as overdue instead)."""
    return today <= due and cal.working_days_between(today, due) <= REVIEW_REMIND_BEFORE
