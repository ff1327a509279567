"""Sign-offs: the person a pack names agrees a step before it is taken (Pivotal §9 stage 1 step
7; §13). A sign-off is an event of its own (who, when, which step); the step's own event then
records whose agreement it rests on."""

from __future__ import annotations

from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.transitions import CaseInputError, _Context, _transition
from fairhear.domain.clock import london_date
from fairhear.domain.lifecycle import Action, TransitionRejected
from fairhear.domain.sign_off import (
    SignedOff,
    SignOffStep,
    check_signed_off,
    sign_off_for,
    steps_to_sign_off,
)


def case_sign_off(
    *,
    case: Case,
    actor: User,
    step: str,
    note: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the person the pack names agrees a step at the current stage (Pivotal §9
    stage 1 step 7: an extension; §13: the outcome of the stage 1 response)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        try:
            chosen = SignOffStep(step)
        except ValueError:
            chosen = None
        offered = steps_to_sign_off(ctx.pack, ctx.case.stage)
        if chosen not in offered:
            words = " or ".join(s.label for s in offered) or "nothing"
            raise CaseInputError(f"Choose what is agreed: {words}.")
        rule = sign_off_for(ctx.pack, ctx.case.stage, chosen)
        if not actor.can(rule.by):
            raise TransitionRejected(
                f"Only the {ctx.pack.role_title(rule.by)} can sign off {chosen.label} "
                f"({rule.cites}); you are signed in as {actor}."
            )
        return {
            "step": chosen.value,
            "note": note.strip(),
            "signer_title": ctx.pack.role_title(rule.by),
            "cites": rule.cites,
        }

    return _transition(
        case,
        Action.SIGN_OFF,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        seen_sequence=seen_sequence,
    )


def signed_off(ctx: _Context, step: SignOffStep, actor: User | None) -> dict:
    """Whose agreement the step rests on, as event data; TransitionRejected when the pack asks
    for a sign-off that has not been recorded (the signer may take the step themselves)."""
    rule = sign_off_for(ctx.pack, ctx.case.stage, step)
    if rule is None:
        return {}
    record = _unused_sign_off(ctx, step)
    actor_signs = actor is not None and actor.can(rule.by)
    check_signed_off(ctx.pack, ctx.case.stage, step, signed=record, actor_signs=actor_signs)
    by = record.by if record else str(actor)
    on = record.on if record else None
    return {
        "signed_off_by": by,
        "signed_off_on": on.isoformat() if on else None,
        "signed_off_title": ctx.pack.role_title(rule.by),
        "sign_off_cites": rule.cites,
    }


def _unused_sign_off(ctx: _Context, step: SignOffStep) -> SignedOff | None:
    """The latest sign-off of this step at this stage not yet used by the step itself: each
    extension needs its own agreement; a response is sent once per stage."""
    used_by = Action.EXTEND if step is SignOffStep.EXTENSION else Action.RESPOND
    events = ctx.case.events.filter(stage=ctx.case.stage, kind__in=[Action.SIGN_OFF, used_by])
    latest = None
    for event in events.order_by("sequence"):
        if event.kind == used_by:
            latest = None
        elif event.data.get("step") == step.value:
            latest = SignedOff(step, event.actor_label, london_date(event.occurred_at))
    return latest
