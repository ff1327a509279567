"""The reads of the worker's sweep: the open deadlines due by a date, through the index on
clock status and due date (CaseClock "clock_status_due"), never a scan of every case. The
sweep acts for the organisation as a whole, not for a colleague, so no access rule applies."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.fields.json import KT

from fairhear.cases.models import CaseClock, CaseEvent
from fairhear.domain.lifecycle import OPEN_STATES, Action, CaseState
from fairhear.domain.policy.evaluate import ClockStatus
from fairhear.domain.policy.schema import Purpose
from fairhear.domain.updates import UPDATES_CLOCK

OPEN_CLOCKS = (ClockStatus.RUNNING.value, ClockStatus.OVERDUE.value)


def open_deadlines_due_by(*, organisation_id: int, by: date) -> QuerySet[CaseClock]:
    """The organisation's running deadlines due on or before `by`, on open complaints, with
    the case, its handler and its policy version (one query). A deadline whose miss is
    recorded on the case is left out: the sweep has done all it does for it, and a backlog of
    such deadlines is then no cost to each minute's read (the partial index clock_sweep_due)."""
    return (
        CaseClock.objects.filter(
            status__in=OPEN_CLOCKS,
            due__lte=by,
            purpose=Purpose.DEADLINE.value,
            missed_recorded=False,
            case__organisation_id=organisation_id,
            case__state__in=[s.value for s in OPEN_STATES],
        )
        .select_related("case__policy_version", "case__handler")
        .order_by("due", "pk")
    )


def windows_ended_before(
    *, organisation_id: int, today: date, names: set[str] | None = None
) -> QuerySet[CaseClock]:
    """The organisation's windows still open in the store whose last day is before `today` and
    whose close is not yet recorded on the case (a `window_closed` event for the clock), on
    complaints awaiting the complainant's next step (a response sent): the escalation windows
    the sweep records as closed (notifications/windows.py); only the clocks `names` names,
    when given (the packs' windows to ask for the next stage)."""
    recorded = CaseEvent.objects.annotate(window=KT("data__clock")).filter(
        case_id=OuterRef("case_id"),
        kind=Action.RECORD_WINDOW_CLOSED.value,
        window=OuterRef("name"),
    )
    clocks = CaseClock.objects.filter(
        status__in=OPEN_CLOCKS,
        due__lt=today,
        purpose=Purpose.WINDOW.value,
        case__organisation_id=organisation_id,
        case__state=CaseState.RESPONDED.value,
    )
    if names is not None:
        clocks = clocks.filter(name__in=sorted(names))
    return (
        clocks.exclude(Exists(recorded))
        .select_related("case__policy_version", "case__handler")
        .order_by("due", "pk")
    )


def clocks_ended_before(
    *, organisation_id: int, today: date, names: set[str], untold: QuerySet
) -> QuerySet[CaseClock]:
    """The organisation's running clocks of these names whose due date is before `today`, on
    any case, open or closed (a person's clocks outlive the case: MMBM §9), leaving out those
    `untold` says were told already (rows keyed by case, clock and due)."""
    told = untold.filter(case_id=OuterRef("case_id"), clock=OuterRef("name"), due=OuterRef("due"))
    return (
        CaseClock.objects.filter(
            status__in=OPEN_CLOCKS,
            due__lt=today,
            name__in=sorted(names),
            case__organisation_id=organisation_id,
        )
        .exclude(Exists(told))
        .select_related("case__policy_version", "case__handler")
        .order_by("due", "pk")
    )


def updates_due_by(*, organisation_id: int, today: date, untold: QuerySet) -> QuerySet[CaseClock]:
    """The organisation's open complaints whose next agreed update to the complainant is due on
    or before `today` (domain/updates.py), leaving out those `untold` says were reminded already
    for that due date."""
    told = untold.filter(case_id=OuterRef("case_id"), clock=OuterRef("name"), due=OuterRef("due"))
    return (
        CaseClock.objects.filter(
            status__in=OPEN_CLOCKS,
            due__lte=today,
            name=UPDATES_CLOCK,
            case__organisation_id=organisation_id,
            case__state__in=[s.value for s in OPEN_STATES],
        )
        .exclude(Exists(told))
        .select_related("case__policy_version", "case__handler")
        .order_by("due", "pk")
    )
