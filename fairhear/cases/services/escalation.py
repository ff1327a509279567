"""Escalation: the request for the next stage, and its acceptance or refusal."""

from __future__ import annotations

from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.signposting import signposts_given
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _transition,
)
from fairhear.cases.snapshots import case_facts
from fairhear.domain.clock import london_date
from fairhear.domain.lifecycle import (
    Action,
    CaseState,
    TransitionRejected,
)
from fairhear.domain.policy.schema import SignpostMoment, Stage
from fairhear.domain.reasons import refusal_reason_refusal

ESCALATION_REFUSED = "escalation_refused"


def case_request_escalation(
    *,
    case: Case,
    actor: User,
    requested_at: datetime,
    reasons: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Record the complainant's request for the next stage, in its window or late (Pivotal §9
    stage 2 point 1; MMBM §8.2.2 and §8.3.1; Code 6.12)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        snapshot = ctx.snapshot
        on = london_date(when)
        window = snapshot.escalation_window_closes
        to_stage = ctx.case.stage + 1
        late = window is not None and on > window
        ctx.case.closure_reason = ""
        return {
            "to_stage": to_stage,
            "reasons": reasons.strip(),
            "window_closes": window.isoformat() if window else None,
            "late": late,
            "reopened": ctx.case.state == CaseState.CLOSED,
        }

    return _transition(
        case,
        Action.REQUEST_ESCALATION,
        actor=actor,
        occurred_at=requested_at,
        validate=validate,
        seen_sequence=seen_sequence,
    )


def case_accept_escalation(
    *,
    case: Case,
    actor: User,
    discretion: str = "",
    exceptional_circumstances: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Accept the request: the case moves to the next stage, whose clocks run from the request.

    A late request needs a recorded discretionary decision (KPIS.md "escalated"); a stage the
    pack opens only in exceptional circumstances needs them recorded (MMBM §8.3.1).
    """

    def validate(ctx: _Context, when: datetime) -> dict:
        snapshot = ctx.snapshot
        late = (
            snapshot.escalation_window_closes is not None
            and snapshot.escalation_requested_on is not None
            and snapshot.escalation_requested_on > snapshot.escalation_window_closes
        )
        ctx.case.stage += 1
        return {
            "to_stage": ctx.case.stage,
            "late": late,
            "discretion": discretion.strip(),
            "exceptional_circumstances": exceptional_circumstances.strip(),
        }

    return _transition(
        case,
        Action.ACCEPT_ESCALATION,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        snapshot_changes={
            "escalation_discretion": discretion.strip(),
            "escalation_exceptional_circumstances": exceptional_circumstances.strip(),
        },
        handler=None,
        seen_sequence=seen_sequence,
    )


def case_refuse_escalation(
    *,
    case: Case,
    actor: User,
    reason: str,
    refusal_code: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Refuse the request for the next stage where the pack allows it; the last response stands.

    Where the pack limits refusal to some of its refusal reasons (Code 5.11: only a section 2
    reason), `refusal_code` names one that fits the case's facts."""
    if not reason.strip():
        raise CaseInputError("Explain why the escalation is refused; the complainant is told.")

    def validate(ctx: _Context, when: datetime) -> dict:
        next_stage = ctx.pack.stage(ctx.case.stage + 1)
        # Packs published before stages named this reason close with the generic one.
        code = next_stage.request_refused_closes_with or ESCALATION_REFUSED
        ctx.case.closure_reason = code
        data = {
            "to_stage": next_stage.number,
            "reason": reason.strip(),
            "reason_code": code,
            **signposts_given(ctx.case, ctx.pack, SignpostMoment.REQUEST_REFUSED),
        }
        if next_stage.request_refusal_reasons:
            data.update(_refusal_under(ctx, next_stage, refusal_code))
        return data

    return _transition(
        case,
        Action.REFUSE_ESCALATION,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        seen_sequence=seen_sequence,
    )


def _refusal_under(ctx: _Context, stage: Stage, code: str) -> dict:
    """The refusal reason a request for `stage` is refused under, checked against the pack's
    list for it and the case's facts (Code 5.11)."""
    allowed = [ctx.pack.refusal_reason(c) for c in stage.request_refusal_reasons]
    chosen = next((r for r in allowed if r.code == code), None)
    if chosen is None:
        names = "; ".join(f"{r.label} ({r.cites})" for r in allowed)
        raise CaseInputError(
            f"A request for {stage.name} may be refused only for one of these reasons "
            f"({stage.cites}): {names}. Choose one."
        )
    refusal = refusal_reason_refusal(chosen, case_facts(ctx.case, ctx.pack))
    if refusal:
        raise TransitionRejected(refusal)
    return {
        "refusal_code": chosen.code,
        "refusal_reason": chosen.label,
        "refusal_cites": chosen.cites,
    }
