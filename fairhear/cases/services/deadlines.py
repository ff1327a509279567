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


def case_record_window_closed(*, case: Case, clock: str, due: date, today: date) -> Case:
    """Record that the complainant's window `clock` to ask for the next stage, whose last day
    was `due`, passed with no request (Pivotal §9 stage 2 point 1; MMBM §8.2.2), so that a
    request made later shows as late. Checked again under the case's row lock: a window met,
    stopped or moved meanwhile, one not yet over on `today`, or one already recorded for this
    last day is refused (TransitionRejected), so the sweep records each window once."""

    def validate(ctx: _Context, when: object) -> dict:
        stored = ctx.clocks.get(clock)
        if (
            stored is None
            or stored.due != due
            or stored.status not in {"running", "overdue"}
            or today <= due
        ):
            raise TransitionRejected(
                f"The window {clock} ending {fmt_day(due)} is not one that has just closed on "
                f"{case.reference}."
            )
        recorded = any(
            e.kind == Action.RECORD_WINDOW_CLOSED
            and e.data.get("clock") == clock
            and e.data.get("due") == due.isoformat()
            for e in ctx.history
        )
        if recorded:
            raise TransitionRejected(
                f"The close of the window {clock} on {fmt_day(due)} is already recorded on "
                f"{case.reference}."
            )
        return {
            "clock": clock,
            "label": stored.label,
            "due": due.isoformat(),
            "cites": stored.cites,
            "to_stage": ctx.case.stage + 1,
        }

    return _transition(case, Action.RECORD_WINDOW_CLOSED, actor=None, validate=validate)
