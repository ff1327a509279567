"""Closure by a colleague with a pack reason, and the auto-closure sweep (Pivotal §10.1 c)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case, CaseClock
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _pack_reason,
    _transition,
)
from fairhear.domain.lifecycle import (
    Action,
    CaseState,
    TransitionRejected,
)
from fairhear.domain.reasons import closure_reason_refusal
from fairhear.policies.selectors import (
    PolicyVersionTampered,
    policy_pack_for,
    policy_packs_in_use,
)

logger = logging.getLogger(__name__)


def case_close(
    *,
    case: Case,
    actor: User,
    reason_code: str,
    note: str = "",
    override: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Close a complaint with one of the pack's closure reasons that applies now: in its
    states, at its stages, after the response it needs (Pivotal §10.1). While a request for the
    next stage waits, only the complainant's withdrawal closes it (Pivotal §9 stage 2 point 5
    and §10.1 b; Code 5.11)."""
    pack = policy_pack_for(case.policy_version)
    reason = _pack_reason(pack.closure_reason, reason_code, "closure")

    def validate(ctx: _Context, when: datetime) -> dict:
        refusal = closure_reason_refusal(ctx.snapshot, ctx.pack, reason)
        if refusal:
            raise TransitionRejected(refusal)
        return {
            "reason_code": reason.code,
            "reason": reason.label,
            "satisfied": reason.satisfied,
            "withdrawn": reason.withdrawal,
            "note": note.strip(),
        }

    return _transition(
        case,
        Action.CLOSE,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        override=override,
        closure_reason=reason.code,
        seen_sequence=seen_sequence,
    )


def case_hold_auto_close(
    *,
    case: Case,
    actor: User,
    reason: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Keep open a case the pack would close by itself when nothing more is heard (Pivotal
    §10.1 c), with the colleague's reason: the auto-close clock names this event in its
    stopped_by, so the sweep passes the case by. Only while the case waits after its response,
    under a pack that closes cases by itself (the lifecycle's guard)."""
    if not reason.strip():
        raise CaseInputError(
            "Say why the case is kept open, for example that a visit is booked; it is kept on "
            "the timeline."
        )
    return _transition(
        case,
        Action.HOLD_AUTO_CLOSE,
        occurred_at=occurred_at,
        actor=actor,
        data={"reason": reason.strip()},
        seen_sequence=seen_sequence,
    )


def case_auto_close(*, case: Case, today: date) -> Case:
    """Close a case whose auto-close clock has passed with nothing more heard (Pivotal §10.1 c)."""
    pack = policy_pack_for(case.policy_version)
    if pack.auto_close is None:
        raise TransitionRejected(f"The {pack.organisation} policy does not close cases by itself.")
    clock = case.clocks.filter(name=pack.auto_close.clock).first()
    if clock is None or clock.due is None or clock.due >= today:
        raise TransitionRejected("The auto-close date has not passed yet.")
    reason = pack.closure_reason(pack.auto_close.reason)
    return _transition(
        case,
        Action.AUTO_CLOSE,
        actor=None,
        data={
            "reason_code": reason.code,
            "reason": reason.label,
            "satisfied": False,
            "clock_due": clock.due.isoformat(),
        },
        closure_reason=reason.code,
    )


def cases_auto_close_sweep(*, today: date, organisation_id: int | None = None) -> list[str]:
    """Close every case whose auto-close date has passed (of one organisation, if given);
    returns their references. Run twice, or by two workers at once, it closes each case once:
    each case is closed under its row lock, and a case someone else closed meanwhile is passed
    by. A case whose policy version fails its integrity check is passed over, with a warning.
    """
    closed = []
    in_use = policy_packs_in_use(organisation_id=organisation_id)
    # A tampered version: read every clock, so that each of its cases is warned of below.
    names = None if in_use.tampered else {p.auto_close.clock for p in in_use.packs if p.auto_close}
    if names is not None and not names:
        return closed  # no pack of theirs closes a case by itself
    candidates = CaseClock.objects.filter(
        case__state=CaseState.RESPONDED, due__lt=today, status="running"
    ).select_related("case__policy_version")
    if names is not None:
        # Only the packs' auto-close clocks, not every clock past due on an answered case.
        candidates = candidates.filter(name__in=sorted(names))
    if organisation_id is not None:
        candidates = candidates.filter(case__organisation_id=organisation_id)
    for clock in candidates:
        try:
            pack = policy_pack_for(clock.case.policy_version)
        except PolicyVersionTampered as stopped:
            # Nothing is worked out from altered text; the lead sees the version on My work.
            logger.warning("Not closing %s: %s", clock.case.reference, stopped)
            continue
        if pack.auto_close and clock.name == pack.auto_close.clock:
            try:
                case_auto_close(case=clock.case, today=today)
            except TransitionRejected as passed_by:
                # Closed, appealed or answered since the list was read (another worker, a
                # colleague): nothing to do.
                logger.info("Not closing %s: %s", clock.case.reference, passed_by)
                continue
            closed.append(clock.case.reference)
    return closed
