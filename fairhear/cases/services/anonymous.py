"""Anonymous complaints: the manager's decision not to investigate one, and a referral of what
we have to another agency (Pivotal §18.2 to §18.4; MMBM §7.7)."""

from __future__ import annotations

from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.transitions import CaseInputError, _Context, _transition
from fairhear.domain.lifecycle import Action


def case_decide_not_to_investigate(
    *,
    case: Case,
    actor: User,
    reason: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record the manager's decision not to investigate an anonymous complaint the policy does
    not say must be (Pivotal §18.3, §18.5); the case closes with the pack's reason."""
    if not reason.strip():
        raise CaseInputError("Give the reason for not investigating it; it is kept on the log.")

    def validate(ctx: _Context, when: datetime) -> dict:
        code = ctx.pack.anonymous.not_investigated_closes_with
        ctx.case.closure_reason = code
        return {"reason": reason.strip(), "reason_code": code, "cites": ctx.pack.anonymous.cites}

    return _transition(
        case,
        Action.NOT_INVESTIGATE,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        seen_sequence=seen_sequence,
    )


def case_record_agency_referral(
    *,
    case: Case,
    actor: User,
    agency: str,
    information: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that what we have was passed to a more appropriate agency to investigate
    (Pivotal §18.4; App. 3 G)."""
    if not agency.strip():
        raise CaseInputError("Name the agency it was referred to.")
    if not information.strip():
        raise CaseInputError("Say what was passed to the agency.")
    return _transition(
        case,
        Action.REFER_TO_AGENCY,
        occurred_at=occurred_at,
        actor=actor,
        data={"agency": agency.strip(), "information": information.strip()},
        seen_sequence=seen_sequence,
    )
