"""Every write to a case. Each service locks the case, asks the domain whether the move is
allowed, writes the new state and its event in one transaction, and recomputes the clocks.

Services are `case_<action>`, keyword-only and typed (STYLE.md §3). A refused move raises
TransitionRejected; bad input raises CaseInputError; nothing is ever silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.models import Case, CaseClock, CaseEvent, Person, ReferenceCounter
from fairhear.cases.selectors import case_time_limit_verdict
from fairhear.cases.snapshots import case_snapshot
from fairhear.domain.clock import add_duration, fmt_day, london_date
from fairhear.domain.history import EventRecord, milestones
from fairhear.domain.lifecycle import (
    Action,
    CaseKind,
    CaseSnapshot,
    CaseState,
    TransitionRejected,
    check_different_handler,
    check_extension,
    check_transition,
    required_capability,
)
from fairhear.domain.policy.evaluate import (
    ClockResult,
    compute_timetable,
    counted_due,
    told_in_time,
)
from fairhear.domain.policy.schema import PolicyPack, Purpose, Reason
from fairhear.policies.selectors import policy_pack_for

SYSTEM_ACTOR = "Fairhear (automatic)"
# How far ahead of this server's clock a time may be, for a colleague's slightly fast watch.
CLOCK_SKEW = timedelta(minutes=5)
ESCALATION_REFUSED = "escalation_refused"


class CaseInputError(ValueError):
    """What was given cannot be recorded; the message says what to change."""


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """A complainant's or representative's details as entered."""

    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    communication_needs: str = ""
    reasonable_adjustments: str = ""


# ---------------------------------------------------------------------------------------------
# Intake


def case_receive(
    *,
    organisation: Organisation,
    logged_by: User | None,
    kind: CaseKind,
    channel: str,
    summary: str,
    received_at: datetime,
    complainant: PersonDetails | None = None,
    representative: PersonDetails | None = None,
    representative_role: str = "",
    anonymous: bool = False,
    desired_outcome: str = "",
    categories: list[str] | None = None,
    service_area: ServiceArea | None = None,
    about_colleagues: list[User] | None = None,
    safeguarding: bool = False,
    health_and_safety: bool = False,
    anti_social_behaviour: bool = False,
    tenure: str = Case.Tenure.UNKNOWN,
    incident_date: date | None = None,
    logged_at: datetime | None = None,
) -> Case:
    """Record a new case from any channel. It is stored before anything else happens.

    `logged_at` is when it reached the log: now, unless history is being imported.
    """
    version = organisation.active_policy_version
    if version is None:
        raise CaseInputError(
            f"{organisation} has no active policy version; an administrator must publish one "
            "before cases can be logged."
        )
    pack = policy_pack_for(version)
    _check_received_at(received_at)
    if not summary.strip():
        raise CaseInputError("Describe what the person told us; the summary is empty.")
    if anonymous and complainant is not None:
        raise CaseInputError("An anonymous case cannot name its complainant; untick anonymous.")
    if not anonymous and complainant is None:
        raise CaseInputError(
            "Give the complainant's name, or tick anonymous if they did not give it."
        )
    if incident_date is not None and incident_date > london_date(received_at):
        raise CaseInputError(
            f"The incident date {fmt_day(incident_date)} is after the case was received; "
            "check both dates."
        )
    known = {c.code for c in pack.categories}
    unknown = [c for c in categories or [] if c not in known]
    if unknown:
        raise CaseInputError(f"Unknown categories {', '.join(unknown)}; use the policy's list.")
    with transaction.atomic(durable=True):
        case = Case.objects.create(
            organisation=organisation,
            reference=_next_reference(london_date(received_at).year),
            kind=kind,
            channel=channel,
            anonymous=anonymous,
            complainant=_person(organisation, complainant),
            representative=_person(organisation, representative),
            representative_role=representative_role if representative else "",
            summary=summary.strip(),
            desired_outcome=desired_outcome.strip(),
            service_area=service_area,
            categories=list(categories or []),
            safeguarding=safeguarding,
            health_and_safety=health_and_safety,
            anti_social_behaviour=anti_social_behaviour,
            tenure=tenure,
            incident_date=incident_date,
            first_contact_at=received_at,
            received_at=received_at,
            policy_version=version,
            state=CaseState.RECEIVED,
            stage=0,
            logged_by=logged_by,
        )
        if about_colleagues:
            case.about_colleagues.set(about_colleagues)
        _append_event(
            case,
            Action.RECEIVE,
            actor=logged_by,
            occurred_at=received_at,
            recorded_at=logged_at,
            from_state="",
            data={
                "kind": kind,
                "channel": channel,
                "categories": list(categories or []),
                "tenure": tenure,
                "service_area_id": service_area.pk if service_area else None,
                "anonymous": anonymous,
                "safeguarding": safeguarding,
                "health_and_safety": health_and_safety,
                "anti_social_behaviour": anti_social_behaviour,
            },
        )
        _refresh_clocks(case, pack)
    return case


def _person(organisation: Organisation, details: PersonDetails | None) -> Person | None:
    if details is None:
        return None
    if not details.name.strip():
        raise CaseInputError("A person needs a name.")
    return Person.objects.create(
        organisation=organisation,
        name=details.name.strip(),
        email=details.email.strip(),
        phone=details.phone.strip(),
        address=details.address.strip(),
        communication_needs=details.communication_needs.strip(),
        reasonable_adjustments=details.reasonable_adjustments.strip(),
    )


def _next_reference(year: int, prefix: str = "C") -> str:
    """A readable reference unique under concurrent intake: C-2026-000123."""
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def _check_received_at(received_at: datetime) -> None:
    if timezone.is_naive(received_at):
        raise CaseInputError("The time received needs a time zone.")
    if received_at > timezone.now() + CLOCK_SKEW:
        raise CaseInputError("The time received is in the future; check the date and time.")


# ---------------------------------------------------------------------------------------------
# The one place a transition is applied


@dataclass(frozen=True, slots=True)
class _Context:
    case: Case
    pack: PolicyPack
    clocks: dict[str, CaseClock]
    snapshot: CaseSnapshot


def _load(case_id: int) -> _Context:
    case = Case.objects.select_for_update().select_related("policy_version").get(pk=case_id)
    pack = policy_pack_for(case.policy_version)
    clocks = {c.name: c for c in case.clocks.all()}
    return _Context(case, pack, clocks, case_snapshot(case, pack, clocks))


def _authorise(ctx: _Context, action: Action, actor: User | None) -> None:
    if actor is None:
        return  # the system itself (auto-closure sweeps)
    if actor.organisation_id != ctx.case.organisation_id:
        raise TransitionRejected("This case belongs to another organisation.")
    needed = required_capability(action, ctx.pack, ctx.case.stage)
    if not actor.can(needed):
        raise TransitionRejected(
            f"Only someone with the {ctx.pack.role_title(needed)} role can "
            f"{action.label[0].lower()}{action.label[1:]} (you are signed in as {actor})."
        )


def _occurred(case: Case, occurred_at: datetime | None) -> datetime:
    """When the thing happened: now, or a past time no earlier than the case's receipt."""
    moment = occurred_at or timezone.now()
    if timezone.is_naive(moment):
        raise CaseInputError("The time needs a time zone.")
    if moment > timezone.now() + CLOCK_SKEW:
        raise CaseInputError("That date is in the future; record things once they have happened.")
    if london_date(moment) < london_date(case.received_at):
        raise CaseInputError(
            f"That date is before the case was received ({fmt_day(london_date(case.received_at))})."
        )
    return moment


def _transition(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    occurred_at: datetime | None = None,
    data: dict | None = None,
    validate: object = None,
    snapshot_changes: dict | None = None,
    **changes: object,
) -> Case:
    """Lock, check, write the state and the event, refresh the clocks: one transaction.

    `validate(ctx, when)` runs the action's own checks on the locked case and returns the
    event's data; it may also set `ctx.case.stage` or `ctx.case.closure_reason`, which are saved
    with the new state. `changes` are further fields to set on the case.
    """
    with transaction.atomic(durable=True):
        ctx = _load(case.pk)
        if snapshot_changes:
            ctx = replace(ctx, snapshot=replace(ctx.snapshot, **snapshot_changes))
        _authorise(ctx, action, actor)
        target = check_transition(action, ctx.snapshot, ctx.pack)
        when = _occurred(ctx.case, occurred_at)
        event_data = dict(data or {})
        if callable(validate):
            event_data.update(validate(ctx, when) or {})
        locked = ctx.case
        from_state = locked.state
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.state = target
        if target is CaseState.CLOSED and not locked.closure_reason:
            raise CaseInputError("A closed case needs a closure reason.")
        locked.save()
        _append_event(
            locked,
            action,
            actor=actor,
            occurred_at=when,
            from_state=from_state,
            data=event_data,
        )
        _refresh_clocks(locked, ctx.pack)
    case.refresh_from_db()
    return case


def _append_event(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    occurred_at: datetime,
    from_state: str,
    data: dict,
    recorded_at: datetime | None = None,
) -> CaseEvent:
    last = case.events.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    try:
        return CaseEvent.objects.create(
            case=case,
            sequence=last + 1,
            kind=action,
            stage=case.stage,
            from_state=from_state,
            to_state=case.state,
            actor=actor,
            actor_label=str(actor) if actor else SYSTEM_ACTOR,
            occurred_at=occurred_at,
            policy_version_id=case.policy_version_id,
            data=data,
            recorded_at=recorded_at or timezone.now(),
        )
    except IntegrityError as exc:  # pragma: no cover - the case row lock prevents this
        raise TransitionRejected("Someone else changed this case at the same moment.") from exc


def _records(case: Case) -> list[EventRecord]:
    return [
        EventRecord(
            kind=Action(e.kind),
            stage=e.stage,
            on=london_date(e.occurred_at),
            recorded_on=london_date(e.recorded_at),
            data=e.data,
        )
        for e in case.events.order_by("sequence")
    ]


def case_timetable(case: Case, pack: PolicyPack | None = None) -> list[ClockResult]:
    """Every clock of the case worked out afresh from its events."""
    pack = pack or policy_pack_for(case.policy_version)
    occurrences, extensions = milestones(_records(case))
    cal = organisation_calendar(case.organisation)
    return compute_timetable(pack, cal, occurrences, extensions=extensions)


def _refresh_clocks(case: Case, pack: PolicyPack) -> None:
    """Store the case's clocks so that "what is due" is one indexed query."""
    results = case_timetable(case, pack) if case.kind == CaseKind.COMPLAINT else []
    CaseClock.objects.filter(case=case).delete()
    CaseClock.objects.bulk_create(
        [
            CaseClock(
                case=case,
                name=r.name,
                label=r.rule.label,
                purpose=r.rule.purpose,
                status=r.status,
                started_by=r.started_by or "",
                start=r.start,
                original_due=r.original_due,
                due=r.due,
                met_on=r.met_on,
                extended=r.extended,
                told_before_original_due=r.told_before_original_due,
                explanation=r.explanation,
                cites=r.rule.cites,
            )
            for r in results
        ]
    )
    waiting = sorted(
        (r.due, r.rule.label)
        for r in results
        if r.open and r.due and r.rule.purpose is Purpose.DEADLINE
    )
    next_due, label = waiting[0] if waiting else (None, "")
    if (case.next_due, case.next_due_label) != (next_due, label):
        case.next_due, case.next_due_label = next_due, label
        case.save(update_fields=["next_due", "next_due_label"])


# ---------------------------------------------------------------------------------------------
# Acceptance and local resolution


def case_accept(
    *,
    case: Case,
    actor: User,
    exceptional_circumstances: str = "",
    note: str = "",
    occurred_at: datetime | None = None,
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
        case, Action.ACCEPT, occurred_at=occurred_at, actor=actor, validate=validate, **changes
    )


def case_refuse(
    *,
    case: Case,
    actor: User,
    reason_code: str,
    explanation: str = "",
    occurred_at: datetime | None = None,
) -> Case:
    """Refuse a complaint under one of the pack's exclusions; the letter gives the reason and
    the ombudsman route (Pivotal §6.2; Code 2.4)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        reason = _pack_reason(ctx.pack.refusal_reason, reason_code, "refusal")
        return {
            "reason_code": reason.code,
            "reason": reason.label,
            "letter_text": reason.letter_text,
            "explanation": explanation.strip(),
            "cites": reason.cites,
        }

    return _transition(case, Action.REFUSE, occurred_at=occurred_at, actor=actor, validate=validate)


def case_start_local_resolution(
    *, case: Case, actor: User, occurred_at: datetime | None = None, note: str = ""
) -> Case:
    """Record the contact that tries to resolve the matter locally (MMBM §8)."""
    return _transition(
        case,
        Action.START_LOCAL_RESOLUTION,
        actor=actor,
        occurred_at=occurred_at,
        data={"note": note.strip()},
    )


def case_resolve_locally(
    *, case: Case, actor: User, outcome: str, occurred_at: datetime | None = None
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
    )


def _pack_reason(lookup: Callable[[str], Reason], code: str, what: str) -> Reason:
    """A reason from the pack's list, or CaseInputError naming the list to choose from."""
    try:
        return lookup(code)
    except KeyError:
        raise CaseInputError(
            f"Choose a {what} reason from the policy's list; {code!r} is not one."
        ) from None


# ---------------------------------------------------------------------------------------------
# A stage: allocate, acknowledge, extend, respond


def case_allocate(
    *, case: Case, actor: User, handler: User, occurred_at: datetime | None = None
) -> Case:
    """Allocate (or reallocate) the colleague who handles the current stage, with regard to
    impartiality and conflicts of interest (Pivotal §9 stage 1, Head of Services step 1;
    MMBM §8.2.4; Code 5.8 and 6.13)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        if handler.organisation_id != ctx.case.organisation_id or not handler.is_active:
            raise CaseInputError("Choose an active colleague of this organisation.")
        stage = ctx.pack.stage(ctx.case.stage)
        if not handler.can(stage.handler):
            raise CaseInputError(
                f"{handler} cannot handle {stage.name}: they are not a {stage.handler_title}."
            )
        if ctx.case.about_colleagues.filter(pk=handler.pk).exists():
            raise CaseInputError(
                f"{handler} is named in this complaint, so cannot investigate it impartially."
            )
        check_different_handler(ctx.snapshot, ctx.pack, handler.pk)
        return {"handler_id": handler.pk, "handler": str(handler)}

    return _transition(
        case,
        Action.ALLOCATE,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        handler=handler,
    )


def case_acknowledge(
    *,
    case: Case,
    actor: User,
    occurred_at: datetime | None = None,
    understanding: str = "",
    outcomes_sought: str = "",
) -> Case:
    """Acknowledge the complaint at the current stage, with our understanding of it and the
    outcomes sought (Pivotal §9 stage 1 step 1 and stage 2 point 2; MMBM §8.1; Code 5.6)."""
    return _transition(
        case,
        Action.ACKNOWLEDGE,
        actor=actor,
        occurred_at=occurred_at,
        data={"understanding": understanding.strip(), "outcomes_sought": outcomes_sought.strip()},
    )


def case_extend(
    *,
    case: Case,
    actor: User,
    new_due: date,
    reason: str,
    told_on: date | None,
    occurred_at: datetime | None = None,
) -> Case:
    """Agree a later response date with the complainant, within the pack's limit (Pivotal §9
    stage 1 step 7 and §14.2; MMBM §8.1.3 and §8.2.7; Code 6.4 and 6.15)."""
    if not reason.strip():
        raise CaseInputError("Give the reason for the extension; it is told to the complainant.")

    def validate(ctx: _Context, when: datetime) -> dict:
        stage = ctx.pack.stage(ctx.case.stage)
        rule = ctx.pack.clocks[stage.response_clock]
        clock = ctx.clocks.get(rule.name)
        if clock is None or clock.due is None:
            raise TransitionRejected("The response clock has not started, so it cannot be moved.")
        limit, cites = _extension_limit(ctx, rule.name)
        check_extension(current_due=clock.due, new_due=new_due, limit=limit, limit_cites=cites)
        if told_on is not None and told_on < london_date(ctx.case.received_at):
            raise CaseInputError("The date the complainant was told is before the case arrived.")
        if told_on is not None and told_on > timezone.localdate():
            raise CaseInputError("The date the complainant was told is in the future.")
        return {
            "clock": rule.name,
            "new_due": new_due.isoformat(),
            "previous_due": clock.due.isoformat(),
            "original_due": clock.original_due.isoformat(),
            "reason": reason.strip(),
            "told_on": told_on.isoformat() if told_on else None,
            "told_before_original_due": told_in_time(told_on, clock.original_due),
            "limit": limit.isoformat() if limit else None,
        }

    return _transition(case, Action.EXTEND, actor=actor, occurred_at=occurred_at, validate=validate)


def _extension_limit(ctx: _Context, clock_name: str) -> tuple[date | None, str]:
    rule = ctx.pack.clocks[clock_name]
    ext = rule.extension
    if ext is None:
        return None, ""
    if ext.up_to_clock:
        bound = ctx.clocks.get(ext.up_to_clock)
        return (bound.due if bound else None), ext.cites
    if ext.by_at_most:
        clock = ctx.clocks[clock_name]
        cal = organisation_calendar(ctx.case.organisation)
        return add_duration(cal, clock.original_due, ext.by_at_most), ext.cites
    return None, ext.cites


class Outcome:
    """How a response decides the complaint."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    CHOICES = [(UPHELD, "Upheld"), (PARTLY_UPHELD, "Partly upheld"), (NOT_UPHELD, "Not upheld")]


def case_respond(
    *,
    case: Case,
    actor: User,
    outcome: str,
    reasons: str,
    policy_references: str = "",
    outstanding_actions: list[dict] | None = None,
    remedy: str = "",
    occurred_at: datetime | None = None,
) -> Case:
    """Send the current stage's response: decision, reasons, references and outstanding actions.

    A final stage's response closes the case with the pack's closure reason (Pivotal §9 stage 2
    point 6; MMBM §8.3.5; Code 6.10).
    """
    if outcome not in {c for c, _ in Outcome.CHOICES}:
        raise CaseInputError("Choose whether the complaint is upheld, partly upheld or not upheld.")
    if not reasons.strip():
        raise CaseInputError("Give clear reasons for the decision (they go to the complainant).")
    actions = []
    for i, item in enumerate(outstanding_actions or [], start=1):
        if not str(item.get("action", "")).strip() or not item.get("due"):
            raise CaseInputError(
                f"Outstanding action {i} needs both what will be done and by when."
            )
        actions.append({"action": str(item["action"]).strip(), "due": str(item["due"])})

    def validate(ctx: _Context, when: datetime) -> dict:
        stage = ctx.pack.stage(ctx.case.stage)
        clock = ctx.clocks.get(stage.response_clock)
        on = london_date(when)
        on_time_due = None
        if clock and clock.due:
            on_time_due = counted_due(clock.original_due, clock.due, clock.told_before_original_due)
        data = {
            "outcome": outcome,
            "reasons": reasons.strip(),
            "policy_references": policy_references.strip(),
            "outstanding_actions": actions,
            "remedy": remedy.strip(),
            "due": clock.due.isoformat() if clock and clock.due else None,
            "on_time_due": on_time_due.isoformat() if on_time_due else None,
            "on_time": on_time_due is not None and on <= on_time_due,
            "final": stage.final,
            "closes_case": stage.final,
        }
        if stage.final:
            ctx.case.closure_reason = stage.closes_with or ""
            data["reason_code"] = stage.closes_with
        return data

    return _transition(
        case, Action.RESPOND, actor=actor, occurred_at=occurred_at, validate=validate
    )


def case_record_response_receipt(*, case: Case, actor: User, received_on: datetime) -> Case:
    """Record when the complainant received the last response (the appeal window counts from
    it: Pivotal §9 stage 2 point 1)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        sent = ctx.case.events.filter(kind=Action.RESPOND).order_by("-sequence").first()
        if sent is None:
            raise TransitionRejected("No response has been sent yet.")
        if london_date(when) < london_date(sent.occurred_at):
            raise CaseInputError("The response cannot have been received before it was sent.")
        return {"response_stage": sent.stage}

    return _transition(
        case,
        Action.RECORD_RESPONSE_RECEIPT,
        actor=actor,
        occurred_at=received_on,
        validate=validate,
    )


# ---------------------------------------------------------------------------------------------
# Escalation


def case_request_escalation(
    *,
    case: Case,
    actor: User,
    requested_at: datetime,
    reasons: str = "",
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
        case, Action.REQUEST_ESCALATION, actor=actor, occurred_at=requested_at, validate=validate
    )


def case_accept_escalation(
    *, case: Case, actor: User, discretion: str = "", occurred_at: datetime | None = None
) -> Case:
    """Accept the request: the case moves to the next stage, whose clocks run from the request.

    A late request needs a recorded discretionary decision (KPIS.md "escalated").
    """

    def validate(ctx: _Context, when: datetime) -> dict:
        snapshot = ctx.snapshot
        late = (
            snapshot.escalation_window_closes is not None
            and snapshot.escalation_requested_on is not None
            and snapshot.escalation_requested_on > snapshot.escalation_window_closes
        )
        ctx.case.stage += 1
        return {"to_stage": ctx.case.stage, "late": late, "discretion": discretion.strip()}

    return _transition(
        case,
        Action.ACCEPT_ESCALATION,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        snapshot_changes={"escalation_discretion": discretion.strip()},
        handler=None,
    )


def case_refuse_escalation(
    *, case: Case, actor: User, reason: str, occurred_at: datetime | None = None
) -> Case:
    """Refuse the request for the next stage where the pack allows it; the last response stands."""
    if not reason.strip():
        raise CaseInputError("Explain why the escalation is refused; the complainant is told.")

    def validate(ctx: _Context, when: datetime) -> dict:
        next_stage = ctx.pack.stage(ctx.case.stage + 1)
        # Packs published before stages named this reason close with the generic one.
        code = next_stage.request_refused_closes_with or ESCALATION_REFUSED
        ctx.case.closure_reason = code
        return {"to_stage": next_stage.number, "reason": reason.strip(), "reason_code": code}

    return _transition(
        case, Action.REFUSE_ESCALATION, occurred_at=occurred_at, actor=actor, validate=validate
    )


# ---------------------------------------------------------------------------------------------
# Closure


def case_close(
    *,
    case: Case,
    actor: User,
    reason_code: str,
    note: str = "",
    occurred_at: datetime | None = None,
) -> Case:
    """Close a complaint with one of the pack's closure reasons (Pivotal §10.1)."""
    pack = policy_pack_for(case.policy_version)
    reason = _pack_reason(pack.closure_reason, reason_code, "closure")
    return _transition(
        case,
        Action.CLOSE,
        occurred_at=occurred_at,
        actor=actor,
        data={
            "reason_code": reason.code,
            "reason": reason.label,
            "satisfied": reason.satisfied,
            "note": note.strip(),
        },
        closure_reason=reason.code,
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


def cases_auto_close_sweep(*, today: date) -> list[str]:
    """Close every case whose auto-close date has passed; returns their references."""
    closed = []
    candidates = CaseClock.objects.filter(
        case__state=CaseState.RESPONDED, due__lt=today, status="running"
    ).select_related("case__policy_version")
    for clock in candidates:
        pack = policy_pack_for(clock.case.policy_version)
        if pack.auto_close and clock.name == pack.auto_close.clock:
            case_auto_close(case=clock.case, today=today)
            closed.append(clock.case.reference)
    return closed


# ---------------------------------------------------------------------------------------------
# Other kinds of contact


def case_convert_to_complaint(*, case: Case, actor: User, reason: str = "") -> Case:
    """Log a service request as a complaint: it counts as received now (KPIS.md)."""
    now = timezone.now()
    return _transition(
        case,
        Action.CONVERT_TO_COMPLAINT,
        actor=actor,
        occurred_at=now,
        data={"previous_kind": case.kind, "reason": reason.strip()},
        kind=CaseKind.COMPLAINT,
        received_at=now,
    )


def case_forward_compliment(
    *, case: Case, actor: User, note: str = "", occurred_at: datetime | None = None
) -> Case:
    """Pass a compliment to the line manager of each colleague it names (Pivotal §19.3; MMBM §4)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        colleagues = list(ctx.case.about_colleagues.select_related("line_manager"))
        if not colleagues:
            raise CaseInputError(
                "The compliment names no colleague; add who it is about, or close it as noted."
            )
        missing = [str(c) for c in colleagues if c.line_manager is None]
        if missing:
            raise CaseInputError(
                f"{', '.join(missing)} has no line manager recorded; an administrator must add one."
            )
        return {
            "colleagues": [{"id": c.pk, "name": str(c)} for c in colleagues],
            "line_managers": [
                {"id": c.line_manager.pk, "name": str(c.line_manager)} for c in colleagues
            ],
            "note": note.strip(),
        }

    return _transition(
        case,
        Action.FORWARD_COMPLIMENT,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        closure_reason="compliment_forwarded",
    )


def case_close_contact(
    *, case: Case, actor: User, outcome: str, occurred_at: datetime | None = None
) -> Case:
    """Close a service request, suggestion or compliment once dealt with."""
    if not outcome.strip():
        raise CaseInputError("Say what was done.")
    return _transition(
        case,
        Action.CLOSE_CONTACT,
        occurred_at=occurred_at,
        actor=actor,
        data={"outcome": outcome.strip()},
        closure_reason="dealt_with",
    )


# ---------------------------------------------------------------------------------------------
# Restrictions, referrals, feedback, assessments, notes


def case_apply_restriction(
    *,
    case: Case,
    actor: User,
    restrictions: str,
    notice_sent_on: date,
    reason: str,
    occurred_at: datetime | None = None,
) -> Case:
    """Record restrictions on how the complainant may contact us, with the written notice
    (MMBM §9; Pivotal §12 and App. 3 I; Code 5.14)."""
    if not restrictions.strip() or not reason.strip():
        raise CaseInputError("Describe the restrictions and why they are needed.")
    return _transition(
        case,
        Action.APPLY_RESTRICTION,
        occurred_at=occurred_at,
        actor=actor,
        data={
            "restrictions": restrictions.strip(),
            "reason": reason.strip(),
            "notice_sent_on": notice_sent_on.isoformat(),
        },
    )


def case_review_restriction(
    *, case: Case, actor: User, decision: str, occurred_at: datetime | None = None
) -> Case:
    """Record a review of the restrictions; the next review is due from today."""
    _require_restriction(case)
    if not decision.strip():
        raise CaseInputError("Record what the review decided.")
    return _transition(
        case,
        Action.REVIEW_RESTRICTION,
        occurred_at=occurred_at,
        actor=actor,
        data={"decision": decision.strip()},
    )


def case_lift_restriction(
    *, case: Case, actor: User, reason: str, occurred_at: datetime | None = None
) -> Case:
    """Lift the restrictions."""
    _require_restriction(case)
    return _transition(
        case,
        Action.LIFT_RESTRICTION,
        occurred_at=occurred_at,
        actor=actor,
        data={"reason": reason.strip()},
    )


def _require_restriction(case: Case) -> None:
    kinds = list(
        case.events.filter(kind__in=[Action.APPLY_RESTRICTION, Action.LIFT_RESTRICTION])
        .order_by("sequence")
        .values_list("kind", flat=True)
    )
    if not kinds or kinds[-1] != Action.APPLY_RESTRICTION:
        raise TransitionRejected("No restrictions are in force on this case.")


def case_record_ombudsman_referral(
    *, case: Case, actor: User, body: str, referred_on: datetime, note: str = ""
) -> Case:
    """Record that the complainant took the complaint to an ombudsman (KPI 21.3 i)."""
    if not body.strip():
        raise CaseInputError("Say which ombudsman or regulator it went to.")
    return _transition(
        case,
        Action.RECORD_OMBUDSMAN_REFERRAL,
        actor=actor,
        occurred_at=referred_on,
        data={"body": body.strip(), "note": note.strip()},
    )


SATISFACTION = [
    ("very_satisfied", "Very satisfied"),
    ("satisfied", "Satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("dissatisfied", "Dissatisfied"),
    ("very_dissatisfied", "Very dissatisfied"),
]


def case_record_feedback(
    *,
    case: Case,
    actor: User,
    satisfaction: str,
    comments: str = "",
    occurred_at: datetime | None = None,
) -> Case:
    """Record the complainant's feedback survey answer after closure (Pivotal §21.2)."""
    if satisfaction not in dict(SATISFACTION):
        raise CaseInputError("Choose how satisfied the complainant said they were.")
    return _transition(
        case,
        Action.RECORD_FEEDBACK,
        occurred_at=occurred_at,
        actor=actor,
        data={"satisfaction": satisfaction, "comments": comments.strip()},
    )


def case_assess_extension_reason(
    *,
    case: Case,
    actor: User,
    good_reason: bool,
    note: str = "",
    occurred_at: datetime | None = None,
) -> Case:
    """The lead officer's view of whether the latest extension had good reason (KPI 21.3 g)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        ext = ctx.case.events.filter(kind=Action.EXTEND).order_by("-sequence").first()
        if ext is None:
            raise TransitionRejected("This case has no extension to assess.")
        return {
            "extension_sequence": ext.sequence,
            "good_reason": good_reason,
            "note": note.strip(),
        }

    return _transition(
        case,
        Action.ASSESS_EXTENSION_REASON,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
    )


def case_add_note(
    *, case: Case, actor: User, text: str, occurred_at: datetime | None = None
) -> Case:
    """Add a note to the timeline (a call, a visit, what was found)."""
    if not text.strip():
        raise CaseInputError("The note is empty.")
    return _transition(
        case, Action.ADD_NOTE, occurred_at=occurred_at, actor=actor, data={"text": text.strip()}
    )
