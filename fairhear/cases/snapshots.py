"""A case as the plain values the lifecycle's guards read (domain/lifecycle.CaseSnapshot)."""

from fairhear.cases.models import Case, CaseClock
from fairhear.domain.clock import london_date
from fairhear.domain.lifecycle import Action, CaseKind, CaseSnapshot, CaseState
from fairhear.domain.policy.schema import PolicyPack


def case_snapshot(
    case: Case, pack: PolicyPack, clocks: dict[str, CaseClock], *, history: bool = True
) -> CaseSnapshot:
    """The case's snapshot. With `history`, also who handled each stage and when the pending
    escalation was asked for (one query over the case's events); without it, enough to offer
    actions on a page."""
    window_closes = None
    if case.stage and case.stage < pack.last_stage:
        request_clock = pack.stage(case.stage + 1).request_clock
        if request_clock and request_clock in clocks:
            window_closes = clocks[request_clock].due
    stage_handlers: dict[int, int] = {}
    requested_on = None
    if history:
        events = case.events.filter(kind__in=[Action.ALLOCATE, Action.REQUEST_ESCALATION])
        for event in events.order_by("sequence"):
            if event.kind == Action.ALLOCATE:
                stage_handlers[event.stage] = event.data["handler_id"]
            else:
                requested_on = london_date(event.occurred_at)
    return CaseSnapshot(
        kind=CaseKind(case.kind),
        state=CaseState(case.state),
        stage=case.stage,
        handler_id=case.handler_id,
        stage_handlers=stage_handlers,
        closure_reason=case.closure_reason or None,
        escalation_window_closes=window_closes,
        escalation_requested_on=requested_on,
    )
