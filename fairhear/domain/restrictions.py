"""Restrictions on contact belong to the person, not to one case (MMBM §9; Pivotal §12 and
Appendix 3 I; Code 5.14): what a person's restriction events, on all their cases, amount to,
and which restriction step is allowed next.

Before restrictions, a written warning gives the person a chance to change by a date (MMBM §9,
where the pack says so: `[restrictions] warn_first`); restrictions applied and each review are
confirmed in writing (a notice, recorded as sent); the people the pack names are told
(Pivotal App. 3 I: the Line Manager and Head of Services).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import Action, TransitionRejected

# The events that make up a person's restrictions on contact, on whichever case they were
# recorded.
RESTRICTION_ACTIONS = frozenset(
    {
        Action.WARN_BEHAVIOUR,
        Action.APPLY_RESTRICTION,
        Action.REVIEW_RESTRICTION,
        Action.LIFT_RESTRICTION,
        Action.RECORD_RESTRICTION_NOTICE,
        Action.REPORT_BEHAVIOUR,
    }
)


class Standing(StrEnum):
    """Where the person stands."""

    NONE = "none"  # nothing recorded, or lifted
    WARNED = "warned"  # warned, restrictions not (yet) applied
    IN_FORCE = "in_force"


class Notice(StrEnum):
    """What a written notice confirms."""

    WARNING = "warning"
    APPLIED = "applied"
    REVIEWED = "reviewed"

    @property
    def label(self) -> str:
        """The notice in words."""
        return {
            Notice.WARNING: "the warning",
            Notice.APPLIED: "the restrictions",
            Notice.REVIEWED: "the review",
        }[self]


_NOTICE_OF = {
    Action.WARN_BEHAVIOUR: Notice.WARNING,
    Action.APPLY_RESTRICTION: Notice.APPLIED,
    Action.REVIEW_RESTRICTION: Notice.REVIEWED,
}


@dataclass(frozen=True, slots=True)
class RestrictionRecord:
    """One restriction event as plain values: what, on which London date, on which case."""

    kind: Action
    on: date
    reference: str
    sequence: int
    data: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PendingNotice:
    """A step whose written notice has not been recorded as sent."""

    notice: Notice
    on: date
    reference: str
    sequence: int


@dataclass(frozen=True, slots=True)
class RestrictionState:
    """A person's restrictions on contact, derived from their events."""

    standing: Standing = Standing.NONE
    restrictions: str = ""
    behaviour: str = ""
    warned_on: date | None = None
    applied_on: date | None = None
    reviewed_on: date | None = None
    reference: str = ""  # the case the latest step was recorded on
    pending_notices: tuple[PendingNotice, ...] = ()
    reported: bool = False  # the people the pack names were told since the latest step

    @property
    def in_force(self) -> bool:
        """True while restrictions apply."""
        return self.standing is Standing.IN_FORCE


def restriction_state(records: list[RestrictionRecord]) -> RestrictionState:
    """What a person's restriction events amount to (`records` in the order they happened)."""
    state = RestrictionState()
    pending: list[PendingNotice] = []
    for rec in records:
        state, pending = _apply(state, pending, rec)
    return RestrictionState(
        **{**_fields(state), "pending_notices": tuple(pending)},
    )


def _fields(state: RestrictionState) -> dict:
    return {name: getattr(state, name) for name in RestrictionState.__slots__}


def _apply(
    state: RestrictionState, pending: list[PendingNotice], rec: RestrictionRecord
) -> tuple[RestrictionState, list[PendingNotice]]:
    values = _fields(state)
    kind = rec.kind
    if kind is Action.RECORD_RESTRICTION_NOTICE:
        target = rec.data.get("for_sequence"), rec.data.get("for_reference")
        return state, [p for p in pending if (p.sequence, p.reference) != target]
    if kind is Action.REPORT_BEHAVIOUR:
        return RestrictionState(**{**values, "reported": True}), pending
    notice = _NOTICE_OF.get(kind)
    if notice is not None and not rec.data.get("notice_sent_on"):
        pending = [*pending, PendingNotice(notice, rec.on, rec.reference, rec.sequence)]
    values["reference"] = rec.reference
    if kind is Action.WARN_BEHAVIOUR:
        values.update(
            standing=Standing.WARNED,
            behaviour=rec.data.get("behaviour", ""),
            warned_on=rec.on,
            reported=False,
        )
    elif kind is Action.APPLY_RESTRICTION:
        values.update(
            standing=Standing.IN_FORCE,
            restrictions=rec.data.get("restrictions", ""),
            applied_on=rec.on,
            reviewed_on=None,
            reported=False,
        )
    elif kind is Action.REVIEW_RESTRICTION:
        values["reviewed_on"] = rec.on
    elif kind is Action.LIFT_RESTRICTION:
        # A lifted restriction needs no more notices or reviews; the history keeps them.
        return RestrictionState(), []
    return RestrictionState(**values), pending


def check_restriction_step(
    action: Action,
    state: RestrictionState,
    *,
    on: date,
    warn_first: bool = False,
    change_by: date | None = None,
    cites: str = "",
) -> None:
    """Whether this restriction step may be taken now, or TransitionRejected saying why.

    `change_by` is the last day of the chance to change that the latest warning gave (the
    pack's warning clock); where the pack says `warn_first`, restrictions are applied only
    after it (MMBM §9: "give them the opportunity to change their behaviours within a
    reasonable timescale before taking any further action")."""
    where = f" ({cites})" if cites else ""
    if action is Action.WARN_BEHAVIOUR and state.in_force:
        raise TransitionRejected(
            "Restrictions on contact are already in force for this person; review or lift them."
        )
    if action is Action.APPLY_RESTRICTION:
        _check_apply(state, on=on, warn_first=warn_first, change_by=change_by, where=where)
    if action in {Action.REVIEW_RESTRICTION, Action.LIFT_RESTRICTION} and not state.in_force:
        raise TransitionRejected("No restrictions are in force for this person.")


def _check_apply(
    state: RestrictionState, *, on: date, warn_first: bool, change_by: date | None, where: str
) -> None:
    if state.in_force:
        raise TransitionRejected(
            "Restrictions on contact are already in force for this person; review or lift them."
        )
    if not warn_first:
        return
    if state.standing is not Standing.WARNED:
        raise TransitionRejected(
            "Before restricting contact, the person must be told in writing or at a meeting why "
            f"their behaviour is unacceptable and given a chance to change{where}: record the "
            "warning first."
        )
    if change_by is not None and on <= change_by:
        raise TransitionRejected(
            f"The warning gave the person until {fmt_day(change_by)} to change{where}; "
            "restrictions can be applied from the day after, if the behaviour goes on."
        )


def notice_for(state: RestrictionState, *, reference: str, sequence: int) -> PendingNotice | None:
    """The pending notice a recorded notice confirms, if that step is still waiting for one."""
    return next(
        (p for p in state.pending_notices if (p.reference, p.sequence) == (reference, sequence)),
        None,
    )
