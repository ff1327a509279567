"""Run a pack's own worked examples: a pack whose examples fail is not valid."""

from __future__ import annotations

from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.clock import fmt_day, london_date, parse_timestamp
from fairhear.domain.policy.evaluate import (
    Occurrence,
    TimetableInputError,
    compute_timetable,
    time_limit_verdict,
)
from fairhear.domain.policy.schema import GoldenCase, PolicyPack


def golden_failures(pack: PolicyPack) -> list[str]:
    """Every way the pack's golden cases disagree with what the pack computes (empty = all pass)."""
    failures: list[str] = []
    for i, case in enumerate(pack.golden):
        prefix = f"golden[{i}] {case.title!r}"
        try:
            failures += [f"{prefix}: {msg}" for msg in _check(pack, case)]
        except (TimetableInputError, ValueError) as exc:
            failures.append(f"{prefix}: {exc}")
    return failures


def _check(pack: PolicyPack, case: GoldenCase) -> list[str]:
    cal = WorkingDayCalendar(Nation(case.nation))
    received_on = london_date(parse_timestamp(case.received))
    occurrences = [Occurrence("received", received_on), Occurrence("logged", received_on)]
    occurrences += [Occurrence(n, london_date(parse_timestamp(t))) for n, t in case.events]
    clocks = {c.name: c for c in compute_timetable(pack, cal, occurrences)}
    out = []
    for name, expected in case.expect_due:
        got = clocks[name].due
        if got != expected:
            want = fmt_day(expected) if expected else "not started"
            have = fmt_day(got) if got else "not started"
            out.append(f"{name} should be {want} but the pack gives {have}.")
    if case.expect_in_time is not None:
        verdict = time_limit_verdict(
            pack,
            received_on=received_on,
            incident_on=case.incident_date,
            category=case.category,
            exceptional_circumstances=case.exceptional_circumstances,
        )
        if verdict.in_time != case.expect_in_time:
            out.append(
                f"in_time should be {str(case.expect_in_time).lower()} but the pack says "
                f"{str(verdict.in_time).lower()}: {verdict.reason}"
            )
    return out
