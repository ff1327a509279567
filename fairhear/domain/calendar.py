"""Working days for the UK nations, from the `holidays` package plus an organisation's closures.

The semantics are written out in docs/time.md. In short: a working day is Monday to Friday,
not a bank holiday of the organisation's nation and not one of its own closure days.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import threading
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


class _Index:
    """Every day of a span of whole years, numbered by ordinal, with a running count of working
    days, so that counting and offsetting working days is a subtraction and a list look-up.

    `upto[i]` is how many working days fall in the first `i` days of the span; `days` lists the
    working days' ordinals in order; `flags[i]` is 1 when day `i` of the span is a working day.
    """

    __slots__ = ("days", "first", "first_year", "flags", "last", "last_year", "upto")

    def __init__(self, key: _Key, first_year: int, last_year: int) -> None:
        nation, closures, weekend = key
        self.first_year = first_year
        self.last_year = last_year
        self.first = date(first_year, 1, 1).toordinal()
        self.last = date(last_year, 12, 31).toordinal() + 1  # exclusive
        off = {d.toordinal() for d in closures}
        for year in range(first_year, last_year + 1):
            off.update(d.toordinal() for d in _bank_holidays(nation, year))
        span = self.last - self.first
        self.flags = bytearray(span)
        self.upto = [0] * (span + 1)
        self.days: list[int] = []
        count = 0
        # date.fromordinal(o).weekday() == (o + 6) % 7
        for i, o in enumerate(range(self.first, self.last)):
            if (o + 6) % 7 not in weekend and o not in off:
                self.flags[i] = 1
                self.days.append(o)
                count += 1
            self.upto[i + 1] = count


_Key = tuple[Nation, frozenset[date], frozenset[int]]

# One index per calendar (nation, closure days, weekend), shared by every WorkingDayCalendar
# built with the same facts: each request builds its organisation's calendar afresh, and the
# index is built once per process and grown when a date falls outside it.
_INDEXES: dict[_Key, _Index] = {}
_MAX_INDEXES = 256
_INDEX_LOCK = threading.Lock()
_MARGIN_YEARS = 2


def _index_covering(key: _Key, low: int, high: int) -> _Index:
    """The index for `key`, grown if need be to cover the ordinals `low` to `high`."""
    with _INDEX_LOCK:
        index = _INDEXES.get(key)
        if index is not None and index.first <= low and high < index.last:
            return index
        low_year = date.fromordinal(max(low, 1)).year
        high_year = date.fromordinal(min(high, date.max.toordinal())).year
        if index is None:
            first_year, last_year = low_year - _MARGIN_YEARS, high_year + _MARGIN_YEARS
        else:
            # Grow by at least the current span, so repeated growth costs linear time overall.
            grow = index.last_year - index.first_year + 1
            first_year = index.first_year if low_year >= index.first_year else low_year - grow
            last_year = index.last_year if high_year <= index.last_year else high_year + grow
        first_year = max(first_year, date.min.year)
        last_year = min(last_year, date.max.year)
        index = _Index(key, first_year, last_year)
        if len(_INDEXES) >= _MAX_INDEXES and key not in _INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = index
        return index


class WorkingDayCalendar:
    """Which days are working days for one organisation, and arithmetic over them.

    Counting and offsetting working days take constant time: the calendar reads a precomputed
    index of the working days of the years around the dates asked about (see `_Index`).
    """

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
        self._key: _Key = (self.nation, self.closures, self.weekend)
        self._index: _Index | None = None

    def _covering(self, low: int, high: int) -> _Index:
        index = self._index
        if index is None or low < index.first or high >= index.last:
            index = self._index = _index_covering(self._key, low, high)
        return index

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
        o = day.toordinal()
        index = self._covering(o, o)
        return index.flags[o - index.first] == 1

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` is day 0 whatever kind of day it is."""
        if n < 0:
            raise ValueError(f"Cannot add a negative number of working days ({n}).")
        if n == 0:
            return start
        o = start.toordinal()
        # n working days never take more than n weeks plus a year of holidays and closures.
        reach = o + 7 * n + 366
        index = self._index
        while True:
            if index is not None and index.first <= o < index.last:
                k = index.upto[o - index.first + 1] + n - 1
                if k < len(index.days):
                    return date.fromordinal(index.days[k])
            if index is not None and index.last_year == date.max.year:
                raise OverflowError("date value out of range")
            index = self._covering(o, min(reach, date.max.toordinal()))
            reach += 7 * n + 366

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start` up to and including `end` (0 if end<=start)."""
        if end <= start:
            return 0
        s, e = start.toordinal(), end.toordinal()
        index = self._covering(s, e)
        return index.upto[e - index.first + 1] - index.upto[s - index.first + 1]

    def skipped_days(self, start: date, end: date) -> list[tuple[date, str]]:
        """Every non-working weekday after `start` up to `end`, with the reason it was skipped."""
        if end <= start:
            return []
        s, e = start.toordinal(), end.toordinal()
        index = self._covering(s, e)
        skipped = []
        for o in range(s + 1, e + 1):
            if index.flags[o - index.first] or (o + 6) % 7 in self.weekend:
                continue
            day = date.fromordinal(o)
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
