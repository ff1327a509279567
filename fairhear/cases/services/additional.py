"""Additional complaints raised while stage 1 is open (Pivotal §9 stage 1 step 8; Code 6.8):
taken into the open case's stage 1 response, or logged as a new case linked to it; the
colleague logging chooses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from fairhear.accounts.models import User
from fairhear.cases.models import Case, Person
from fairhear.cases.selectors import case_list_visible_to
from fairhear.cases.services.people import PersonChoice, person_save
from fairhear.cases.services.transitions import CaseInputError, _Context, _transition
from fairhear.domain.additional import Handling
from fairhear.domain.lifecycle import Action, CaseState

if TYPE_CHECKING:
    from fairhear.cases.services.intake import PersonDetails

_OPEN_AT_STAGE_1 = (
    CaseState.AWAITING_ALLOCATION,
    CaseState.AWAITING_ACKNOWLEDGEMENT,
    CaseState.INVESTIGATING,
)


def case_take_into_response(
    *,
    case: Case,
    actor: User | None,
    summary: str,
    channel: str = "",
    occurred_at: datetime | None = None,
    complainant: PersonDetails | None = None,
    seen_sequence: int | None = None,
    after: Callable[[Case], None] | None = None,
) -> Case:
    """Take a new complaint the complainant raised during the stage 1 investigation into its
    response, which must then answer it (Pivotal §9 stage 1 step 8; Code 6.8). Details the
    complainant gave with it (`complainant`) bring theirs up to date, the old kept in the
    event. `after(case)` runs in the same transaction (the logging form's key is claimed
    there, so the same form sent twice takes it in once)."""
    if not summary.strip():
        raise CaseInputError("Describe the additional complaint; the summary is empty.")
    if channel and channel not in Case.Channel.values:
        raise CaseInputError("Choose how the additional complaint reached us from the list.")

    def validate(ctx: _Context, when: datetime) -> dict:
        if complainant is None or ctx.case.complainant_id is None:
            return {}
        _, record = person_save(
            organisation=ctx.case.organisation,
            details=complainant,
            choice=PersonChoice(ctx.case.complainant, "confirmed"),
        )
        return {"people": {"complainant": record}}

    return _transition(
        case,
        Action.TAKE_INTO_RESPONSE,
        occurred_at=occurred_at,
        actor=actor,
        data={"summary": summary.strip(), "channel": channel},
        validate=validate,
        seen_sequence=seen_sequence,
        after=after,
    )


@dataclass(frozen=True, slots=True)
class OpenStageOne:
    """One of the person's complaints whose stage 1 is open, as the colleague logging sees it."""

    reference: str
    summary: str


class AdditionalComplaintQuestion(CaseInputError):
    """The complainant has a complaint whose stage 1 is open: the colleague logging chooses to
    take the new one into its response or to log it as a new case linked to it
    (`additional_to` and `additional_handling`). `open_cases` lists them."""

    def __init__(self, open_cases: tuple[OpenStageOne, ...]) -> None:
        self.open_cases = open_cases
        refs = ", ".join(c.reference for c in open_cases)
        super().__init__(
            f"The complainant's complaint {refs} is being investigated at stage 1. Choose "
            "whether to take this one into its stage 1 response or to log it as a new "
            "complaint linked to it (Pivotal §9 stage 1 step 8)."
        )


def open_stage_one(person: Person | None, viewer: User) -> tuple[OpenStageOne, ...]:
    """The person's complaints at stage 1 whose response has not gone, that the colleague may
    see."""
    if person is None:
        return ()
    cases = (
        case_list_visible_to(user=viewer)
        .filter(complainant=person, kind="complaint", stage=1, state__in=_OPEN_AT_STAGE_1)
        .order_by("received_at")
    )
    return tuple(OpenStageOne(c.reference, c.summary) for c in cases)


def additional_choice(
    *,
    person: Person | None,
    viewer: User | None,
    additional_to: str,
    additional_handling: str,
    ask: bool,
) -> tuple[Handling, str] | None:
    """The colleague's choice for a new complaint from someone with an open stage 1, checked
    against the complaints open now; None when there is nothing to choose."""
    open_cases = open_stage_one(person, viewer) if viewer is not None else ()
    if additional_handling:
        if additional_handling not in set(Handling):
            raise CaseInputError("Choose to take it into the open response or to log it as new.")
        if additional_to not in {c.reference for c in open_cases}:
            raise CaseInputError(
                f"{additional_to or 'That case'} is no longer at stage 1 with its response to "
                "come; log the complaint again and choose from the cases open now."
            )
        return Handling(additional_handling), additional_to
    if open_cases and ask:
        raise AdditionalComplaintQuestion(open_cases)
    return None
