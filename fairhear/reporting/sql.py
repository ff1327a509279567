"""The pieces of SQL the figures share: a period of London dates as a range of instants, the
month, quarter or year an event falls in, and day numbers for counting working days in the
database (CH02's Code due dates)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import (
    CharField,
    DateTimeField,
    Func,
    IntegerField,
    Q,
    Value,
)
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter, TruncYear

from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.clock import LONDON
from fairhear.domain.kpis import By, bucket_label

# The day numbers below count from this Monday, so that a day's weekday is its number mod 7.
EPOCH = date(1970, 1, 5)


def during(start: date, end: date, field: str = "occurred_at") -> Q:
    """Instants whose London date is from `start` to `end` inclusive, as an indexable range."""
    first = datetime.combine(start, time(0), LONDON)
    after = datetime.combine(end + timedelta(days=1), time(0), LONDON)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


_TRUNC = {By.MONTH: TruncMonth, By.QUARTER: TruncQuarter, By.YEAR: TruncYear}


def bucket(by: By | None, field: str = "occurred_at") -> Func | Value:
    """The first instant of the London month, quarter or year of `field`; a constant for the
    whole period when `by` is None."""
    if by is None:
        return Value("all", output_field=CharField())
    return _TRUNC[by](field, tzinfo=LONDON, output_field=DateTimeField())


def bucket_key(value: object, by: By | None) -> str:
    """The label of a bucket value the database gave back ('2026-01', '2026-Q1', '2026')."""
    if by is None:
        return "all"
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date() if value.tzinfo else value.date()
    elif isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return bucket_label(value, by)


def london_day(field: str) -> TruncDate:
    """The London date of an instant."""
    return TruncDate(field, tzinfo=LONDON)


class DayNumber(Func):
    """Days from EPOCH (a Monday) to a date, or to a date written as text (YYYY-MM-DD)."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler: object, connection: object, **extra: object) -> tuple:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s) - julianday('1970-01-05')) AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler: object, connection: object, **extra: object) -> tuple:
        return self.as_sql(
            compiler,
            connection,
            template="((%(expressions)s)::date - DATE '1970-01-05')",
            **extra,
        )


def day_number(day: date) -> int:
    """DayNumber in Python."""
    return (day - EPOCH).days


def off_weekdays(calendar: WorkingDayCalendar, start: date, end: date) -> list[int]:
    """The day numbers of the Mondays to Fridays from `start` to `end` that are not working
    days (bank holidays and the organisation's closures): a loop over calendar days, not cases."""
    out = []
    day = start
    while day <= end:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            out.append(day_number(day))
        day += timedelta(days=1)
    return out


def working_days_before(column: str, off: list[int], plus: int = 0) -> str:
    """SQL for the number of working days from EPOCH up to, not including, day `column` +
    `plus`: Mondays to Fridays by arithmetic, less the bank holidays and closures before it.
    `column` is a column of integer day numbers; `off` are integers we made, never input."""
    n = f"({column} + {int(plus)})"
    weekdays = f"(5 * ({n} / 7) + CASE WHEN {n} %% 7 > 5 THEN 5 ELSE {n} %% 7 END)"
    if not off:
        return weekdays
    holidays = " + ".join(f"CASE WHEN {n} > {int(h)} THEN 1 ELSE 0 END" for h in off)
    return f"({weekdays} - ({holidays}))"
