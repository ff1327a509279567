"""A revised response date the complainant will not agree (Pivotal §14.3)."""

from __future__ import annotations

from datetime import date, datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_signposts
from fairhear.cases.services.transitions import _Context, _transition
from fairhear.domain.lifecycle import Action


def case_record_date_not_agreed(
    *,
    case: Case,
    actor: User,
    proposed_due: date,
    note: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the complainant would not agree a revised response date, and the ombudsman
    details they were given to challenge the delay (Pivotal §14.3). The due date does not move."""

    def validate(ctx: _Context, when: datetime) -> dict:
        stage = ctx.pack.stage(ctx.case.stage)
        rule = ctx.pack.clocks[stage.response_clock]
        ext = rule.extension
        wanted = ext.not_agreed_signposts if ext else ()
        # Only the bodies that apply to this case (Pivotal §1.4, §16; REGULATION.md §3).
        given = [s for s in case_signposts(ctx.case) if not wanted or s.code in wanted]
        clock = ctx.clocks.get(rule.name)
        return {
            "clock": rule.name,
            "due": clock.due.isoformat() if clock and clock.due else None,
            "proposed_due": proposed_due.isoformat(),
            "note": note.strip(),
            "signposts": [{"code": s.code, "name": s.name, "contact": s.contact} for s in given],
            "cites": (ext.not_agreed_cites if ext else "") or stage.cites,
        }

    return _transition(
        case,
        Action.RECORD_DATE_NOT_AGREED,
        actor=actor,
        occurred_at=occurred_at,
        validate=validate,
        seen_sequence=seen_sequence,
    )
