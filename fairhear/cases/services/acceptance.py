"""The acceptance check: accept at stage 1, refuse with a pack reason, or resolve locally."""

from __future__ import annotations

from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_time_limit_verdict
from fairhear.cases.services.signposting import refusal_letter
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _pack_reason,
    _transition,
)
from fairhear.cases.snapshots import case_facts
from fairhear.domain.lifecycle import (
    Action,
    TransitionRejected,
)
from fairhear.domain.reasons import refusal_reason_refusal
from fairhear.policies.selectors import policy_pack_for


def case_accept(
    *,
    case: Case,
    actor: User,
    exceptional_circumstances: str = "",
    note: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Accept a complaint at stage 1 after the acceptance check: the pack's time limit and
    its exceptions (Pivotal §5.2 and §6.1 a; MMBM §6.1; Code 2.1 to 2.3)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        verdict = case_time_limit_verdict(
            ctx.case, exceptional_circumstances=bool(exceptional_circumstances.strip())
        )
        if not verdict.in_time:
            extra = (
                " Record the exceptional circumstances to accept it anyway."
                if verdict.needs_exceptional_circumstances
                else " Do not accept it: refuse it with the time-limit reason."
            )
            raise TransitionRejected(verdict.reason + extra)
        ctx.case.stage = 1
        return {"time_limit": verdict.reason, "note": note.strip()}

    changes = {}
    if exceptional_circumstances.strip():
        changes["exceptional_circumstances"] = exceptional_circumstances.strip()
    return _transition(
        case,
        Action.ACCEPT,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        **changes,
        seen_sequence=seen_sequence,
    )


def case_refuse(
    *,
    case: Case,
    actor: User,
    reason_code: str,
    explanation: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Refuse a complaint under one of the pack's exclusions that fits the case's facts
    (Pivotal §6.1 a needs an incident date outside the time limit, and safeguarding is exempt);
    the letter gives the reason and the ombudsman route (Pivotal §6.2; Code 2.4)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        reason = _pack_reason(ctx.pack.refusal_reason, reason_code, "refusal")
        for route in ctx.pack.routes_out:
            if route.refuses_with == reason.code:
                raise CaseInputError(
                    f"{route.cites} sends this to {route.to}: use “Route out of this "
                    "procedure”, which records who it was passed to."
                )
        refusal = refusal_reason_refusal(reason, case_facts(ctx.case, ctx.pack))
        if refusal:
            raise TransitionRejected(refusal)
        return {
            "reason_code": reason.code,
            "reason": reason.label,
            **refusal_letter(ctx.case, ctx.pack, reason),
            "explanation": explanation.strip(),
            "cites": reason.cites,
        }

    return _transition(
        case,
        Action.REFUSE,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        seen_sequence=seen_sequence,
    )


def case_start_local_resolution(
    *,
    case: Case,
    actor: User,
    occurred_at: datetime | None = None,
    note: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Record the contact that tries to resolve the matter locally (MMBM §8)."""
    return _transition(
        case,
        Action.START_LOCAL_RESOLUTION,
        actor=actor,
        occurred_at=occurred_at,
        data={"note": note.strip()},
        seen_sequence=seen_sequence,
    )


def case_resolve_locally(
    *,
    case: Case,
    actor: User,
    outcome: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Close a case resolved locally, with the pack's closure reason for it."""
    if not outcome.strip():
        raise CaseInputError("Say how it was resolved.")
    pack = policy_pack_for(case.policy_version)
    code = pack.local_resolution.closes_with if pack.local_resolution else ""
    return _transition(
        case,
        Action.RESOLVE_LOCALLY,
        occurred_at=occurred_at,
        actor=actor,
        data={"outcome": outcome.strip(), "reason_code": code},
        closure_reason=code,
        seen_sequence=seen_sequence,
    )
