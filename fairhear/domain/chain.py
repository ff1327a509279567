"""The case log's hash chain (docs/adr/ADR-005-hash-chained-case-log.md).

Each event stores `hash = sha256(previous hash + "\\n" + canonical content)`; a case's first
event chains from a genesis value made of the case's id and reference. The canonical content
is sorted-key JSON with timestamps as UTC ISO 8601 and the data dict as stored, so SQLite and
PostgreSQL give the same hash for the same event. Changing any stored field of an event, or
removing, inserting or reordering events, breaks the chain from that event on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fairhear.domain.lifecycle import CaseState

SCHEME = "fairhear-case-log-v1"


def genesis(case_id: int, reference: str) -> str:
    """The value a case's first event chains from."""
    return hashlib.sha256(f"{SCHEME}\ngenesis\n{case_id}\n{reference}".encode()).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("An event time in the log must carry its time zone.")
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"{type(value).__name__} cannot be part of a case event's hash.")


def canonical(content: Mapping[str, object]) -> str:
    """The one serialisation of an event that is hashed: sorted keys, no spaces, ASCII."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_plain
    )


def link(previous: str, content: Mapping[str, object]) -> str:
    """The hash of an event: its canonical content chained to the hash before it."""
    return hashlib.sha256(f"{previous}\n{canonical(content)}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One stored event as the chain check reads it."""

    sequence: int
    content: Mapping[str, object]
    stored_hash: str
    from_state: str
    to_state: str
    stage: int


@dataclass(frozen=True, slots=True)
class StoredCase:
    """What the case row says: the last hash written, the state and the stage."""

    case_id: int
    reference: str
    log_head: str
    state: str
    stage: int


def chain_problems(case: StoredCase, events: Sequence[LoggedEvent]) -> list[str]:
    """Every way the case's stored events disagree with their chain or with the case row, in
    plain sentences (empty when the log is intact)."""
    if not events:
        return ["Its log has no events at all: they were removed outside Fairhear."]
    problems = []
    expected_sequence, previous, previous_state = 1, genesis(case.case_id, case.reference), ""
    for event in events:
        if event.sequence != expected_sequence:
            problems.append(_gap(expected_sequence, event.sequence))
        if event.stored_hash != link(previous, event.content):
            problems.append(
                f"Event {event.sequence} does not match its hash: it was changed, inserted or "
                "an event before it was removed outside Fairhear."
            )
        if event.from_state != previous_state:
            problems.append(
                f"Event {event.sequence} starts from “{_state(event.from_state)}” but the event "
                f"before it left the case “{_state(previous_state)}”."
            )
        expected_sequence = event.sequence + 1
        previous, previous_state = event.stored_hash, event.to_state
    last = events[-1]
    if case.log_head != last.stored_hash:
        problems.append(
            f"Its last event is number {last.sequence}, not the last one Fairhear wrote: events "
            "were removed or added outside Fairhear."
        )
    if case.state != last.to_state:
        problems.append(
            f"It is stored as “{_state(case.state)}” but its events leave it "
            f"“{_state(last.to_state)}”."
        )
    if case.stage != last.stage:
        problems.append(
            f"It is stored at stage {case.stage} but its events leave it at stage {last.stage}."
        )
    return problems


def _gap(expected: int, found: int) -> str:
    if found < expected:
        return f"Event {found} appears out of order in its log."
    if found == expected + 1:
        return f"Event {expected} is missing from its log."
    return f"Events {expected} to {found - 1} are missing from its log."


def _state(value: str) -> str:
    try:
        return CaseState(value).label
    except ValueError:
        return value or "nothing"
