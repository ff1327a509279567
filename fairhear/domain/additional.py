"""Additional complaints raised during stage 1 (Pivotal §9 stage 1 step 8; Code 6.8): taken into
the stage 1 response, which must then answer them, or logged as a new complaint linked to the
open one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import TransitionRejected


class Handling(StrEnum):
    """What the colleague logging chose for a new complaint while stage 1 is open."""

    TAKE_IN = "take_in"  # into the open case's stage 1 response
    NEW_LINKED = "new_linked"  # a new case, linked to the open one


@dataclass(frozen=True, slots=True)
class TakenIn:
    """An additional complaint taken into the stage 1 response."""

    on: date
    summary: str


def check_response_answers(taken_in: list[TakenIn], answer: str) -> None:
    """A stage 1 response with additional complaints taken into it must say how it answers
    them (Pivotal §9 stage 1 step 8: "taken into account as part of the stage one response")."""
    if not taken_in or answer.strip():
        return
    listed = "; ".join(f"{fmt_day(t.on)}: {t.summary}" for t in taken_in)
    count = "an additional complaint" if len(taken_in) == 1 else f"{len(taken_in)} more complaints"
    raise TransitionRejected(
        f"The complainant raised {count} during this investigation, taken into this response "
        f"({listed}). Say how the response answers "
        f"{'it' if len(taken_in) == 1 else 'them'} (Pivotal §9 stage 1 step 8; Code 6.8)."
    )
