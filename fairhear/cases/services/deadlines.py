"""A deadline that passed unmet, recorded on the case's log by Fairhear itself (the worker's
sweep), so that reports count it and the timeline shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fairhear.cases.models import Case
from fairhear.cases.services.transitions import _Context, _transition
from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import Action, TransitionRejected


def case_record_missed_deadline(
    *,
    case: Case,
    clock: str,
    due: date,
    told: list[str],
    after: Callable[[Case], None] | None = None,
) -> Case:
    """Record that the case's `clock`, due on `due`, passed unmet. Checked again under the case's
    row lock: a clock met, stopped or moved meanwhile is refused (TransitionRejected), so the
    sweep never records a breach that is no longer true. `after(case)` runs in the same
    transaction (the caller's own once-only record and e-mails)."""

    def validate(ctx: _Context, when: object) -> dict:
        stored = ctx.clocks.get(clock)
        if stored is None or stored.due != due or stored.status not in {"running", "overdue"}:
            raise TransitionRejected(
                f"The deadline {clock} due {fmt_day(due)} is no longer open on {case.reference}."
            )
        return {
            "clock": clock,
            "label": stored.label,
            "due": due.isoformat(),
            "cites": stored.cites,
            "told": told,
        }

    return _transition(
        case, Action.RECORD_MISSED_DEADLINE, actor=None, validate=validate, after=after
    )
