"""A case's clocks: worked out from its events, stored so that "what is due" is one indexed
query, and rewritten only where an event changed them.

A change to a case reads the case's events once (`case_history`, in `_transition`) and works
its clocks out from those records and the new event, without reading the log again. The
stored rows are then compared with what the events give: a row that is the same is left alone,
one that differs is updated, a new clock is inserted and a clock the events no longer give is
deleted. A note on a case whose clocks do not move writes no clock row at all. The figures are
exactly those of working every clock out afresh, which `manage.py verify_log` does
(services/verification.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.models import Case, CaseClock, CaseEvent
from fairhear.cases.restrictions import PERSON_CLOCK_ACTIONS, person_clock_records
from fairhear.domain.clock import london_date
from fairhear.domain.history import EventRecord, agreed_dates, milestones
from fairhear.domain.lifecycle import OPEN_STATES, Action, CaseKind
from fairhear.domain.policy.evaluate import ClockResult, ClockStatus, compute_timetable
from fairhear.domain.policy.schema import PolicyPack, Purpose
from fairhear.domain.updates import (
    UPDATES_CLOCK,
    UPDATES_PURPOSE,
    update_plan,
    updates_cites,
)
from fairhear.policies.selectors import policy_pack_for

# What a stored clock holds besides its case and name; a row is rewritten when one differs.
STORED = (
    "label",
    "purpose",
    "status",
    "started_by",
    "start",
    "original_due",
    "due",
    "met_on",
    "extended",
    "told_before_original_due",
    "explanation",
    "cites",
    "missed_recorded",
)


class LoggedEvent(NamedTuple):
    """One stored event, as much of it as a change to the case reads."""

    sequence: int
    kind: str
    stage: int
    actor_id: int | None
    actor_label: str
    occurred_at: datetime
    recorded_at: datetime
    data: dict
    chain_hash: str


def case_history(case: Case) -> list[LoggedEvent]:
    """The case's events in order, read once for a change to the case."""
    return [
        LoggedEvent(*row)
        for row in case.events.order_by("sequence").values_list(*LoggedEvent._fields)
    ]


def record_of(event: LoggedEvent | CaseEvent) -> EventRecord:
    """An event as the clocks read it."""
    return EventRecord(
        kind=Action(event.kind),
        stage=event.stage,
        on=london_date(event.occurred_at),
        recorded_on=london_date(event.recorded_at),
        data=event.data,
    )


def as_stored(event: CaseEvent) -> LoggedEvent:
    """An event just written, as it reads back from the database (its data through JSON)."""
    return LoggedEvent(
        event.sequence,
        str(event.kind),
        event.stage,
        event.actor_id,
        event.actor_label,
        event.occurred_at,
        event.recorded_at,
        json.loads(json.dumps(event.data)),
        event.chain_hash,
    )


def clock_records(
    case: Case,
    history: Sequence[LoggedEvent] | None,
    person: list[EventRecord] | None = None,
) -> list[EventRecord]:
    """The case's events as records, with the restriction events of its complainant's cases in
    place of its own: restrictions on contact are the person's, so every case of theirs runs
    the same warning and review clocks (MMBM §9). `person` is those restriction events when
    the caller knows them already (none, for a person just added)."""
    if history is None:
        history = case_history(case)
    own = [record_of(e) for e in history]
    if person is None and case.complainant_id is None:
        # Nobody else's cases to read: the case's own restriction events, as they happened.
        person = [
            record_of(e)
            for e in sorted(
                (e for e in history if e.kind in PERSON_CLOCK_ACTIONS),
                key=lambda e: (e.occurred_at, e.recorded_at, e.sequence),
            )
        ]
    elif person is None:
        person = person_clock_records(case)
    return [r for r in own if r.kind not in PERSON_CLOCK_ACTIONS] + person


def case_timetable(
    case: Case,
    pack: PolicyPack | None = None,
    *,
    history: Sequence[LoggedEvent] | None = None,
    person: list[EventRecord] | None = None,
) -> list[ClockResult]:
    """Every clock of the case worked out afresh from its events (`history`, if the caller
    has read them already)."""
    pack = pack or policy_pack_for(case.policy_version)
    records = clock_records(case, history, person)
    occurrences, extensions = milestones(records)
    cal = organisation_calendar(case.organisation)
    return compute_timetable(
        pack, cal, occurrences, extensions=extensions, agreed_dates=agreed_dates(records)
    )


def clock_rows(
    case: Case,
    pack: PolicyPack,
    *,
    history: Sequence[LoggedEvent] | None = None,
    person: list[EventRecord] | None = None,
) -> tuple[list[CaseClock], date | None, str]:
    """The case's clocks as its events give them (unsaved), its next deadline and its label;
    with an update interval agreed, the next update to the complainant too (domain/updates.py)."""
    complaint = case.kind == CaseKind.COMPLAINT
    if complaint and history is None:
        history = case_history(case)
    results = case_timetable(case, pack, history=history, person=person) if complaint else []
    missed = _missed_recorded(history) if complaint else set()
    rows = [
        CaseClock(
            case=case,
            name=r.name,
            label=r.rule.label,
            purpose=r.rule.purpose,
            status=r.status,
            started_by=r.started_by or "",
            start=r.start,
            original_due=r.original_due,
            due=r.due,
            met_on=r.met_on,
            extended=r.extended,
            told_before_original_due=r.told_before_original_due,
            explanation=r.explanation,
            cites=r.rule.cites,
            missed_recorded=r.due is not None and (r.name, r.due.isoformat()) in missed,
        )
        for r in results
    ]
    if complaint:
        rows += _updates_row(case, pack, history)
    waiting = sorted(
        (r.due, r.rule.label)
        for r in results
        if r.open and r.due and r.rule.purpose is Purpose.DEADLINE
    )
    next_due, label = waiting[0] if waiting else (None, "")
    return rows, next_due, label


def _missed_recorded(history: Sequence[LoggedEvent]) -> set[tuple[str, str]]:
    """The (clock, due date) of each missed deadline recorded on the case."""
    return {
        (e.data.get("clock"), e.data.get("due"))
        for e in history
        if e.kind == Action.RECORD_MISSED_DEADLINE
    }


def _updates_row(case: Case, pack: PolicyPack, history: Sequence[LoggedEvent]) -> list[CaseClock]:
    """The next update the complainant is due, once an interval has been agreed: running while
    the case is open (Pivotal §11.2 b and e; MMBM §8.1.2; Code 5.9)."""
    if not any(e.kind == Action.AGREE_UPDATES for e in history):
        return []  # nothing agreed: no calendar to read
    plan = update_plan(
        (record_of(e) for e in history),
        organisation_calendar(case.organisation),
        cites=updates_cites(pack),
    )
    if plan is None:
        return []
    running = case.state in {s.value for s in OPEN_STATES}
    return [
        CaseClock(
            case=case,
            name=UPDATES_CLOCK,
            label=plan.label,
            purpose=UPDATES_PURPOSE,
            status=(ClockStatus.RUNNING if running else ClockStatus.STOPPED).value,
            started_by=Action.AGREE_UPDATES.value,
            start=plan.last_update,
            original_due=plan.due,
            due=plan.due,
            explanation=plan.explanation,
            cites=plan.cites,
        )
    ]


def clocks_store(
    case: Case,
    pack: PolicyPack,
    *,
    stored: dict[str, CaseClock] | None = None,
    history: Sequence[LoggedEvent] | None = None,
    person: list[EventRecord] | None = None,
    save_case: bool = True,
) -> None:
    """Store the case's clocks as its events give them, writing only the rows that differ from
    `stored` (the case's stored clocks, read from the database when not given), and set its
    next deadline (saved with the case when `save_case`, else left for the caller's save)."""
    rows, next_due, label = clock_rows(case, pack, history=history, person=person)
    if stored is None:
        stored = {c.name: c for c in CaseClock.objects.filter(case=case)}
    left = dict(stored)
    changed: list[CaseClock] = []
    fields: set[str] = set()
    new: list[CaseClock] = []
    for row in rows:
        have = left.pop(row.name, None)
        if have is None:
            new.append(row)
            continue
        differs = [f for f in STORED if getattr(have, f) != getattr(row, f)]
        if differs:
            for field in differs:
                setattr(have, field, getattr(row, field))
            fields.update(differs)
            changed.append(have)
    if left:
        CaseClock.objects.filter(pk__in=[c.pk for c in left.values()]).delete()
    if changed:
        CaseClock.objects.bulk_update(changed, sorted(fields))
    if new:
        CaseClock.objects.bulk_create(new)
    if (case.next_due, case.next_due_label) != (next_due, label):
        case.next_due, case.next_due_label = next_due, label
        if save_case:
            case.save(update_fields=["next_due", "next_due_label"])
