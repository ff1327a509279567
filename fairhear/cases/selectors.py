"""Reading cases, always scoped to the colleague's organisation and need to know."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.cases.access import access_memo_key, cases_fully_visible, cases_logged_q
from fairhear.cases.models import (
    Case,
    CaseAccessLog,
    CaseAttachment,
    CaseClock,
    CaseEvent,
    LogCheck,
)
from fairhear.cases.restrictions import person_restriction_state
from fairhear.cases.snapshots import (
    case_facts,
    case_snapshot,
    case_verdict,
    concluded_on_same_subject,
)
from fairhear.domain.access import ALREADY_RESTRICTED, NOT_RESTRICTED
from fairhear.domain.additional import TakenIn
from fairhear.domain.clock import london_date
from fairhear.domain.lifecycle import (
    OPEN_STATES,
    TRANSITIONS,
    Action,
    CaseSnapshot,
    CaseState,
    TransitionRejected,
    check_transition,
    required_capability,
)
from fairhear.domain.policy.evaluate import Verdict
from fairhear.domain.policy.schema import (
    Capability,
    PolicyPack,
    Reason,
    RouteOut,
    ServiceKind,
    Signpost,
    SignpostMoment,
)
from fairhear.domain.policy.signposts import SignpostFacts, signposts_for
from fairhear.domain.reasons import (
    closure_reasons_for,
    refusal_reasons_for,
    refusal_reasons_prompted,
)
from fairhear.domain.references import normalise_reference
from fairhear.domain.restrictions import (
    RESTRICTION_ACTIONS,
    RestrictionState,
    check_restriction_step,
)
from fairhear.policies.selectors import policy_pack_for, policy_versions_failing_check
from fairhear.sql_memo import memo_fetch


def case_last_sequence(*, case: Case) -> int:
    """The sequence of the case's newest event: the version of the case a page shows."""
    return case.events.aggregate(latest=Max("sequence"))["latest"] or 0


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    """The cases the colleague may open, and no others: need to know, denied by default
    (domain/access.py; BRIEF core idea 4). Every list, count, search and export starts here."""
    return cases_fully_visible(user)


def case_visible_to(*, user: User, case: Case) -> bool:
    """True when the colleague may open the case (one indexed query)."""
    return case_list_visible_to(user=user).filter(pk=case.pk).exists()


@dataclass(frozen=True, slots=True)
class LoggedCase:
    """A case the colleague logged: what they may know of it even once it is no longer theirs
    to see (reference, when received, one line of where it is; domain/access.py)."""

    case: Case
    full: bool  # they may open it

    @property
    def where_now(self) -> str:
        """One line of what happened next, with no content."""
        if not self.full and self.case.restricted_access:
            return "Access restricted to the people named on it"
        return CaseState(self.case.state).label


def cases_logged_by(*, user: User) -> list[LoggedCase]:
    """The cases this colleague logged, newest first, each saying whether they may open it
    ("cases I logged"); never a complaint that names them."""
    if not user.is_authenticated or not user.organisation_id:
        return []
    full = set(case_list_visible_to(user=user).filter(logged_by=user).values_list("pk", flat=True))
    rows = (
        Case.objects.filter(cases_logged_q(user))
        .only("reference", "kind", "state", "received_at", "restricted_access")
        .order_by("-received_at", "-pk")
    )
    return [LoggedCase(case=c, full=c.pk in full) for c in rows]


def access_log_for(*, user: User, reference: str = "") -> QuerySet[CaseAccessLog] | None:
    """For the lead officer: views of their organisation's restricted cases, newest first
    (of one case, when a reference is given); None for everyone else."""
    if not user.is_authenticated or not user.organisation_id:
        return None
    if Capability.LEAD.value not in (user.capabilities or []):
        return None
    entries = CaseAccessLog.objects.filter(organisation_id=user.organisation_id)
    if reference.strip():
        entries = entries.filter(case__reference=normalise_reference(reference)[:50])
    # Never a complaint that names the lead themself, like every other list.
    entries = entries.filter(case__in=case_list_visible_to(user=user))
    return entries.select_related("case").order_by("-at", "-pk")


def case_get_for_user(*, user: User, reference: str) -> Case:
    """One case by reference as typed or heard (any case, O for zero, I or L for one), if the
    colleague may see it; Case.DoesNotExist otherwise."""
    reference = normalise_reference(reference)
    # No reference is that long or holds a NUL (which PostgreSQL refuses in a text lookup).
    if len(reference) > 50 or "\x00" in reference:
        raise Case.DoesNotExist(reference[:50])

    def build(values: Mapping[str, object]) -> QuerySet[Case]:
        return (
            case_list_visible_to(user=user)
            .select_related(*_CASE_PAGE_RELATED)
            .filter(reference=values["reference"])[:2]
        )

    # Built once per colleague (sql_memo): the need-to-know condition and eight joins cost more
    # Python to build than PostgreSQL takes to answer (docs/performance.md, "The case page's
    # reads built once").
    found = memo_fetch(("case_get", *access_memo_key(user)), build, {"reference": reference})
    if not found:
        raise Case.DoesNotExist(reference)
    if len(found) > 1:  # one organisation's references are unique (the access rule has one)
        raise Case.MultipleObjectsReturned(reference)
    return found[0]


# What every page of a case reads with it.
_CASE_PAGE_RELATED = (
    "policy_version",
    "organisation",
    "complainant",
    "representative",
    "handler",
    "service_area",
    "logged_by",
    "submission",
)


def my_work_for(*, user: User) -> QuerySet[Case]:
    """Open cases this colleague should act on next, soonest due first, nothing due last
    (`my_work_q`)."""
    return (
        case_list_visible_to(user=user)
        .filter(my_work_q(user=user), state__in=[s.value for s in OPEN_STATES])
        .select_related("handler", "complainant", "policy_version")
        # The pack text (about 15 KB) is read once per version by policy_pack_for, not per row.
        .defer("policy_version__source_toml")
        # Nothing due sorts last on every database (SQLite puts NULL first by default).
        .order_by(F("next_due").asc(nulls_last=True), "received_at")
    )


def my_work_q(*, user: User) -> Q:
    """Which of the open cases this colleague may see are their My work: their own cases at
    any stage, plus, for those who allocate, cases waiting for acceptance or allocation, and
    for reviewers and directors, escalation requests awaiting a decision."""
    mine = Q(handler=user)
    if user.can(Capability.ALLOCATE):
        mine |= Q(
            state__in=[
                CaseState.RECEIVED,
                CaseState.LOCAL_RESOLUTION,
                CaseState.AWAITING_ALLOCATION,
            ],
            stage__lte=1,
        )
    if user.can(Capability.REVIEW) or user.can(Capability.DIRECT):
        mine |= Q(state=CaseState.ESCALATION_REQUESTED)
        mine |= Q(state=CaseState.AWAITING_ALLOCATION, stage__gte=2)
    return mine


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    """The case's timeline, oldest first."""
    return case.events.select_related("actor").order_by("sequence")


def case_timeline_events(*, case: Case) -> list[CaseEvent]:
    """`case_events` as a list, by SQL built once (sql_memo): read on every view of a case."""

    def build(values: Mapping[str, object]) -> QuerySet[CaseEvent]:
        return (
            CaseEvent.objects.filter(case_id=values["case"])
            .select_related("actor")
            .order_by("sequence")
        )

    return memo_fetch(("case_timeline_events",), build, {"case": case.pk})


def case_about_colleagues(*, case: Case) -> list[User]:
    """The colleagues the complaint is about, by name, by SQL built once (sql_memo)."""

    def build(values: Mapping[str, object]) -> QuerySet[User]:
        return User.objects.filter(cases_about_me=values["case"])

    return memo_fetch(("case_about_colleagues",), build, {"case": case.pk})


def case_attachments(*, case: Case, events: list[CaseEvent] | None = None) -> list[CaseAttachment]:
    """Every file kept with the case, oldest first: one query for the whole timeline. Given
    the case's `events`, none when no event records a file (each event that came with files
    lists them in its data, services/attachments.py), so a case without files costs nothing."""
    if events is not None and not any((e.data or {}).get("attachments") for e in events):
        return []
    return list(case.attachments.order_by("added_at", "pk"))


def case_attachment_get(*, case: Case, attachment_id: int) -> CaseAttachment:
    """One file of the case (a case the caller already found the colleague may see, with
    case_get_for_user); CaseAttachment.DoesNotExist for a file of any other case."""
    return CaseAttachment.objects.get(case=case, pk=attachment_id)


def case_clocks(*, case: Case) -> list[CaseClock]:
    """The case's clocks in the pack's order."""
    pack = policy_pack_for(case.policy_version)
    order = {name: i for i, name in enumerate(pack.clocks)}

    def build(values: Mapping[str, object]) -> QuerySet[CaseClock]:
        return CaseClock.objects.filter(case_id=values["case"])

    # Read on every page of a case, by SQL built once (sql_memo).
    clocks = memo_fetch(("case_clocks",), build, {"case": case.pk})
    return sorted(clocks, key=lambda c: order.get(c.name, 999))


def case_time_limit_verdict(case: Case, *, exceptional_circumstances: bool = False) -> Verdict:
    """Whether the complaint is within its pack's time limit (Pivotal §6.1 a; MMBM §6.1),
    counted to the first contact (a converted service request keeps its first contact date)."""
    pack = policy_pack_for(case.policy_version)
    return case_verdict(case, pack, exceptional_circumstances=exceptional_circumstances)


def case_closure_reasons(*, case: Case) -> list[Reason]:
    """The closure reasons that apply to the case now: its state, stage and whether the stage's
    response has gone (Pivotal §10.1; domain/reasons.py)."""
    pack = policy_pack_for(case.policy_version)
    snapshot = case_snapshot(case, pack, {c.name: c for c in case.clocks.all()})
    return closure_reasons_for(snapshot, pack)


def case_refusal_reasons(*, case: Case, codes: tuple[str, ...] | None = None) -> list[Reason]:
    """The refusal reasons (all, or those `codes` name) that fit the case's facts (Pivotal
    §6.1 a needs an incident date outside the time limit)."""
    pack = policy_pack_for(case.policy_version)
    if codes is None:  # a reason a route out uses is given only with the route (§6.1 g, h)
        routed = {r.refuses_with for r in pack.routes_out}
        reasons = [r for r in pack.refusal_reasons if r.code not in routed]
    else:
        reasons = [pack.refusal_reason(c) for c in codes]
    return refusal_reasons_for(reasons, case_facts(case, pack))


def case_concluded_on_same_subject(*, case: Case, user: User) -> list[Case]:
    """The complainant's earlier complaints on the same subject concluded with a final decision
    that the colleague may see (Pivotal §6.1 f)."""
    visible = set(case_list_visible_to(user=user).values_list("pk", flat=True))
    return [c for c in concluded_on_same_subject(case) if c.pk in visible]


def case_refusal_prompts(*, case: Case) -> list[Reason]:
    """Refusal reasons the case's facts point to, to prompt before accepting (Pivotal §6.1 g)."""
    pack = policy_pack_for(case.policy_version)
    return refusal_reasons_prompted(pack, case_facts(case, pack))


def case_signpost_facts(case: Case) -> SignpostFacts:
    """What the case concerns, for choosing its signposts: the service area's kind and CQC
    registration, and the case's categories (REGULATION.md §3)."""
    categories = list(case.categories or [])
    for flag, code in (
        (case.safeguarding, "safeguarding"),
        (case.health_and_safety, "health_and_safety"),
    ):
        if flag and code not in categories:
            categories.append(code)
    area = case.service_area
    return SignpostFacts(
        service_kind=ServiceKind(area.kind) if area is not None and area.kind else None,
        cqc_registered=area.cqc_registered if area is not None else None,
        categories=tuple(categories),
    )


def case_signposts(case: Case, moment: SignpostMoment | None = None) -> tuple[Signpost, ...]:
    """The ombudsmen and regulators this case's complainant is told about (at `moment`, when
    given): Pivotal §1.4, §6.2, §16; MMBM §8.3.6; Code 2.4, 6.5, 6.19."""
    return signposts_for(policy_pack_for(case.policy_version), case_signpost_facts(case), moment)


def case_routed_out(case: Case, events: list[CaseEvent] | None = None) -> CaseEvent | None:
    """The event that routed the matter out of this procedure, if one did; from the case's
    events when the caller has read them already (the case page), saving a query."""
    kinds = {Action.ROUTE_OUT.value, Action.REFUSE.value}
    if events is None:
        events = list(case.events.filter(kind__in=kinds).order_by("sequence"))
    routed = (e for e in reversed(events) if e.kind in kinds and "route" in (e.data or {}))
    return next(routed, None)


def case_route_prompt(case: Case, routed: CaseEvent | None = None) -> RouteOut | None:
    """The route a case's own flags prompt (anti-social behaviour: Pivotal §17.1), while it is
    open and not yet routed out."""
    if routed is not None or case.state not in {s.value for s in OPEN_STATES}:
        return None
    pack = policy_pack_for(case.policy_version)
    flags = {"anti_social_behaviour"} if case.anti_social_behaviour else set()
    return next((r for r in pack.routes_out if flags & set(r.prompted_by)), None)


def case_actions_for(
    *,
    case: Case,
    user: User,
    clocks: list[CaseClock] | None = None,
    restriction: RestrictionState | None = None,
) -> list[Action]:
    """The actions this colleague may take on the case now (pass what the page already read)."""
    ask = _ActionQuestion.for_case(case, clocks, restriction)
    return [a for a in TRANSITIONS if not ask.refusal(a, user)]


def case_action_refusal(*, case: Case, user: User, action: Action) -> str:
    """Why this colleague cannot take the action now, in a sentence (empty when they can)."""
    return _ActionQuestion.for_case(case).refusal(action, user)


def case_access_named(*, case: Case) -> list[User]:
    """The colleagues named to see a case whose access is restricted, by name."""
    return list(case.access_named.order_by("first_name", "last_name"))


def case_action_offered(*, case: Case, user: User, action: Action) -> bool:
    """True when the action is one this colleague's role takes at the case's stage, now or
    later; an action never theirs answers 404, like a case they may not see."""
    pack = policy_pack_for(case.policy_version)
    return action in TRANSITIONS and user.can(required_capability(action, pack, case.stage))


_ON_RESTRICTED_ACCESS = frozenset({Action.CHANGE_ACCESS_NAMES, Action.UNRESTRICT_ACCESS})


@dataclass(frozen=True, slots=True)
class _ActionQuestion:
    """What deciding "may this colleague do this now?" needs, read once per case."""

    case: Case
    pack: PolicyPack
    snapshot: CaseSnapshot
    clocks: dict[str, CaseClock]
    restriction: RestrictionState
    extended: bool

    @classmethod
    def for_case(
        cls,
        case: Case,
        clocks: list[CaseClock] | None = None,
        restriction: RestrictionState | None = None,
    ) -> _ActionQuestion:
        pack = policy_pack_for(case.policy_version)
        by_name = {c.name: c for c in (case.clocks.all() if clocks is None else clocks)}
        # A late escalation's discretionary decision, and the exceptional circumstances a stage
        # may need, are asked for in the form itself, so the page may offer to accept it.
        snapshot = replace(
            case_snapshot(case, pack, by_name, history=False),
            escalation_discretion="(asked for in the form)",
            escalation_exceptional_circumstances="(asked for in the form)",
        )
        return cls(
            case=case,
            pack=pack,
            snapshot=snapshot,
            clocks=by_name,
            restriction=person_restriction_state(case) if restriction is None else restriction,
            extended=any(c.extended for c in by_name.values()),
        )

    def refusal(self, action: Action, user: User) -> str:
        try:
            check_transition(action, self.snapshot, self.pack)
        except TransitionRejected as exc:
            return str(exc)
        restriction = self._restriction_refusal(action)
        if restriction:
            return restriction
        if action is Action.RESTRICT_ACCESS and self.case.restricted_access:
            return ALREADY_RESTRICTED
        if action in _ON_RESTRICTED_ACCESS and not self.case.restricted_access:
            return NOT_RESTRICTED
        if action is Action.ASSESS_EXTENSION_REASON and not self.extended:
            return "This case has no extension to assess."
        if action is Action.CLOSE and not closure_reasons_for(self.snapshot, self.pack):
            return (
                "None of the policy's closure reasons applies to the case now (Pivotal §10.1 "
                "and the pack's closure reasons say when each does)."
            )
        needed = required_capability(action, self.pack, self.case.stage)
        if not user.can(needed):
            return f"Only someone with the {self.pack.role_title(needed)} role can do this."
        return ""

    def _restriction_refusal(self, action: Action) -> str:
        """Why a restriction step is not possible for this person now (MMBM §9)."""
        if action not in RESTRICTION_ACTIONS:
            return ""
        if self.case.complainant_id is None:
            return "Restrictions on contact belong to a person; this case names nobody."
        if action is Action.RECORD_RESTRICTION_NOTICE and not self.restriction.pending_notices:
            return "No warning, restriction or review is waiting for its written notice."
        warning = self.case_clock(self.pack.restriction_warning_clock)
        try:
            check_restriction_step(
                action,
                self.restriction,
                on=timezone.localdate(),
                warn_first=self.pack.restriction_warn_first,
                change_by=warning.due if warning is not None and warning.start else None,
                cites=self.pack.restriction_cites,
            )
        except TransitionRejected as exc:
            return str(exc)
        return ""

    def case_clock(self, name: str | None) -> CaseClock | None:
        """One of the case's stored clocks by name."""
        return self.clocks.get(name or "")


def case_restriction_state(*, case: Case) -> RestrictionState:
    """The restrictions on contact of the case's complainant, from all their cases."""
    return person_restriction_state(case)


def case_taken_into_response(*, case: Case) -> list[TakenIn]:
    """The additional complaints taken into the case's stage 1 response (Pivotal §9 stage 1
    step 8)."""
    return [
        TakenIn(on=london_date(e.occurred_at), summary=e.data.get("summary", ""))
        for e in case.events.filter(kind=Action.TAKE_INTO_RESPONSE, stage=1).order_by("sequence")
    ]


def case_restricted(*, case: Case) -> bool:
    """True while restrictions on contact are in force for the case's complainant, applied on
    any of their cases and not lifted (MMBM §9: the person's, not one complaint's)."""
    return person_restriction_state(case).in_force


@dataclass(frozen=True, slots=True)
class IntegrityProblem:
    """Something the lead must look into: a case (or a policy version) and what is wrong."""

    subject: str
    problem: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    """For the lead: the latest log check's problems in their organisation's cases, and the
    organisation's policy versions failing their sha256 check now (docs/adr/ADR-005)."""

    checked_at: datetime | None
    log_problems: tuple[IntegrityProblem, ...]
    version_problems: tuple[IntegrityProblem, ...]

    def __bool__(self) -> bool:
        return bool(self.log_problems or self.version_problems)


def integrity_report_for(*, user: User) -> IntegrityReport | None:
    """The lead officer's integrity report; None for everyone else."""
    if not user.organisation_id or Capability.LEAD.value not in (user.capabilities or []):
        return None
    found = memo_fetch(
        ("latest_log_check",), lambda _: LogCheck.objects.order_by("-ran_at", "-pk")[:1], {}
    )
    latest = found[0] if found else None
    log_problems = tuple(
        IntegrityProblem(subject=p["reference"], problem=p["problem"])
        for p in (latest.problems if latest else [])
        if p.get("organisation_id") == user.organisation_id
    )
    version_problems = tuple(
        IntegrityProblem(
            subject=f"The policy version {v.name} {v.version}",
            problem="failed its integrity check: its text no longer matches the sha256 taken "
            "when it was published, so the cases opened under it are stopped.",
            references=tuple(v.pinned_references),
        )
        for v in policy_versions_failing_check(organisation_id=user.organisation_id)
    )
    return IntegrityReport(
        checked_at=latest.ran_at if latest else None,
        log_problems=log_problems,
        version_problems=version_problems,
    )


def case_list_of_organisation(*, organisation_id: int) -> QuerySet[Case]:
    """Every case of the organisation in the order they were made, with their events: for the
    operator's own commands on the command line (the history export, docs/import.md), which
    run with the database's access, not a colleague's."""
    return (
        Case.objects.filter(organisation_id=organisation_id)
        .select_related("complainant", "representative", "service_area", "logged_by")
        .prefetch_related("about_colleagues")
        .order_by("pk")
    )
