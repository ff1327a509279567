"""Other kinds of contact: service requests, suggestions and compliments."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.notices import happening_now, notify_compliment
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _next_sequence,
    _transition,
)
from fairhear.domain.lifecycle import (
    Action,
    CaseKind,
)


def case_convert_to_complaint(
    *,
    case: Case,
    actor: User,
    reason: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Log a service request as a complaint: it counts as received from the moment it became
    one, now unless given (KPIS.md)."""
    when = occurred_at or timezone.now()
    return _transition(
        case,
        Action.CONVERT_TO_COMPLAINT,
        actor=actor,
        occurred_at=when,
        data={"previous_kind": case.kind, "reason": reason.strip()},
        kind=CaseKind.COMPLAINT,
        received_at=when,
        seen_sequence=seen_sequence,
    )


def case_change_kind(
    *,
    case: Case,
    actor: User,
    kind: CaseKind,
    reason: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Triage: say what a case really is, whatever its sender called it (Pivotal §4.0, §5.3);
    it keeps the time it was received, so a complaint's clocks count from then."""
    if kind == case.kind:
        raise CaseInputError(
            f"It is already a {CaseKind(kind).value.replace('_', ' ')}; choose what else it is, "
            "or leave it as it is."
        )
    return _transition(
        case,
        Action.CHANGE_KIND,
        actor=actor,
        occurred_at=occurred_at,
        data={"previous_kind": case.kind, "kind": kind.value, "reason": reason.strip()},
        kind=kind,
        seen_sequence=seen_sequence,
    )


def case_forward_compliment(
    *,
    case: Case,
    actor: User,
    note: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Pass a compliment to the line manager of each colleague it names (Pivotal §19.3; MMBM §4),
    by e-mail in the same transaction (services/notices.py)."""

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
        # Each line manager is e-mailed the compliment, once, in this transaction (unless it
        # is recorded after the day it was passed on, as an imported history is).
        told = (
            notify_compliment(ctx.case, colleagues, actor, event=_next_sequence(ctx))
            if happening_now(when)
            else None
        )
        return {
            "colleagues": [{"id": c.pk, "name": str(c)} for c in colleagues],
            "line_managers": [
                {"id": c.line_manager.pk, "name": str(c.line_manager)} for c in colleagues
            ],
            "note": note.strip(),
            **({"message_ids": told.message_ids} if told else {}),
        }

    return _transition(
        case,
        Action.FORWARD_COMPLIMENT,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        closure_reason="compliment_forwarded",
        seen_sequence=seen_sequence,
    )


def case_close_contact(
    *,
    case: Case,
    actor: User,
    outcome: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
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
        seen_sequence=seen_sequence,
    )
