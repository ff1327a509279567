"""Restricted access and its log: the lead restricts a case to the people named, changes who
is named and removes the restriction, each an event (domain/access.py; docs/adr/ADR-006);
every view of a restricted case is logged."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from fairhear.accounts.models import User
from fairhear.cases.models import Case, CaseAccessLog
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _transition,
)
from fairhear.domain.access import ALREADY_RESTRICTED, NOT_RESTRICTED
from fairhear.domain.lifecycle import Action, TransitionRejected


def _named(ctx: _Context, named: list[User]) -> list[dict]:
    """Who may see the case, checked: active colleagues of its organisation, none of them named
    in the complaint (a colleague named in a complaint never sees it)."""
    about = set(ctx.case.about_colleagues.values_list("pk", flat=True))
    for user in named:
        if user.organisation_id != ctx.case.organisation_id or not user.is_active:
            raise CaseInputError(f"{user} is not an active colleague of this organisation.")
        if user.pk in about:
            raise CaseInputError(
                f"{user} is named in this complaint, so may not see it; untick them."
            )
    ctx.case.access_named.set(named)
    return [{"id": u.pk, "name": str(u)} for u in named]


def case_restrict_access(
    *,
    case: Case,
    actor: User,
    reason: str,
    named: list[User],
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Restrict the case to the colleagues named (and its handler and the lead officer), for
    a reason (Pivotal App. 3 E: need to know; MMBM 7.6: the strictest of confidence)."""
    if not reason.strip():
        raise CaseInputError("Say why access to this case is restricted.")

    def validate(ctx: _Context, when: datetime) -> dict:
        if ctx.case.restricted_access:
            raise TransitionRejected(ALREADY_RESTRICTED)
        return {"named": _named(ctx, named)}

    return _transition(
        case,
        Action.RESTRICT_ACCESS,
        actor=actor,
        occurred_at=occurred_at,
        data={"reason": reason.strip()},
        validate=validate,
        seen_sequence=seen_sequence,
        restricted_access=True,
    )


def case_change_access_names(
    *,
    case: Case,
    actor: User,
    named: list[User],
    reason: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Change who may see a restricted case; the event records everyone named after it."""

    def validate(ctx: _Context, when: datetime) -> dict:
        if not ctx.case.restricted_access:
            raise TransitionRejected(NOT_RESTRICTED)
        return {"named": _named(ctx, named)}

    return _transition(
        case,
        Action.CHANGE_ACCESS_NAMES,
        actor=actor,
        occurred_at=occurred_at,
        data={"reason": reason.strip()},
        validate=validate,
        seen_sequence=seen_sequence,
    )


def case_unrestrict_access(
    *,
    case: Case,
    actor: User,
    reason: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Remove the restricted access: the case is seen again by everyone with a reason to."""
    if not reason.strip():
        raise CaseInputError("Say why access to this case is no longer restricted.")

    def validate(ctx: _Context, when: datetime) -> dict:
        if not ctx.case.restricted_access:
            raise TransitionRejected(NOT_RESTRICTED)
        ctx.case.access_named.clear()
        return {}

    return _transition(
        case,
        Action.UNRESTRICT_ACCESS,
        actor=actor,
        occurred_at=occurred_at,
        data={"reason": reason.strip()},
        validate=validate,
        seen_sequence=seen_sequence,
        restricted_access=False,
    )


def case_access_record(*, case: Case, user: User, page: str) -> None:
    """Log that the colleague viewed a restricted case, on which page (append-only; the views
    call it for every page of a case whose access is restricted)."""
    with transaction.atomic():
        CaseAccessLog.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            user=user,
            user_label=str(user),
            page=page[:300],
        )
