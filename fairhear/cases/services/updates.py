"""How often the complainant will be updated, agreed with them and recorded on the case
(Pivotal §11.2 b and e; MMBM §8.1.2 "regular updates agreed between the two parties"; Code 5.9
"agree update intervals with the resident"). The next update's due date is kept with the
case's clocks (services/clocks.py, domain/updates.py); the worker's sweep reminds the handler."""

from __future__ import annotations

from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.transitions import CaseInputError, _transition
from fairhear.domain.lifecycle import Action
from fairhear.domain.updates import MAX_EVERY, MIN_EVERY


def case_agree_updates(
    *,
    case: Case,
    actor: User,
    every: int,
    note: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the complainant will be updated every `every` working days (a later
    agreement replaces an earlier one). The next update is due that many working days after
    the last one sent to them; this conversation counts as one."""
    if (
        isinstance(every, bool)
        or not isinstance(every, int)
        or not (MIN_EVERY <= every <= MAX_EVERY)
    ):
        raise CaseInputError(
            f"Enter how many working days apart the updates will be, from {MIN_EVERY} to "
            f"{MAX_EVERY}, for example 5 for about once a week."
        )
    return _transition(
        case,
        Action.AGREE_UPDATES,
        actor=actor,
        occurred_at=occurred_at,
        data={"every": every, **({"note": note.strip()} if note.strip() else {})},
        seen_sequence=seen_sequence,
    )
