"""Working days for the UK nations, from the `holidays` package plus an organisation's closures.

The semantics are written out in docs/time.md. In short: a working day is Monday to Friday,
not a bank holiday of the organisation's nation and not one of its own closure days.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays


class Nation(StrEnum):
    """The bank-holiday divisions of the United Kingdom."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        """The nation's name as people write it."""
        return {
            Nation.ENGLAND_AND_WALES: "England and Wales",
            Nation.SCOTLAND: "Scotland",
            Nation.NORTHERN_IRELAND: "Northern Ireland",
        }[self]


# `holidays` needs a subdivision: plain "GB" silently drops Easter Monday and the August
# holiday in England, and St Patrick's Day in Northern Ireland.
_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}

DEFAULT_WEEKEND = frozenset({5, 6})  # Saturday and Sunday, as date.weekday() numbers them


@lru_cache(maxsize=64)
def _bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year))


class WorkingDayCalendar:
    """Which days are working days for one organisation, and arithmetic over them."""

    def __init__(
        self,
        nation: Nation = Nation.ENGLAND_AND_WALES,
        *,
        closures: Iterable[date] = (),
        weekend: Iterable[int] = DEFAULT_WEEKEND,
    ) -> None:
        self.nation = Nation(nation)
        self.closures = frozenset(closures)
        self.weekend = frozenset(weekend)
        if len(self.weekend) >= 7:
            raise ValueError("A week needs at least one working day; the weekend covers all seven.")

    def bank_holiday(self, day: date) -> str | None:
        """The name of the bank holiday on `day` in this nation, or None."""
        return _bank_holidays(self.nation, day.year).get(day)

    def non_working_reason(self, day: date) -> str | None:
        """Why `day` is not a working day ("Saturday", a holiday's name, "closure"), or None."""
        if day.weekday() in self.weekend:
            return day.strftime("%A")
        name = self.bank_holiday(day)
        if name is not None:
            return f"bank holiday ({name})"
        if day in self.closures:
            return "organisation closure day"
        return None

    def is_working_day(self, day: date) -> bool:
        """True when `day` is Monday to Friday, not a bank holiday and not a closure day."""
        return self.non_working_reason(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` is day 0 whatever kind of day it is."""
        if n < 0:
            raise ValueError(f"Cannot add a negative number of working days ({n}).")
        day = start
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start` up to and including `end` (0 if end<=start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def skipped_days(self, start: date, end: date) -> list[tuple[date, str]]:
        """Every non-working weekday after `start` up to `end`, with the reason it was skipped."""
        skipped = []
        day = start
        while day < end:
            day += timedelta(days=1)
            if day.weekday() in self.weekend:
                continue
            reason = self.non_working_reason(day)
            if reason is not None:
                skipped.append((day, reason))
        return skipped


def add_calendar_days(start: date, n: int) -> date:
    """`start` plus n calendar days ("within N days of X")."""
    return start + timedelta(days=n)


def add_months(start: date, n: int) -> date:
    """`start` plus n calendar months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + n
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))
