"""The one door every change to a case goes through: lock the case, check the actor and the
move, write the state and its event in one durable transaction, refresh the clocks.

The case's events are read once, with the case locked (`_Context.history`): the concurrency
check, the order of steps, the chain, the snapshot's history and the clocks all work from that
one read and the new event, and the case row is written once (services/clocks.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.chain import case_genesis, event_hash
from fairhear.cases.models import Case, CaseClock, CaseEvent, CaseInvolvement
from fairhear.cases.services.categories import KEPT_FROM, case_categories_replace
from fairhear.cases.services.clocks import (
    LoggedEvent,
    as_stored,
    case_history,
    clock_records,
    clocks_store,
)
from fairhear.cases.services.texts import check_event_texts
from fairhear.cases.snapshots import case_snapshot
from fairhear.domain.access import DECISIONS, Involvement
from fairhear.domain.authority import check_override
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.conflicts import Change, Overtaken, overtaken_message
from fairhear.domain.history import EventRecord, milestones
from fairhear.domain.lifecycle import (
    STEPS,
    Action,
    CaseSnapshot,
    CaseState,
    TransitionRejected,
    check_step_order,
    check_transition,
    required_capability,
)
from fairhear.domain.policy.evaluate import compute_timetable
from fairhear.domain.policy.schema import PolicyPack, Reason
from fairhear.policies.selectors import policy_pack_for

SYSTEM_ACTOR = "Fairhear (automatic)"
# How far ahead of this server's clock a time may be, for a colleague's slightly fast watch.
CLOCK_SKEW = timedelta(minutes=5)


class CaseInputError(ValueError):
    """What was given cannot be recorded; the message says what to change."""


@dataclass(frozen=True, slots=True)
class _Context:
    case: Case
    pack: PolicyPack
    clocks: dict[str, CaseClock]
    snapshot: CaseSnapshot
    history: list[LoggedEvent]


def _load(case_id: int) -> _Context:
    # Lock the case row only: locking the joined policy version and organisation too would
    # need UPDATE on tables the application role may only read (docs/operations.md).
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("policy_version", "organisation")
        .get(pk=case_id)
    )
    pack = policy_pack_for(case.policy_version)
    clocks = {c.name: c for c in case.clocks.all()}
    history = case_history(case)
    snapshot = case_snapshot(case, pack, clocks, events=history)
    return _Context(case, pack, clocks, snapshot, history)


def _authorise(ctx: _Context, action: Action, actor: User | None) -> None:
    if actor is None:
        return  # the system itself (auto-closure sweeps)
    if actor.organisation_id != ctx.case.organisation_id:
        raise TransitionRejected("This case belongs to another organisation.")
    needed = required_capability(action, ctx.pack, ctx.case.stage)
    if not actor.can(needed):
        raise TransitionRejected(
            f"Only someone with the {ctx.pack.role_title(needed)} role can "
            f"{action.label[0].lower()}{action.label[1:]} (you are signed in as {actor})."
        )


def _acting_for(ctx: _Context, action: Action, actor: User | None, override: str) -> dict | None:
    """The recorded override when someone other than the allocated handler acts."""
    if actor is None:
        return None
    return check_override(
        ctx.snapshot, action, actor_id=actor.pk, handler=str(ctx.case.handler), override=override
    )


def _next_sequence(ctx: _Context) -> int:
    """The sequence the event being recorded will have (the case row is locked)."""
    return (ctx.history[-1].sequence if ctx.history else 0) + 1


def _check_seen(ctx: _Context, seen_sequence: int | None) -> None:
    """Refuse a form sent from a page drawn before the case's latest event, saying what happened
    in between; checked under the row lock, so of two colleagues acting at once on the same
    version one wins and the other is told (optimistic concurrency on the event sequence)."""
    if seen_sequence is None:
        return  # the system's own sweeps and imports act on the case as it is
    latest = ctx.history[-1].sequence if ctx.history else 0
    if seen_sequence == latest:
        return
    if seen_sequence > latest:
        raise TransitionRejected(
            "This page does not come from this case; nothing you entered was saved — "
            "open the case again and start from there."
        )
    changes = [
        Change(Action(e.kind), e.actor_label, e.recorded_at, e.data)
        for e in ctx.history
        if e.sequence > seen_sequence
    ]
    raise Overtaken(overtaken_message(changes, today=timezone.localdate()), latest=latest)


def _occurred(ctx: _Context, occurred_at: datetime | None, action: Action) -> datetime:
    """When the thing happened: now, or a past time no earlier than the case's receipt; a step
    that moves the case no earlier than the latest step before it (lifecycle.STEPS)."""
    case = ctx.case
    moment = occurred_at or timezone.now()
    if timezone.is_naive(moment):
        raise CaseInputError("The time needs a time zone.")
    if moment > timezone.now() + CLOCK_SKEW:
        raise CaseInputError("That date is in the future; record things once they have happened.")
    if london_date(moment) < london_date(case.received_at):
        raise CaseInputError(
            f"That date is before the case was received ({fmt_day(london_date(case.received_at))})."
        )
    steps = [e for e in ctx.history if e.kind in STEPS]
    latest = max(steps, key=lambda e: (e.occurred_at, e.sequence), default=None)
    check_step_order(action, moment, (Action(latest.kind), latest.occurred_at) if latest else None)
    return moment


def _transition(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    occurred_at: datetime | None = None,
    data: dict | None = None,
    validate: object = None,
    snapshot_changes: dict | None = None,
    override: str = "",
    seen_sequence: int | None = None,
    after: Callable[[Case], None] | None = None,
    on_event: Callable[[Case, CaseEvent], None] | None = None,
    **changes: object,
) -> Case:
    """Lock, check, write the state and the event, refresh the clocks: one transaction.

    `validate(ctx, when)` runs the action's own checks on the locked case and returns the
    event's data; it may also set `ctx.case.stage` or `ctx.case.closure_reason`, which are saved
    with the new state. `override` is why someone other than the allocated handler acts (the
    event records it). `seen_sequence` is the case's last event as the colleague's page showed
    it; if anything was recorded since, the action is refused with what happened
    (`_check_seen`). `after(case)` runs last, in the same transaction (a person's other cases
    follow a restriction step). `on_event(case, event)` runs once the event is written, in the
    same transaction (the rows of the files it came with). `changes` are further fields to set
    on the case.
    """
    check_event_texts(changes)
    with transaction.atomic(durable=True):
        ctx = _load(case.pk)
        _check_seen(ctx, seen_sequence)
        if snapshot_changes:
            ctx = replace(ctx, snapshot=replace(ctx.snapshot, **snapshot_changes))
        _authorise(ctx, action, actor)
        target = check_transition(action, ctx.snapshot, ctx.pack)
        acting_for = _acting_for(ctx, action, actor, override)
        when = _occurred(ctx, occurred_at, action)
        event_data = dict(data or {})
        if acting_for:
            event_data["override"] = acting_for
        if callable(validate):
            event_data.update(validate(ctx, when) or {})
        locked = ctx.case
        from_state = locked.state
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.state = target
        if target is CaseState.CLOSED and not locked.closure_reason:
            raise CaseInputError("A closed case needs a closure reason.")
        last = ctx.history[-1] if ctx.history else None
        event = _append_event(
            locked,
            action,
            actor=actor,
            occurred_at=when,
            from_state=from_state,
            data=event_data,
            previous=(last.sequence, last.chain_hash) if last else (0, case_genesis(locked)),
            save_head=False,
        )
        if on_event is not None:
            on_event(locked, event)
        history = [*ctx.history, as_stored(event)]
        clocks_store(locked, ctx.pack, stored=ctx.clocks, history=history, save_case=False)
        locked.save()  # its state, changes, log head and next deadline: one UPDATE
        if KEPT_FROM.intersection(changes):
            case_categories_replace(locked)
        if after is not None:
            after(locked)
    _take_saved(case, locked)
    return case


def _take_saved(case: Case, saved: Case) -> None:
    """Give the caller's case object the values just saved, as refresh_from_db would."""
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(saved, field.attname))
    case._state.fields_cache = dict(saved._state.fields_cache)
    case._prefetched_objects_cache = {}


def _append_event(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    occurred_at: datetime,
    from_state: str,
    data: dict,
    recorded_at: datetime | None = None,
    previous: tuple[int, str] | None = None,
    save_head: bool = True,
) -> CaseEvent:
    """Add the next event to the case's log, chained to the one before it (ADR-005), and
    record its hash as the case's log head (saved now, or with the caller's save of the case
    when not `save_head`). `previous` is the sequence and hash of the case's last event (or 0
    and its genesis), when the caller has read them already."""
    check_event_texts(data)
    if previous is None:
        last = case.events.order_by("-sequence").values_list("sequence", "chain_hash").first()
        previous = (last[0], last[1]) if last else (0, case_genesis(case))
    sequence, previous_hash = previous
    event = CaseEvent(
        case=case,
        sequence=sequence + 1,
        kind=action,
        stage=case.stage,
        from_state=from_state,
        to_state=case.state,
        actor=actor,
        actor_label=str(actor) if actor else SYSTEM_ACTOR,
        occurred_at=occurred_at,
        policy_version_id=case.policy_version_id,
        data=data,
        recorded_at=recorded_at or timezone.now(),
    )
    event.chain_hash = event_hash(event, previous_hash)
    try:
        event.save(force_insert=True)
    except IntegrityError as exc:  # pragma: no cover - the case row lock prevents this
        raise TransitionRejected("Someone else changed this case at the same moment.") from exc
    case.log_head = event.chain_hash
    if save_head:
        Case.objects.filter(pk=case.pk).update(log_head=event.chain_hash)
    _record_involvement(case, action, actor)
    return event


def _record_involvement(case: Case, action: Action, actor: User | None) -> None:
    """Keep who was allocated the case and who decided on it, in the event's transaction, so
    that their access outlives their part (domain/access.py)."""
    rows = []
    if action is Action.ALLOCATE and case.handler_id:
        rows.append(CaseInvolvement(case=case, user_id=case.handler_id, role=Involvement.HANDLED))
    if actor is not None and action in DECISIONS:
        rows.append(CaseInvolvement(case=case, user=actor, role=Involvement.DECIDED))
    if rows:
        CaseInvolvement.objects.bulk_create(rows, ignore_conflicts=True)


def _moved_by(ctx: _Context, record: EventRecord) -> list[dict]:
    """Which stored clock dates a new event would move, from and to (for a correction)."""
    occurrences, extensions = milestones([*clock_records(ctx.case, ctx.history), record])
    cal = organisation_calendar(ctx.case.organisation)
    moved = []
    for result in compute_timetable(ctx.pack, cal, occurrences, extensions=extensions):
        before = ctx.clocks.get(result.name)
        was = before.due if before else None
        if was != result.due:
            moved.append(
                {
                    "clock": result.name,
                    "label": result.rule.label,
                    "from": was.isoformat() if was else None,
                    "to": result.due.isoformat() if result.due else None,
                }
            )
    return moved


def _refresh_clocks(case: Case, pack: PolicyPack) -> None:
    """Store the case's clocks so that "what is due" is one indexed query (only the rows that
    its events now give differently are written)."""
    clocks_store(case, pack)


def _pack_reason(lookup: Callable[[str], Reason], code: str, what: str) -> Reason:
    """A reason from the pack's list, or CaseInputError naming the list to choose from."""
    try:
        return lookup(code)
    except KeyError:
        raise CaseInputError(
            f"Choose a {what} reason from the policy's list; {code!r} is not one."
        ) from None
