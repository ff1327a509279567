"""UK local dates from timestamps, and due dates with their explanation in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from fairhear.domain.calendar import WorkingDayCalendar, add_calendar_days, add_months

LONDON = ZoneInfo("Europe/London")


class NaiveTimestampError(ValueError):
    """A timestamp had no offset, so its London date cannot be known."""


def london_date(moment: datetime) -> date:
    """The Europe/London calendar date of an aware timestamp (23:30 UTC, 31 Mar 2024 → 1 Apr)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTimestampError(
            f"The time {moment.isoformat()} has no UTC offset; add one, for example +00:00."
        )
    return moment.astimezone(LONDON).date()


@dataclass(frozen=True, slots=True)
class LondonTime:
    """A London wall-clock time as recorded: the moment, and a note when the time as written
    did not name exactly one moment (the clock changes)."""

    moment: datetime  # in UTC
    note: str = ""


def resolve_london(day: date, clock: time) -> LondonTime:
    """The moment a person means by `clock` on `day` in London (docs/time.md).

    When the clocks go forward (last Sunday of March, 01:00 GMT becomes 02:00 BST) 01:00 to
    01:59 never happen: such a time is read as the same time an hour later (01:30 is 02:30
    BST). When they go back (last Sunday of October,
    02:00 BST becomes 01:00 GMT) 01:00 to 01:59 happen twice: the first is taken (01:30 BST).
    """
    wall = datetime.combine(day, clock.replace(second=0, microsecond=0, tzinfo=None))
    first = wall.replace(tzinfo=LONDON, fold=0)
    second = wall.replace(tzinfo=LONDON, fold=1)
    if first.utcoffset() == second.utcoffset():
        return LondonTime(first.astimezone(UTC))
    shown = f"{wall:%H:%M} on {fmt_day(day)}"
    through_utc = first.astimezone(UTC).astimezone(LONDON)
    if through_utc.replace(tzinfo=None) != wall:
        # In the gap fold=0 carries the offset from before the change, which reads as the
        # same time an hour later once the clocks have gone forward.
        return LondonTime(
            through_utc.astimezone(UTC),
            f"{shown} did not happen in London: the clocks went forward an hour at 01:00 that "
            f"night. It was recorded as {through_utc:%H:%M} {_zone(through_utc)}, the same time "
            "an hour later.",
        )
    return LondonTime(
        # In UTC: Python never finds a time inside the repeated hour equal to one in another
        # zone, so the moment is given without the fold.
        first.astimezone(UTC),
        f"{shown} happened twice in London: the clocks went back an hour at 02:00 that night. "
        f"It was recorded as the first {wall:%H:%M}, in {_zone(first)} "
        f"({first.astimezone(UTC):%H:%M} UTC).",
    )


def _zone(moment: datetime) -> str:
    return "BST" if moment.dst() else "GMT"


class Unit(StrEnum):
    """How a clock's duration is counted."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"

    def describe(self, amount: int) -> str:
        """'10 working days', '1 calendar day', '6 months'."""
        singular = {
            Unit.WORKING_DAYS: "working day",
            Unit.CALENDAR_DAYS: "calendar day",
            Unit.MONTHS: "month",
        }[self]
        return f"{amount} {singular}{'' if amount == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Duration:
    """An amount of time as a policy states it."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        return self.unit.describe(self.amount)


def fmt_day(day: date) -> str:
    """'Fri 22 Dec 2023'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def fmt_short(day: date) -> str:
    """'25 Dec'."""
    return f"{day.day} {day:%b}"


def add_duration(cal: WorkingDayCalendar, start: date, duration: Duration) -> date:
    """The due date `duration` after `start` (day 0), by the duration's own unit."""
    if duration.unit is Unit.WORKING_DAYS:
        return cal.add_working_days(start, duration.amount)
    if duration.unit is Unit.CALENDAR_DAYS:
        return add_calendar_days(start, duration.amount)
    return add_months(start, duration.amount)


def explain_due(cal: WorkingDayCalendar, start: date, duration: Duration, due: date) -> str:
    """Say in words how `due` follows from `start`.

    '10 working days after Fri 22 Dec 2023, skipping the bank holidays 25 Dec, 26 Dec and 1 Jan'.
    """
    text = f"{duration} after {fmt_day(start)}"
    if duration.unit is not Unit.WORKING_DAYS:
        return text
    skipped = cal.skipped_days(start, due)
    holidays_ = [d for d, reason in skipped if reason.startswith("bank holiday")]
    closures = [d for d, reason in skipped if reason == "organisation closure day"]
    parts = []
    if holidays_:
        noun = "bank holiday" if len(holidays_) == 1 else "bank holidays"
        parts.append(f"the {noun} {_join(holidays_)}")
    if closures:
        noun = "closure day" if len(closures) == 1 else "closure days"
        parts.append(f"the {noun} {_join(closures)}")
    if parts:
        text += ", skipping " + " and ".join(parts)
    return text


def _join(days: list[date]) -> str:
    names = [fmt_short(d) for d in days]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


# The years a date given to Fairhear's command line or a pack's worked example may fall in:
# wide enough for any complaint, narrow enough that counting working days never overflows.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def check_year(day: date, what: str) -> None:
    """Refuse a date outside EARLIEST_YEAR to LATEST_YEAR, saying which years are allowed."""
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(
            f"{what} is in the year {day.year}; give a date from {EARLIEST_YEAR} to {LATEST_YEAR}."
        )


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 timestamp with an offset, in the years EARLIEST_YEAR to LATEST_YEAR; raises
    ValueError saying how to write it."""
    if len(text) > 64:
        raise ValueError(
            f"{text[:40]!r}… is too long for a date and time; write it as ISO 8601 with an "
            "offset, for example 2024-01-05T14:30:00+00:00."
        )
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time; write it as ISO 8601 with an offset, "
            "for example 2024-01-05T14:30:00+00:00."
        ) from None
    if moment.tzinfo is None:
        raise ValueError(
            f"{text!r} has no UTC offset; add one, for example {moment.isoformat()}+00:00 "
            "(use +01:00 for British Summer Time)."
        )
    check_year(moment, repr(text))
    return moment
