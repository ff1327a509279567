"""Reading a person's restrictions on contact from the events on all their cases
(fairhear.domain.restrictions has the rules; MMBM §9; Pivotal §12 and Appendix 3 I)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from fairhear.cases.models import Case, CaseClock, CaseEvent
from fairhear.domain.clock import london_date
from fairhear.domain.history import EventRecord
from fairhear.domain.lifecycle import Action
from fairhear.domain.restrictions import (
    RESTRICTION_ACTIONS,
    RestrictionRecord,
    RestrictionState,
    Standing,
    restriction_state,
)
from fairhear.policies.selectors import policy_pack_for
from fairhear.sql_memo import memo_fetch

# The restriction events that are milestones of the person's clocks (history._MILESTONE).
PERSON_CLOCK_ACTIONS = frozenset(
    {
        Action.WARN_BEHAVIOUR,
        Action.APPLY_RESTRICTION,
        Action.REVIEW_RESTRICTION,
        Action.LIFT_RESTRICTION,
    }
)


def _person_events(case: Case, kinds: frozenset[Action]) -> QuerySet[CaseEvent]:
    """The restriction events of the case's complainant, on any of their cases (or, with no
    complainant to hold them, the case's own), in the order they happened."""
    return _events_of(sorted(kinds), case.pk, case.complainant_id)


def _events_of(kinds: list[str], case_id: object, complainant_id: object) -> QuerySet[CaseEvent]:
    events = CaseEvent.objects.filter(kind__in=kinds)
    if complainant_id is None:
        events = events.filter(case_id=case_id)
    else:
        events = events.filter(case__complainant_id=complainant_id)
    return events.order_by("occurred_at", "recorded_at", "pk")


def person_restriction_records(case: Case) -> list[RestrictionRecord]:
    """The person's restriction events as plain values (their SQL built once, sql_memo: every
    case page reads them)."""
    kinds = sorted(RESTRICTION_ACTIONS)

    def build(values: Mapping[str, object]) -> QuerySet:
        return _events_of(kinds, values.get("case"), values.get("person")).values_list(
            "kind", "occurred_at", "case__reference", "sequence", "data"
        )

    whose = {"case": case.pk} if case.complainant_id is None else {"person": case.complainant_id}
    rows = memo_fetch(("person_restrictions",), build, whose)
    return [
        RestrictionRecord(
            kind=Action(kind),
            on=london_date(occurred_at),
            reference=reference,
            sequence=sequence,
            data=data,
        )
        for kind, occurred_at, reference, sequence, data in rows
    ]


def person_restriction_state(case: Case) -> RestrictionState:
    """The restrictions on contact of the case's complainant, from all their cases."""
    return restriction_state(person_restriction_records(case))


def person_clock_records(case: Case) -> list[EventRecord]:
    """The person's restriction events as records for the case's clocks, so that every case of
    theirs runs the same warning and review clocks."""
    rows = _person_events(case, PERSON_CLOCK_ACTIONS).values_list(
        "kind", "stage", "occurred_at", "recorded_at", "data"
    )
    return [
        EventRecord(
            kind=Action(kind),
            stage=stage,
            on=london_date(occurred_at),
            recorded_on=london_date(recorded_at),
            data=data,
        )
        for kind, stage, occurred_at, recorded_at, data in rows
    ]


def person_case_ids(case: Case) -> list[int]:
    """The complainant's other cases, whose clocks follow the person's restrictions."""
    if case.complainant_id is None:
        return []
    return list(
        Case.objects.filter(complainant_id=case.complainant_id)
        .exclude(pk=case.pk)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True, slots=True)
class RestrictionBanner:
    """What every case of a restricted (or warned) person shows at the top."""

    state: RestrictionState
    review: CaseClock | None
    warning: CaseClock | None
    report_to: str
    cites: str
    today: date

    @property
    def change_by(self) -> date | None:
        """The last day of the chance to change the latest warning gave."""
        return self.warning.due if self.warning is not None and self.warning.start else None

    @property
    def may_still_change(self) -> bool:
        """True until the chance to change has passed."""
        return self.change_by is not None and self.today <= self.change_by


def restriction_banner(
    case: Case, clocks: list[CaseClock], *, today: date
) -> RestrictionBanner | None:
    """The banner for the case's complainant while they are warned or restricted."""
    state = person_restriction_state(case)
    if state.standing is Standing.NONE and not state.pending_notices:
        return None
    pack = policy_pack_for(case.policy_version)
    by_name = {c.name: c for c in clocks}
    return RestrictionBanner(
        state=state,
        review=by_name.get(pack.restriction_review_clock or ""),
        warning=by_name.get(pack.restriction_warning_clock or ""),
        report_to=pack.restriction_report_to,
        cites=pack.restriction_cites,
        today=today,
    )


def person_latest_warning(case: Case) -> CaseEvent | None:
    """The latest warning about the behaviour of the case's complainant, on any of their cases
    (MMBM §9: the warning that gave them the chance to change)."""
    return _person_events(case, frozenset({Action.WARN_BEHAVIOUR})).last()
