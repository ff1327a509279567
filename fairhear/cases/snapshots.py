"""A case as the plain values the lifecycle's guards read (domain/lifecycle.CaseSnapshot)."""

from collections.abc import Iterable

from fairhear.cases.models import Case, CaseClock
from fairhear.domain.clock import london_date
from fairhear.domain.lifecycle import Action, CaseKind, CaseSnapshot, CaseState
from fairhear.domain.policy.evaluate import Verdict, time_limit_verdict
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.reasons import concludes_with_final_decision, same_subject

# Who acted at a stage: its allocation, and the handler's own steps (MMBM §8.2.4; Code 6.13).
_HANDLED = [Action.ALLOCATE, Action.ACKNOWLEDGE, Action.EXTEND, Action.RESPOND]
_AFTER_RESPONSE = {CaseState.RESPONDED, CaseState.ESCALATION_REQUESTED, CaseState.CLOSED}


def case_snapshot(
    case: Case,
    pack: PolicyPack,
    clocks: dict[str, CaseClock],
    *,
    history: bool = True,
    events: Iterable | None = None,
) -> CaseSnapshot:
    """The case's snapshot. With `history`, also who handled each stage and when the pending
    escalation was asked for (from `events`, the case's events in order if the caller has read
    them, else one query); without it, enough to offer actions on a page."""
    window_closes = None
    if case.stage and case.stage < pack.last_stage:
        request_clock = pack.stage(case.stage + 1).request_clock
        if request_clock and request_clock in clocks:
            window_closes = clocks[request_clock].due
    stage_handlers: dict[int, int] = {}
    stage_actors: dict[int, set[int]] = {}
    requested_on = None
    # Without the history, a response at the current stage is read from the state.
    responded = {case.stage} if case.state in _AFTER_RESPONSE else set()
    if history:
        responded = set()
        kinds = {*_HANDLED, Action.REQUEST_ESCALATION}
        if events is None:
            events = case.events.filter(kind__in=kinds).order_by("sequence")
        for event in (e for e in events if e.kind in kinds):
            if event.kind == Action.REQUEST_ESCALATION:
                requested_on = london_date(event.occurred_at)
                continue
            acted = stage_actors.setdefault(event.stage, set())
            if event.kind == Action.ALLOCATE:
                stage_handlers[event.stage] = event.data["handler_id"]
                acted.add(event.data["handler_id"])
            elif event.actor_id is not None:
                acted.add(event.actor_id)
            if event.kind == Action.RESPOND:
                responded.add(event.stage)
    return CaseSnapshot(
        kind=CaseKind(case.kind),
        state=CaseState(case.state),
        stage=case.stage,
        handler_id=case.handler_id,
        stage_handlers=stage_handlers,
        stage_actors={n: frozenset(ids) for n, ids in stage_actors.items()},
        responded_stages=frozenset(responded),
        closure_reason=case.closure_reason or None,
        escalation_window_closes=window_closes,
        escalation_requested_on=requested_on,
        anonymous=case.anonymous,
        categories=case_categories(case),
    )


def case_categories(case: Case) -> tuple[str, ...]:
    """The case's categories, with its safeguarding and health and safety flags as theirs."""
    categories = list(case.categories or [])
    for flag, code in (
        (case.safeguarding, "safeguarding"),
        (case.health_and_safety, "health_and_safety"),
    ):
        if flag and code not in categories:
            categories.append(code)
    return tuple(categories)


def case_verdict(
    case: Case, pack: PolicyPack, *, exceptional_circumstances: bool = False
) -> Verdict:
    """Whether the complaint is within its pack's time limit (Pivotal §6.1 a; MMBM §6.1),
    counted to the first contact (a converted service request keeps its first contact date)."""
    categories = set(case.categories or [])
    if case.safeguarding:
        categories.add("safeguarding")
    if case.health_and_safety:
        categories.add("health_and_safety")
    exempt = [c for c in pack.time_limit.exempt_categories if c in categories]
    return time_limit_verdict(
        pack,
        received_on=london_date(case.received_at),
        incident_on=case.incident_date,
        category=exempt[0] if exempt else "other",
        exceptional_circumstances=exceptional_circumstances or bool(case.exceptional_circumstances),
        first_contact_on=london_date(case.first_contact_at),
    )


def case_facts(case: Case, pack: PolicyPack) -> frozenset[str]:
    """The facts of the case that refusal reasons may need (domain/reasons.FACTS)."""
    facts = {
        name
        for name, present in {
            "incident_date": case.incident_date is not None,
            "safeguarding": case.safeguarding,
            "health_and_safety": case.health_and_safety,
            "anti_social_behaviour": case.anti_social_behaviour,
        }.items()
        if present
    }
    if case.incident_date is not None and not case_verdict(case, pack).in_time:
        facts.add("out_of_time")
    if case.pk and case.about_colleagues.exists():
        facts.add("names_colleague")
    if concluded_on_same_subject(case):
        facts.add("reopens_concluded")
    return frozenset(facts)


def concluded_on_same_subject(case: Case) -> list[Case]:
    """The complainant's other complaints on the same subject (a shared category) that were
    concluded with a final decision (Pivotal §6.1 f: closed after a response), oldest first."""
    if not case.pk or case.complainant_id is None or not case.categories:
        return []
    closed = (
        Case.objects.filter(
            complainant_id=case.complainant_id, kind=CaseKind.COMPLAINT, state=CaseState.CLOSED
        )
        .exclude(pk=case.pk)
        .filter(received_at__lte=case.received_at)
        .order_by("received_at")
    )
    responded = set(
        closed.filter(events__kind=Action.RESPOND).values_list("pk", flat=True).distinct()
    )
    return [
        c
        for c in closed
        if same_subject(c.categories or [], case.categories)
        and concludes_with_final_decision(closed=True, responded=c.pk in responded, refused=False)
    ]
