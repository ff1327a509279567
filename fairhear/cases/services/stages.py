"""A stage's work: allocate, acknowledge, extend, respond, record the response's receipt."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_taken_into_response
from fairhear.cases.services.clocks import case_timetable
from fairhear.cases.services.sign_off import signed_off
from fairhear.cases.services.signposting import signposts_given
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _moved_by,
    _transition,
)
from fairhear.domain.additional import check_response_answers
from fairhear.domain.allocation import check_allocation_steps
from fairhear.domain.bounds import action_due_problem
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.history import EventRecord
from fairhear.domain.lifecycle import (
    Action,
    TransitionRejected,
    check_different_handler,
    check_extension,
)
from fairhear.domain.policy.evaluate import told_in_time
from fairhear.domain.policy.schema import BeyondLimit, SignpostMoment
from fairhear.domain.responses import check_agreed_response_date, check_means
from fairhear.domain.sign_off import SignOffStep


def case_allocate(
    *,
    case: Case,
    actor: User,
    handler: User,
    occurred_at: datetime | None = None,
    consultation: str = "",
    external_investigator: str = "",
    external_organisation: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Allocate (or reallocate) the colleague who handles the current stage, with regard to
    impartiality and conflicts of interest (Pivotal §9 stage 1, Head of Services step 1;
    MMBM §8.2.4; Code 5.8 and 6.13); with the complainant's consultation where the category
    asks (MMBM §7.2) and any external investigator (MMBM §8.4)."""

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
        check_allocation_steps(
            ctx.pack,
            stage,
            categories=list(ctx.case.categories or []),
            consultation=consultation,
            external_name=external_investigator,
            external_organisation=external_organisation,
        )
        data = {"handler_id": handler.pk, "handler": str(handler)}
        if consultation.strip():
            data["consultation"] = consultation.strip()
        if external_investigator.strip():
            data["external_investigator"] = {
                "name": external_investigator.strip(),
                "organisation": external_organisation.strip(),
            }
        return data

    return _transition(
        case,
        Action.ALLOCATE,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        handler=handler,
        seen_sequence=seen_sequence,
    )


def case_acknowledge(
    *,
    case: Case,
    actor: User,
    occurred_at: datetime | None = None,
    understanding: str = "",
    outcomes_sought: str = "",
    means: str = "",
    agreed_response_date: date | None = None,
    override: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Acknowledge the complaint at the current stage, with our understanding of it and the
    outcomes sought (Pivotal §9 stage 1 step 1 and stage 2 point 2; MMBM §8.1; Code 5.6): how
    it was given and, where the stage has one, the response date agreed (MMBM §8.1).

    The allocated handler acknowledges; anyone else with the role gives `override`, why they
    act for them (Pivotal §9 stage 1, "the allocated Service Manager will")."""

    def validate(ctx: _Context, when: datetime) -> dict:
        stage = ctx.pack.stage(ctx.case.stage)
        given = check_means(
            stage, means, written_confirmation_offered=False, what="acknowledgement"
        )
        data = {
            "understanding": understanding.strip(),
            "outcomes_sought": outcomes_sought.strip(),
            "means": given.value if given else "",
        }
        if agreed_response_date is not None:
            clock = ctx.clocks.get(stage.response_clock)
            check_agreed_response_date(
                ctx.pack,
                stage,
                agreed=agreed_response_date,
                acknowledged_on=london_date(when),
                policy_due=clock.due if clock else None,
            )
            data |= {
                "agreed_response_date": agreed_response_date.isoformat(),
                "response_clock": stage.response_clock,
                "agreed_cites": stage.cites,
            }
        return data

    return _transition(
        case,
        Action.ACKNOWLEDGE,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        override=override,
        seen_sequence=seen_sequence,
    )


def case_extend(
    *,
    case: Case,
    actor: User,
    new_due: date,
    reason: str,
    told_on: date | None,
    beyond_limit_reason: str = "",
    beyond_limit_agreed: bool = False,
    occurred_at: datetime | None = None,
    override: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Agree a later response date with the complainant (Pivotal §9 stage 1 step 7 and §14.2;
    MMBM §8.1.3 and §8.2.7; Code 6.4 and 6.15). A date past the pack's limit is recorded as
    agreed with the reason for going beyond it; the event says whether the pack's rule allows
    it, so reports count only what it allows (KPIS.md)."""
    if not reason.strip():
        raise CaseInputError("Give the reason for the extension; it is told to the complainant.")

    def validate(ctx: _Context, when: datetime) -> dict:
        stage = ctx.pack.stage(ctx.case.stage)
        rule = ctx.pack.clocks[stage.response_clock]
        clock = next(
            r
            for r in case_timetable(ctx.case, ctx.pack, history=ctx.history)
            if r.name == rule.name
        )
        if clock.due is None or clock.original_due is None:
            raise TransitionRejected("The response clock has not started, so it cannot be moved.")
        ext = rule.extension
        within_rule = check_extension(
            current_due=clock.due,
            new_due=new_due,
            limit=clock.limit,
            limit_cites=ext.cites if ext else "",
            beyond_limit=ext.beyond_limit if ext else BeyondLimit.HARD,
            agreed_by=ext.agreed_by if ext else "",
            beyond_limit_reason=beyond_limit_reason,
            beyond_limit_agreed=beyond_limit_agreed,
        )
        if told_on is not None and told_on < london_date(ctx.case.received_at):
            raise CaseInputError("The date the complainant was told is before the case arrived.")
        if told_on is not None and told_on > timezone.localdate():
            raise CaseInputError("The date the complainant was told is in the future.")
        beyond = clock.limit is not None and new_due > clock.limit
        data = signed_off(ctx, SignOffStep.EXTENSION, actor) | {
            "clock": rule.name,
            "new_due": new_due.isoformat(),
            "previous_due": clock.due.isoformat(),
            "original_due": clock.original_due.isoformat(),
            "reason": reason.strip(),
            "told_on": told_on.isoformat() if told_on else None,
            "told_before_original_due": told_in_time(told_on, clock.original_due),
            "limit": clock.limit.isoformat() if clock.limit else None,
            "beyond_limit": beyond,
            "within_rule": within_rule,
            **signposts_given(ctx.case, ctx.pack, SignpostMoment.EXTENSION),
        }
        if beyond:
            data["beyond_limit_reason"] = beyond_limit_reason.strip()
            data["beyond_limit_agreed_by"] = ext.agreed_by if ext else ""
            data["beyond_limit_agreed"] = beyond_limit_agreed
        return data

    return _transition(
        case,
        Action.EXTEND,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        override=override,
        seen_sequence=seen_sequence,
    )


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
    means: str = "",
    written_confirmation_offered: bool = False,
    override: str = "",
    additional_answer: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Send the current stage's response: decision, reasons, references and outstanding actions,
    and how it was given (MMBM §8.1.4, §8.1.5 and §8.3.4). At stage 1, additional complaints
    taken into the response need `additional_answer`: how it answers them (Pivotal §9 stage 1
    step 8; Code 6.8).

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
        given = check_means(stage, means, written_confirmation_offered=written_confirmation_offered)
        _check_action_dates(actions, on)
        taken_in = case_taken_into_response(case=ctx.case) if ctx.case.stage == 1 else []
        check_response_answers(taken_in, additional_answer)
        # KPIS.md "on time": worked out afresh from the events, never past the pack's limit.
        timetable = {r.name: r for r in case_timetable(ctx.case, ctx.pack, history=ctx.history)}
        counted = timetable.get(stage.response_clock)
        on_time_due = counted.on_time_due if counted else None
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
            "means": given.value if given else "",
            "written_confirmation_offered": bool(given and given.spoken)
            and written_confirmation_offered,
            "signposts": [],
        }
        if taken_in:
            data["additional_answer"] = additional_answer.strip()
            data["additional_complaints"] = len(taken_in)
        data |= signed_off(ctx, SignOffStep.RESPONSE, actor)
        if stage.final:
            data.update(signposts_given(ctx.case, ctx.pack, SignpostMoment.FINAL_RESPONSE))
        if stage.final:
            ctx.case.closure_reason = stage.closes_with or ""
            data["reason_code"] = stage.closes_with
        return data

    return _transition(
        case,
        Action.RESPOND,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        override=override,
        seen_sequence=seen_sequence,
    )


def _check_action_dates(actions: list[dict], responded_on: date) -> None:
    """Each outstanding action is due on or after the response that promises it (Pivotal §9
    stage 1 step 6: "outstanding actions and timescales for their completion"; Code 6.9)."""
    for number, item in enumerate(actions, start=1):
        try:
            due = date.fromisoformat(item["due"])
        except ValueError:
            raise CaseInputError(
                f"Outstanding action {number} needs a date such as 2026-12-01, not {item['due']!r}."
            ) from None
        problem = action_due_problem(number, item["action"], due, responded_on)
        if problem:
            raise CaseInputError(problem)


def case_record_response_receipt(
    *,
    case: Case,
    actor: User,
    received_on: datetime,
    correction_reason: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Record when the complainant received the last response (the appeal window counts from
    it: Pivotal §9 stage 2 point 1). It is recorded once; changing it is a correction that
    says why, what the date was, and which dates it moved."""

    def validate(ctx: _Context, when: datetime) -> dict:
        sent = ctx.case.events.filter(kind=Action.RESPOND).order_by("-sequence").first()
        if sent is None:
            raise TransitionRejected("No response has been sent yet.")
        on = london_date(when)
        if on < london_date(sent.occurred_at):
            raise CaseInputError("The response cannot have been received before it was sent.")
        data = {"response_stage": sent.stage, "received_on": on.isoformat()}
        recorded = (
            ctx.case.events.filter(kind=Action.RECORD_RESPONSE_RECEIPT, sequence__gt=sent.sequence)
            .order_by("-sequence")
            .first()
        )
        if recorded is None:
            return data
        previous = london_date(recorded.occurred_at)
        if not correction_reason.strip():
            raise TransitionRejected(
                f"The complainant's receipt of the stage {sent.stage} response is already "
                f"recorded as {fmt_day(previous)}. To change it, say why the date is being "
                "corrected."
            )
        if previous == on:
            raise CaseInputError(
                f"{fmt_day(on)} is the date already recorded; there is nothing to correct."
            )
        data |= {
            "corrects_sequence": recorded.sequence,
            "previous_received_on": previous.isoformat(),
            "correction_reason": correction_reason.strip(),
        }
        record = EventRecord(Action.RECORD_RESPONSE_RECEIPT, ctx.case.stage, on, on, data)
        data["moved"] = _moved_by(ctx, record)
        return data

    return _transition(
        case,
        Action.RECORD_RESPONSE_RECEIPT,
        actor=actor,
        occurred_at=received_on,
        validate=validate,
        seen_sequence=seen_sequence,
    )
