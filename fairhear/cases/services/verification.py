"""Checking the whole case log: every chain, and every case's stored state, stage, clocks and
next deadline against what its events say (docs/adr/ADR-005-hash-chained-case-log.md).

`manage.py verify_log` runs it; a scheduler runs that nightly (docs/operations.md). Each run is
stored as a LogCheck, and the lead officer sees the latest run's problems on My work.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from fairhear.cases.chain import logged
from fairhear.cases.models import Case, CaseClock, LogCheck
from fairhear.cases.services.clocks import clock_rows
from fairhear.domain.chain import StoredCase, chain_problems
from fairhear.domain.clock import fmt_day
from fairhear.policies.selectors import PolicyVersionTampered, policy_pack_for

# The stored clock fields that must equal what the events give.
_FIGURES = ("status", "start", "original_due", "due", "met_on", "extended", "missed_recorded")


def cases_verify_log() -> LogCheck:
    """Check every case's chain and derived values; store and return the result."""
    problems: list[dict] = []
    cases = events = 0
    queryset = Case.objects.select_related("policy_version", "organisation").order_by("pk")
    for case in queryset.iterator(chunk_size=200):
        count, found = _case_problems(case)
        if found:
            # Colleagues may have written to the case between reading its row and its events:
            # look again with the case locked, so that only a lasting problem is reported.
            with transaction.atomic():
                locked = (
                    Case.objects.select_for_update(of=("self",))
                    .select_related("policy_version")
                    .get(pk=case.pk)
                )
                count, found = _case_problems(locked)
        cases += 1
        events += count
        problems += [
            {"organisation_id": case.organisation_id, "reference": case.reference, "problem": p}
            for p in found
        ]
    with transaction.atomic():
        return LogCheck.objects.create(
            clean=not problems, cases_checked=cases, events_checked=events, problems=problems
        )


def _case_problems(case: Case) -> tuple[int, list[str]]:
    """How many events the case has, and everything wrong with its log and stored values."""
    stored = list(case.events.order_by("sequence"))
    found = chain_problems(
        StoredCase(case.pk, case.reference, case.log_head, case.state, case.stage),
        [logged(e) for e in stored],
    )
    return len(stored), found + _derived_problems(case, bool(stored))


def _derived_problems(case: Case, has_events: bool) -> list[str]:
    """Stored clocks and next deadline that differ from what the case's events give."""
    try:
        pack = policy_pack_for(case.policy_version)
    except PolicyVersionTampered:
        version = case.policy_version
        return [
            f"Its policy version {version.name} {version.version} failed its integrity check: "
            "its text no longer matches the sha256 taken when it was published."
        ]
    if not has_events:
        return []
    rows, next_due, _ = clock_rows(case, pack)
    stored = {c.name: c for c in CaseClock.objects.filter(case=case)}
    problems = []
    for row in rows:
        have = stored.pop(row.name, None)
        if have is None:
            problems.append(f"Its clock “{row.label}” is missing from the stored clocks.")
            continue
        differs = [f for f in _FIGURES if getattr(have, f) != getattr(row, f)]
        if differs:
            problems.append(
                f"Its stored clock “{row.label}” differs from its events in "
                f"{', '.join(f.replace('_', ' ') for f in differs)}."
            )
    problems += [
        f"It has a stored clock “{c.label}” that its events do not give." for c in stored.values()
    ]
    if case.next_due != next_due:
        problems.append(
            f"Its next deadline is stored as {_day(case.next_due)} but its events give "
            f"{_day(next_due)}."
        )
    return problems


def _day(day: date | None) -> str:
    return fmt_day(day) if day else "none"
