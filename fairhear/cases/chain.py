"""A case event as the hash chain reads it (docs/adr/ADR-005-hash-chained-case-log.md).

Used when an event is appended, by `verify_log`, and by the migration that chained the events
stored before the chain existed, so that all three hash exactly the same fields.
"""

from __future__ import annotations

import json

from fairhear.domain.chain import LoggedEvent, genesis, link


def event_content(event: object) -> dict[str, object]:
    """Every stored field of an event except its own hash and database id."""
    return {
        "case": event.case_id,
        "sequence": event.sequence,
        "kind": str(event.kind),
        "stage": event.stage,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "policy_version": event.policy_version_id,
        # As stored: the JSON round trip turns tuples into lists and enums into strings.
        "data": json.loads(json.dumps(event.data)),
    }


def event_hash(event: object, previous: str) -> str:
    """The hash an event must store, chained to the event before it (or the genesis)."""
    return link(previous, event_content(event))


def case_genesis(case: object) -> str:
    """What a case's first event chains from."""
    return genesis(case.pk, case.reference)


def logged(event: object) -> LoggedEvent:
    """A stored event as the domain's chain check reads it."""
    return LoggedEvent(
        sequence=event.sequence,
        content=event_content(event),
        stored_hash=event.chain_hash,
        from_state=event.from_state,
        to_state=event.to_state,
        stage=event.stage,
    )
