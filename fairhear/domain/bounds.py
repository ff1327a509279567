"""Dates a person would expect on a case: what Fairhear refuses as a mistake, and what it asks
to be confirmed (docs/time.md "Dates Fairhear refuses or asks about")."""

from __future__ import annotations

from datetime import date

from fairhear.domain.calendar import add_months
from fairhear.domain.clock import EARLIEST_YEAR, LATEST_YEAR, fmt_day
from fairhear.domain.policy.schema import PolicyPack

# A case received more than this long before its policy version came into force asks for
# confirmation (a typed year is the likeliest cause; an old case imported late the other).
LONG_BEFORE_MONTHS = 12


def year_problem(day: date, what: str) -> str:
    """Why `day` cannot be right ("" when it can): outside the years Fairhear counts in."""
    if EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return ""
    return (
        f"{what} is in the year {day.year}, which cannot be right; check the year (Fairhear "
        f"takes dates from {EARLIEST_YEAR} to {LATEST_YEAR})."
    )


def version_confirmation(pack: PolicyPack, received_on: date) -> str:
    """What to ask when a case was received long before the version it would run under came
    into force (`[pack] in_force_from`), naming the version that applies; "" otherwise."""
    start = pack.in_force_from
    if start is None or received_on >= add_months(start, -LONG_BEFORE_MONTHS):
        return ""
    return (
        f"It was received on {fmt_day(received_on)}, long before the policy it would run under "
        f"came into force: {pack.title}, version {pack.version} ({pack.organisation}), in force "
        f"from {fmt_day(start)}. Its deadlines will be counted under version {pack.version}. "
        "Check the date received; if it is right, confirm it to log the case."
    )


def action_due_problem(number: int, action: str, due: date, responded_on: date) -> str:
    """Why an outstanding action's date cannot be right ("" when it can): it must fall on or
    after the day of the response that promises it."""
    if due < responded_on:
        return (
            f"Outstanding action {number} ({action}) is due {fmt_day(due)}, before the response "
            f"promising it is sent on {fmt_day(responded_on)}. Give a date on or after "
            f"{fmt_day(responded_on)}."
        )
    return year_problem(due, f"The date for outstanding action {number}")
