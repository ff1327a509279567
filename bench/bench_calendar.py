"""Working-day arithmetic per call, beside numpy.busday_offset / busday_count with the same
holidays: prints calls per second for each and checks that every answer is the same.

Run: .venv/bin/python bench/bench_calendar.py   (numpy comes with the dev dependencies)

Fairhear's rule is "the date of X is day 0, whatever kind of day it is". numpy's equivalent is
`busday_offset(start, n, roll="backward")`: rolling a non-working start back to the working day
before it does not change which working days come after it. Fairhear's
`working_days_between(a, b)` counts the working days after a up to and including b, which is
numpy's `busday_count(a + 1, b + 1)`.
"""

import random
import time
from datetime import date, timedelta

import numpy as np

from fairhear.domain.calendar import Nation, WorkingDayCalendar, _bank_holidays

CALLS = 10_000
ROUNDS = 5
CLOSURES = [date(2024, 12, 27), date(2025, 12, 29), date(2026, 12, 29)]


def inputs() -> list[tuple[date, int, date]]:
    rng = random.Random(7)  # noqa: S311 - a fixed sample, not a secret
    first = date(2020, 1, 1)
    out = []
    for _ in range(CALLS):
        start = first + timedelta(days=rng.randrange(7 * 365))
        n = rng.choice([1, 2, 3, 5, 10, 20, 28])
        end = start + timedelta(days=rng.randrange(1, 120))
        out.append((start, n, end))
    return out


def best_rate(fn) -> float:
    """The best of ROUNDS runs of fn() (which makes CALLS calls), in calls per second."""
    best = float("inf")
    for _ in range(ROUNDS):
        begin = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - begin)
    return CALLS / best


def check_same_answers(cal, busdays, data, np_data) -> None:
    one = np.timedelta64(1, "D")
    for (s, n, e), (ns, _, ne) in zip(data, np_data, strict=True):
        ours = cal.add_working_days(s, n)
        theirs = np.busday_offset(ns, n, roll="backward", busdaycal=busdays).astype(date)
        assert ours == theirs, (s, n, ours, theirs)
        count = int(np.busday_count(ns + one, ne + one, busdaycal=busdays))
        assert cal.working_days_between(s, e) == count, (s, e)
    print(f"{CALLS:,} inputs (2020-2026, England and Wales + 3 closure days): same answers")


def main() -> None:
    nation = Nation.ENGLAND_AND_WALES
    cal = WorkingDayCalendar(nation, closures=CLOSURES)
    holidays = sorted(
        {d for y in range(2018, 2030) for d in _bank_holidays(nation, y)} | set(CLOSURES)
    )
    busdays = np.busdaycalendar(holidays=np.array(holidays, dtype="datetime64[D]"))
    data = inputs()
    np_starts = [np.datetime64(s, "D") for s, _, _ in data]
    np_ends = [np.datetime64(e, "D") for _, _, e in data]
    one = np.timedelta64(1, "D")
    np_data = list(zip(np_starts, [n for _, n, _ in data], np_ends, strict=True))

    check_same_answers(cal, busdays, data, np_data)

    def ours_offset() -> None:
        for s, n, _ in data:
            cal.add_working_days(s, n)

    def numpy_offset() -> None:
        for ns, n, _ in np_data:
            np.busday_offset(ns, n, roll="backward", busdaycal=busdays)

    def ours_count() -> None:
        for s, _, e in data:
            cal.working_days_between(s, e)

    def numpy_count() -> None:
        for ns, _, ne in np_data:
            np.busday_count(ns + one, ne + one, busdaycal=busdays)

    def ours_fresh_calendar() -> None:
        # As a page does: a new calendar object per request, the shared index reused.
        for s, n, _ in data:
            WorkingDayCalendar(nation, closures=CLOSURES).add_working_days(s, n)

    rows = [
        ("add_working_days", best_rate(ours_offset), "busday_offset", best_rate(numpy_offset)),
        ("working_days_between", best_rate(ours_count), "busday_count", best_rate(numpy_count)),
    ]
    for ours_name, ours, theirs_name, theirs in rows:
        print(
            f"{ours_name:<22} {ours:>12,.0f} calls/s   numpy {theirs_name:<14} "
            f"{theirs:>12,.0f} calls/s   ratio {ours / theirs:.1f}x"
        )
    print(f"{'new calendar + add':<22} {best_rate(ours_fresh_calendar):>12,.0f} calls/s")


if __name__ == "__main__":
    main()
