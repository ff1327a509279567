"""Restrictions on contact: the person's, recorded from any of their complaints (MMBM §9;
Pivotal §12 and Appendix 3 I; Code 5.14).

Each step is an event on the case the colleague acted from (the log); the person's standing
is derived from those events on all their cases (fairhear.cases.restrictions), and every case
of theirs runs the same warning and review clocks, refreshed in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.restrictions import person_case_ids, person_restriction_state
from fairhear.cases.services.notices import happening_now, notify_behaviour
from fairhear.cases.services.records import TOLD_HOW
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _next_sequence,
    _refresh_clocks,
    _transition,
)
from fairhear.domain.clock import fmt_day, london_date
from fairhear.domain.lifecycle import Action, TransitionRejected
from fairhear.domain.restrictions import Notice, check_restriction_step, notice_for
from fairhear.policies.selectors import policy_pack_for

WARNED_HOW = [
    ("letter", "In writing"),
    ("meeting", "At a face to face meeting"),
]


def _check_step(action: Action) -> object:
    """The `validate` for a restriction step: the person's standing allows it now."""

    def validate(ctx: _Context, when: datetime) -> dict:
        if ctx.case.complainant_id is None:
            raise TransitionRejected(
                "Restrictions on contact belong to a person, and this case has no named "
                "complainant to hold them."
            )
        state = person_restriction_state(ctx.case)
        warning = ctx.clocks.get(ctx.pack.restriction_warning_clock or "")
        check_restriction_step(
            action,
            state,
            on=london_date(when),
            warn_first=ctx.pack.restriction_warn_first,
            change_by=warning.due if warning is not None and warning.start else None,
            cites=ctx.pack.restriction_cites,
        )
        return {}

    return validate


def _check_and_report(action: Action, actor: User, step: str) -> object:
    """The step's `validate`, then the report of the behaviour to the actor's line manager and
    the Head of Services, queued in the step's transaction (Pivotal App. 3 I: "reported
    immediately"; the pack's `report_to`; services/notices.py)."""
    check = _check_step(action)

    def validate(ctx: _Context, when: datetime) -> dict:
        data = check(ctx, when) or {}
        told = (
            notify_behaviour(ctx.case, ctx.pack, actor, step, event=_next_sequence(ctx))
            if happening_now(when)
            else None
        )
        return {**data, **({"reported_to": told.data()} if told else {})}

    return validate


def _refresh_person(case: Case) -> None:
    """Bring the clocks of the person's other cases up to date with this step."""
    for other in Case.objects.filter(pk__in=person_case_ids(case)).select_related(
        "policy_version", "organisation"
    ):
        _refresh_clocks(other, policy_pack_for(other.policy_version))


def _check_notice_date(sent_on: date | None) -> None:
    if sent_on is not None and sent_on > timezone.localdate():
        raise CaseInputError("The written confirmation cannot have been sent in the future.")


def case_warn_about_behaviour(
    *,
    case: Case,
    actor: User,
    behaviour: str,
    how: str,
    notice_sent_on: date | None = None,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Tell the person, in writing or at a meeting, why their behaviour is unacceptable; the
    pack's warning clock gives them a chance to change before restrictions (MMBM §9)."""
    if not behaviour.strip():
        raise CaseInputError("Describe the behaviour and why it is unacceptable.")
    if how not in dict(WARNED_HOW):
        raise CaseInputError("Say how they were told: in writing or at a face to face meeting.")
    _check_notice_date(notice_sent_on)
    return _transition(
        case,
        Action.WARN_BEHAVIOUR,
        occurred_at=occurred_at,
        actor=actor,
        data={
            "behaviour": behaviour.strip(),
            "how": how,
            "notice_sent_on": notice_sent_on.isoformat() if notice_sent_on else None,
        },
        validate=_check_and_report(
            Action.WARN_BEHAVIOUR, actor, f"they warned the complainant about: {behaviour.strip()}"
        ),
        after=_refresh_person,
        seen_sequence=seen_sequence,
    )


def case_apply_restriction(
    *,
    case: Case,
    actor: User,
    restrictions: str,
    reason: str,
    notice_sent_on: date | None = None,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Restrict how the person may contact us, with the date the written notice was sent if it
    has been (MMBM §9 "confirmed in writing"; Pivotal §12 and App. 3 I; Code 5.14). Where the
    pack warns first, only after the warning's chance to change has passed."""
    if not restrictions.strip() or not reason.strip():
        raise CaseInputError("Describe the restrictions and why they are needed.")
    _check_notice_date(notice_sent_on)
    return _transition(
        case,
        Action.APPLY_RESTRICTION,
        occurred_at=occurred_at,
        actor=actor,
        data={
            "restrictions": restrictions.strip(),
            "reason": reason.strip(),
            "notice_sent_on": notice_sent_on.isoformat() if notice_sent_on else None,
        },
        validate=_check_and_report(
            Action.APPLY_RESTRICTION,
            actor,
            f"they restricted contact ({restrictions.strip()}) because {reason.strip()}",
        ),
        after=_refresh_person,
        seen_sequence=seen_sequence,
    )


def case_review_restriction(
    *,
    case: Case,
    actor: User,
    decision: str,
    occurred_at: datetime | None = None,
    notice_sent_on: date | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record a review of the person's restrictions, and the date its written confirmation was
    sent (MMBM §9: "review our decision at least every six months, and this must also be
    confirmed in writing"); the next review is due from the review."""
    if not decision.strip():
        raise CaseInputError("Record what the review decided.")
    _check_notice_date(notice_sent_on)
    return _transition(
        case,
        Action.REVIEW_RESTRICTION,
        occurred_at=occurred_at,
        actor=actor,
        data={
            "decision": decision.strip(),
            "notice_sent_on": notice_sent_on.isoformat() if notice_sent_on else None,
        },
        validate=_check_step(Action.REVIEW_RESTRICTION),
        after=_refresh_person,
        seen_sequence=seen_sequence,
    )


def case_lift_restriction(
    *,
    case: Case,
    actor: User,
    reason: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Lift the person's restrictions; the reviews end."""
    return _transition(
        case,
        Action.LIFT_RESTRICTION,
        occurred_at=occurred_at,
        actor=actor,
        data={"reason": reason.strip()},
        validate=_check_step(Action.LIFT_RESTRICTION),
        after=_refresh_person,
        seen_sequence=seen_sequence,
    )


def case_record_restriction_notice(
    *,
    case: Case,
    actor: User,
    for_reference: str,
    for_sequence: int,
    sent_on: date,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the written notice of a warning, of restrictions or of a review was sent
    (MMBM §9: restrictions "confirmed in writing", each review "also ... confirmed in
    writing"), when it was not recorded with the step itself."""
    _check_notice_date(sent_on)

    def validate(ctx: _Context, when: datetime) -> dict:
        pending = notice_for(
            person_restriction_state(ctx.case), reference=for_reference, sequence=for_sequence
        )
        if pending is None:
            raise CaseInputError(
                "That step is not waiting for a written notice; choose one from the list."
            )
        if sent_on < pending.on:
            raise CaseInputError(
                f"The notice cannot have been sent before {pending.notice.label} it confirms "
                f"({fmt_day(pending.on)})."
            )
        return {
            "for_reference": for_reference,
            "for_sequence": for_sequence,
            "notice": pending.notice.value,
            "sent_on": sent_on.isoformat(),
        }

    return _transition(
        case,
        Action.RECORD_RESTRICTION_NOTICE,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        after=_refresh_person,
        seen_sequence=seen_sequence,
    )


def case_report_behaviour(
    *,
    case: Case,
    actor: User,
    told: str,
    how: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the people the policy names were told of the behaviour or the restrictions:
    who, how and when (Pivotal App. 3 I: "reported immediately to the Line Manager and Head of
    Services"; MMBM §9: shared with relevant staff)."""
    if not told.strip():
        raise CaseInputError("Say who was told, for example the line manager by name.")
    if how not in dict(TOLD_HOW):
        raise CaseInputError("Choose how they were told: e-mail, phone, in person or Teams.")
    return _transition(
        case,
        Action.REPORT_BEHAVIOUR,
        occurred_at=occurred_at,
        actor=actor,
        data={"told": told.strip(), "how": how},
        after=_refresh_person,
        seen_sequence=seen_sequence,
    )


__all__ = [
    "WARNED_HOW",
    "Notice",
    "case_apply_restriction",
    "case_lift_restriction",
    "case_record_restriction_notice",
    "case_report_behaviour",
    "case_review_restriction",
    "case_warn_about_behaviour",
]
