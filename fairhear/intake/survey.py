"""The feedback survey answered online (Pivotal §21.2: "a feedback sheet to the customer
following closure"), by the personal link in the invitation (fairhear/letters/survey.py). The
answer is the same event a colleague records from a returned sheet, so it counts in KPI
21.3 (h); it is taken once."""

from __future__ import annotations

from fairhear.cases.models import Case
from fairhear.cases.services import case_record_feedback
from fairhear.domain.lifecycle import Action, CaseKind, CaseState

THROUGH = "survey"


def survey_answered(case: Case) -> bool:
    """True when an answer to the feedback survey is on record for the case, however given."""
    return case.events.filter(kind=Action.RECORD_FEEDBACK).exists()


def survey_open(case: Case) -> bool:
    """The survey can be answered: the case is a closed complaint (reopened: not now)."""
    return case.kind == CaseKind.COMPLAINT and case.state == CaseState.CLOSED


def survey_answer(*, case: Case, satisfaction: str, comments: str) -> Case:
    """Record the complainant's own answer, with no colleague acting; FeedbackAlreadyGiven when
    an answer is on record already (checked under the case's lock)."""
    return case_record_feedback(
        case=case, actor=None, satisfaction=satisfaction, comments=comments, through=THROUGH
    )
