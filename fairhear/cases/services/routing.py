"""Routing a matter out of the complaints procedure to where the policy deals with it: anti-
social behaviour to the ASB process (Pivotal §17.1), a complaint about a colleague to their line
manager (Pivotal §6.1 g, §7.2), a colleague's complaint about a colleague or a staff grievance
to the whistleblowing or grievance policies (Pivotal §6.1 h; MMBM §3, §6)."""

from __future__ import annotations

from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.signposting import refusal_letter
from fairhear.cases.services.transitions import CaseInputError, _Context, _transition
from fairhear.cases.snapshots import case_facts
from fairhear.domain.lifecycle import Action, TransitionRejected, check_routes_out
from fairhear.domain.policy.schema import RouteOut
from fairhear.domain.reasons import refusal_reason_refusal
from fairhear.policies.selectors import policy_pack_for


def case_route_out(
    *,
    case: Case,
    actor: User,
    route_code: str,
    passed_to: str,
    reason: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the matter went out of this procedure: where (the pack's route), to whom,
    when and why. A route the policy treats as a refusal is one, with its letter and
    signposts (Pivotal §6.1 g, §6.2); the others close the complaint here (Pivotal §17.1)."""
    if not passed_to.strip():
        raise CaseInputError("Say who it was passed to (their name and role).")
    if not reason.strip():
        raise CaseInputError("Say why it is dealt with outside the complaints procedure.")
    route = _route(case, route_code)
    routed = {
        "route": route.code,
        "route_label": route.label,
        "routed_to": route.to,
        "passed_to": passed_to.strip(),
        "explanation": reason.strip(),
        "cites": route.cites,
    }
    if route.refuses_with:

        def refuse(ctx: _Context, when: datetime) -> dict:
            refusal = ctx.pack.refusal_reason(route.refuses_with)
            unfit = refusal_reason_refusal(refusal, case_facts(ctx.case, ctx.pack))
            if unfit:  # §6.1 g needs a colleague named on the case
                raise TransitionRejected(unfit)
            return {
                "reason_code": refusal.code,
                "reason": refusal.label,
                **refusal_letter(ctx.case, ctx.pack, refusal),
                **routed,
            }

        return _transition(
            case,
            Action.REFUSE,
            occurred_at=occurred_at,
            actor=actor,
            validate=refuse,
            seen_sequence=seen_sequence,
        )
    return _transition(
        case,
        Action.ROUTE_OUT,
        occurred_at=occurred_at,
        actor=actor,
        data={**routed, "reason_code": route.closes_with},
        closure_reason=route.closes_with,
    )


def _route(case: Case, code: str) -> RouteOut:
    pack = policy_pack_for(case.policy_version)
    check_routes_out(pack)
    try:
        return pack.route_out(code)
    except KeyError:
        raise CaseInputError(
            f"Choose where it goes from the policy's list; {code!r} is not one."
        ) from None
