"""The parts a stage response must contain before it may be sent, as the pack's `[responses]`
declares them (Pivotal §9 stage 1 step 6 and §11.2 g; Code 6.9 and 6.19). Plain values in, a
refusal that names the missing part out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fairhear.domain.lifecycle import TransitionRejected
from fairhear.domain.policy.schema import PolicyPack, ResponsePart

# The placeholder a stage response template shows each part with.
PLACEHOLDER = {part: f"response.{part.value}" for part in ResponsePart}

_HOW_TO_FIX = {
    ResponsePart.COMPLAINT_DEFINITION: (
        "record our understanding of the complaint when it is acknowledged"
    ),
    ResponsePart.REASONS: "give the reasons for the decision",
    ResponsePart.POLICY_REFERENCES: (
        "name the policies, procedures, laws or good practice the decision rests on"
    ),
    ResponsePart.OUTSTANDING_ACTIONS: (
        "list each outstanding action with the date it will be done by, or confirm that "
        "nothing is outstanding"
    ),
    ResponsePart.REMEDY: "say what is offered to put things right, or why nothing is",
    ResponsePart.HOW_TO_ESCALATE: "say how the complainant can take the complaint further",
}


def missing_parts(pack: PolicyPack, given: Mapping[ResponsePart, str]) -> list[ResponsePart]:
    """The parts the pack requires that the response leaves empty, in the pack's order."""
    return [p for p in pack.responses.required_parts if not str(given.get(p, "")).strip()]


def check_response_parts(pack: PolicyPack, given: Mapping[ResponsePart, str]) -> None:
    """Refuse a response that lacks a part the pack requires, naming each one and how to add it."""
    missing = missing_parts(pack, given)
    if not missing:
        return
    cites = f" ({pack.responses.cites})" if pack.responses.cites else ""
    named = "; ".join(f"{p.label}: {_HOW_TO_FIX[p]}" for p in missing)
    raise TransitionRejected(
        f"The response cannot be sent: the {pack.organisation} policy requires every response "
        f"to include {_words([p.label for p in missing])}{cites}. To add "
        f"{'it' if len(missing) == 1 else 'them'}, {named}."
    )


def check_template_parts(pack: PolicyPack, template_fields: Iterable[str]) -> None:
    """Refuse a stage response template that leaves out a part the pack requires: the letter
    would go without it however well the response was written."""
    used = set(template_fields)
    absent = [p for p in pack.responses.required_parts if PLACEHOLDER[p] not in used]
    if not absent:
        return
    cites = f" ({pack.responses.cites})" if pack.responses.cites else ""
    shown = ", ".join("{{ " + PLACEHOLDER[p] + " }}" for p in absent)
    raise TransitionRejected(
        f"The stage response letter leaves out {_words([p.label for p in absent])}, which the "
        f"{pack.organisation} policy requires in every response{cites}. Add {shown} to the "
        "letter's template."
    )


def _words(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
