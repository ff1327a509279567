"""How people across cases read on a case page: who the complainant was recognised as, what
their new contact changed, and their other cases."""

from __future__ import annotations

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
