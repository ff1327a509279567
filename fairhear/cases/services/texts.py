"""Length limits on what services record, so that no caller (a form, an import, a script)
can put a text into the append-only history that is too long to show or cannot be stored.

Every text in an event's data, and every text of a new case and its people, is checked
against fairhear.domain.text; a NUL character, which PostgreSQL cannot store in text or JSON,
is refused too. Each refusal is a CaseInputError naming the text and both lengths.
"""

from __future__ import annotations

from collections.abc import Mapping

from fairhear.cases.models import Case
from fairhear.domain.text import EMAIL_LIMIT, NAME_LIMIT, PHONE_LIMIT, TEXT_LIMIT, too_long

# The words for an event data key, where the key alone would read oddly in a message.
_WORDS = {
    "text": "the note",
    "note": "the note",
    "reasons": "the reasons",
    "reason": "the reason",
    "outcome": "the outcome",
    "explanation": "the explanation",
    "understanding": "the understanding of the complaint",
    "outcomes_sought": "the outcomes sought",
    "policy_references": "the policies relied on",
    "remedy": "the remedy",
    "action": "the outstanding action",
    "discretion": "the discretionary decision",
    "decision": "the decision",
    "restrictions": "the restrictions",
    "comments": "the comments",
    "exceptional_circumstances": "the exceptional circumstances",
}


def check_text(value: str, *, what: str, limit: int = TEXT_LIMIT) -> None:
    """Refuse a text over `limit` characters, or holding a NUL character."""
    from fairhear.cases.services.transitions import CaseInputError

    message = too_long(value, what=what, limit=limit)
    if message:
        raise CaseInputError(message)
    if "\x00" in value:
        raise CaseInputError(
            f"{what[:1].upper()}{what[1:]} contains a NUL character (\\0), which cannot be "
            "stored; remove it."
        )


def check_event_texts(data: Mapping[str, object]) -> None:
    """Check every text in an event's data, however nested."""
    for key, value in data.items():
        _check_value(str(key), value)


def _check_value(key: str, value: object) -> None:
    if isinstance(value, str):
        check_text(value, what=_WORDS.get(key, f"the {key.replace('_', ' ')}"))
        check_text(key, what="a field name", limit=100)
    elif isinstance(value, Mapping):
        check_event_texts(value)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_value(key, item)


def check_intake(
    *,
    channel: str,
    tenure: str,
    representative_role: str,
    summary: str,
    desired_outcome: str,
    people: Mapping[str, object],
) -> None:
    """Check a new case's choices against their lists and its texts against their limits."""
    from fairhear.cases.services.transitions import CaseInputError

    for value, choices, what in (
        (channel, Case.Channel, "how it reached us"),
        (tenure, Case.Tenure, "the tenure"),
        (representative_role, Case.RepresentativeRole, "the representative's role"),
    ):
        if value not in choices.values:
            raise CaseInputError(
                f"{str(value)[:40]!r} is not a choice for {what}; use one of "
                f"{', '.join(repr(v) for v in choices.values if v)}."
            )
    check_text(summary, what="the summary")
    check_text(desired_outcome, what="the outcome they would like")
    for role, person in people.items():
        if person is None:
            continue
        check_text(person.name, what=f"the {role}'s name", limit=NAME_LIMIT)
        check_text(person.email, what=f"the {role}'s e-mail address", limit=EMAIL_LIMIT)
        check_text(person.phone, what=f"the {role}'s phone number", limit=PHONE_LIMIT)
        for field in ("address", "communication_needs", "reasonable_adjustments"):
            check_text(getattr(person, field), what=f"the {role}'s {field.replace('_', ' ')}")
