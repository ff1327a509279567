"""The reads of the worker's sweep: the open deadlines due by a date, through the index on
clock status and due date (CaseClock "clock_status_due"), never a scan of every case. The
sweep acts for the organisation as a whole, not for a colleague, so no access rule applies."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from fairhear.cases.models import CaseClock
from fairhear.domain.lifecycle import OPEN_STATES
from fairhear.domain.policy.evaluate import ClockStatus
from fairhear.domain.policy.schema import Purpose

OPEN_CLOCKS = (ClockStatus.RUNNING.value, ClockStatus.OVERDUE.value)


def open_deadlines_due_by(*, organisation_id: int, by: date) -> QuerySet[CaseClock]:
    """The organisation's running deadlines due on or before `by`, on open complaints, with
    the case, its handler and its policy version (one query)."""
    return (
        CaseClock.objects.filter(
            status__in=OPEN_CLOCKS,
            due__lte=by,
            purpose=Purpose.DEADLINE.value,
            case__organisation_id=organisation_id,
            case__state__in=[s.value for s in OPEN_STATES],
        )
        .select_related("case__policy_version", "case__handler")
        .order_by("due", "pk")
    )
