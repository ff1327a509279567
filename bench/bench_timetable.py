"""How fast the domain works out a case's clocks: prints cases per second for each shipped pack.

Run: .venv/bin/python bench/bench_timetable.py
"""

import time
from datetime import date, timedelta

from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.policy.evaluate import Occurrence, compute_timetable
from fairhear.domain.policy.load import load_shipped_pack

ROUNDS = 2000


def occurrences(start: date) -> list[Occurrence]:
    """A case that has reached stage 2, with a response received and an appeal."""
    return [
        Occurrence("received", start),
        Occurrence("logged", start),
        Occurrence("allocated", start + timedelta(days=1)),
        Occurrence("acknowledged", start + timedelta(days=2)),
        Occurrence("stage1_response_sent", start + timedelta(days=12)),
        Occurrence("stage1_response_received", start + timedelta(days=14)),
        Occurrence("stage2_requested", start + timedelta(days=20)),
        Occurrence("stage2_acknowledged", start + timedelta(days=21)),
    ]


def main() -> None:
    cal = WorkingDayCalendar()
    cases = [occurrences(date(2024, 1, 1) + timedelta(days=i % 700)) for i in range(ROUNDS)]
    for name in ["pivotal", "mmbm", "hos-code-2024"]:
        pack = load_shipped_pack(name)
        begin = time.perf_counter()
        for occ in cases:
            compute_timetable(pack, cal, occ)
        elapsed = time.perf_counter() - begin
        print(
            f"{name:<14} {ROUNDS} timetables in {elapsed:.3f} s: "
            f"{ROUNDS / elapsed:,.0f} cases/s, {elapsed / ROUNDS * 1e6:,.0f} µs per case"
        )


if __name__ == "__main__":
    main()
