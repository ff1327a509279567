"""How people across cases read on a case page: who the complainant was recognised as, what
their new contact changed, and their other cases."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from fairhear.cases.models import Case
from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import CaseState

_ROLES = {"complainant": "Complainant", "representative": "Representative"}
_FIELDS = {
    "email": "e-mail",
    "phone": "phone",
    "address": "address",
    "communication_needs": "communication needs",
    "reasonable_adjustments": "adjustments",
}


def person_lines(data: dict) -> list[tuple[str, str]]:
    """The receipt event's record of its people (and the open case it is linked to), as
    labelled lines."""
    out = []
    linked = data.get("linked_to")
    if linked:
        out.append(
            (
                "Linked to",
                f"{linked['reference']}: raised while its stage 1 investigation was open "
                f"({linked['cites']})",
            )
        )
    for role, record in (data.get("people") or {}).items():
        label = _ROLES.get(role, role.capitalize())
        recognised = record.get("recognised")
        why = " and ".join(record.get("why", []))
        if recognised == "same":
            out.append((label, f"Known to us already: {why}"))
        elif recognised == "confirmed":
            out.append((label, f"Confirmed by the colleague logging as someone known ({why})"))
        for change in record.get("changes", []):
            was = change["was"] or "nothing"
            out.append(
                (
                    f"{label}'s {_FIELDS.get(change['field'], change['field'])} changed",
                    f"from {was} to {change['now']}",
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class OtherCase:
    """One of the person's other cases, as the case page lists it."""

    reference: str
    kind: str
    state: str
    received: str
    role: str


def other_case_rows(cases: list[Case], person_id: int | None) -> list[OtherCase]:
    """The person's other cases, newest first, with their part in each."""
    return [
        OtherCase(
            reference=c.reference,
            kind=c.get_kind_display(),
            state=CaseState(c.state).label,
            received=fmt_day(timezone.localtime(c.received_at).date()),
            role="Complainant" if c.complainant_id == person_id else "Representative",
        )
        for c in cases
    ]
