"""CSV export of a list of cases: the same cases the page lists, streamed row by row.

A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
return before one) is written with a leading apostrophe, so that text a complainant typed is
never run as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime

from django.db.models import CharField, DateTimeField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from fairhear.cases.case_list import FLAGS, STOPPED
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.presenters import stage_label, state_label
from fairhear.cases.services.stages import Outcome
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.domain.policy.schema import PolicyPack
from fairhear.policies.models import PolicyVersion
from fairhear.policies.selectors import PolicyVersionTampered, policy_pack_for

HEADER = (
    "Reference",
    "Kind",
    "Received",
    "Complainant",
    "Service area",
    "Categories",
    "Stage",
    "Status",
    "Handled by",
    "Next deadline",
    "Due",
    "Outcome",
    "Marked",
    # What a lead expects of a log, so that a log imported and exported loses nothing
    # (docs/import.md): how it came and what it is about, then each step's date.
    "Channel",
    "Tenure",
    "Incident date",
    "Summary",
    "Desired outcome",
    "Complainant e-mail",
    "Complainant phone",
    "Complainant address",
    "Not accepted",
    "Reason not accepted",
    "Acknowledged",
    "Stage 1 handled by",
    "Stage 1 response",
    "Stage 1 outcome",
    "Remedy",
    "Stage 2 requested",
    "Stage 2 acknowledged",
    "Stage 2 response",
    "Stage 2 outcome",
    "Closed",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """The value as a cell that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class _Line:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _event(value: str = "occurred_at", latest: bool = False, **where: object) -> Subquery:
    """One value of the case's first (or latest) event matching `where`, as a subquery."""
    events = CaseEvent.objects.filter(case=OuterRef("pk"), **where)
    if value != "occurred_at":
        events = events.annotate(value=KeyTextTransform(value, "data"))
    field = "value" if value != "occurred_at" else "occurred_at"
    ordered = events.order_by("-sequence" if latest else "sequence").values(field)[:1]
    output = DateTimeField() if field == "occurred_at" else CharField()
    return Subquery(ordered, output_field=output)


# The steps' dates and values, each a subquery on the case's events (one query for the list).
_STEPS = {
    "refused_at": _event(kind=Action.REFUSE),
    "refused_reason": _event("reason", kind=Action.REFUSE),
    "acknowledged_at": _event(kind=Action.ACKNOWLEDGE, stage=1),
    "stage1_handler": _event("handler", kind=Action.ALLOCATE, stage=1, latest=True),
    "stage1_response_at": _event(kind=Action.RESPOND, stage=1),
    "stage1_outcome": _event("outcome", kind=Action.RESPOND, stage=1),
    "remedy": _event("remedy", kind=Action.RESPOND, latest=True),
    "stage2_requested_at": _event(kind=Action.REQUEST_ESCALATION, data__to_stage=2),
    "stage2_acknowledged_at": _event(kind=Action.ACKNOWLEDGE, stage=2),
    "stage2_response_at": _event(kind=Action.RESPOND, stage=2),
    "stage2_outcome": _event("outcome", kind=Action.RESPOND, stage=2),
    "closed_at": _event(to_state=CaseState.CLOSED, latest=True),
}
_OUTCOMES = dict(Outcome.CHOICES)


def case_csv_lines(cases: QuerySet[Case], extra: tuple[tuple[str, str], ...] = ()) -> Iterator[str]:
    """The header, then one line per case, reading the cases in chunks. `extra` adds columns
    (header, the name of an annotation the caller put on `cases`) at the end."""
    writer = csv.writer(_Line())
    yield writer.writerow([*HEADER, *(header for header, _ in extra)])
    packs: dict[int, PolicyPack | None] = {}
    rows = cases.select_related("complainant", "handler", "service_area").annotate(**_STEPS)
    for case in rows.iterator(chunk_size=500):
        if case.policy_version_id not in packs:
            packs[case.policy_version_id] = _pack(case.policy_version_id)
        cells = [*_cells(case, packs[case.policy_version_id]), *_steps(case)]
        cells += [getattr(case, name) for _, name in extra]
        yield writer.writerow([csv_safe(v) for v in cells])


def _day(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _steps(case: Case) -> list[object]:
    person = case.complainant
    closed = case.closed_at if case.state == CaseState.CLOSED else None
    return [
        case.get_channel_display(),
        case.get_tenure_display(),
        case.incident_date.isoformat() if case.incident_date else "",
        case.summary,
        case.desired_outcome,
        person.email if person else "",
        person.phone if person else "",
        person.address if person else "",
        _day(case.refused_at),
        case.refused_reason or "",
        _day(case.acknowledged_at),
        case.stage1_handler or "",
        _day(case.stage1_response_at),
        _OUTCOMES.get(case.stage1_outcome or "", ""),
        case.remedy or "",
        _day(case.stage2_requested_at),
        _day(case.stage2_acknowledged_at),
        _day(case.stage2_response_at),
        _OUTCOMES.get(case.stage2_outcome or "", ""),
        _day(closed),
    ]


def _pack(version_id: int) -> PolicyPack | None:
    try:
        return policy_pack_for(PolicyVersion.objects.get(pk=version_id))
    except PolicyVersionTampered:
        return None


def _cells(case: Case, pack: PolicyPack | None) -> list[object]:
    labels = {c.code: c.label for c in pack.categories} if pack is not None else {}
    outcome = ""
    if case.closure_reason:
        try:
            outcome = pack.closure_reason(case.closure_reason).label if pack else ""
        except KeyError:
            outcome = ""
        outcome = outcome or case.closure_reason
    complainant = case.complainant.name if case.complainant else ""
    if case.anonymous:
        complainant = "Anonymous"
    return [
        case.reference,
        case.get_kind_display(),
        timezone.localtime(case.received_at).date().isoformat(),
        complainant,
        case.service_area.name if case.service_area else "",
        "; ".join(labels.get(code, code) for code in case.categories or []),
        stage_label(case, pack) if pack is not None else STOPPED,
        state_label(case),
        str(case.handler) if case.handler else "",
        case.next_due_label if case.next_due else "",
        case.next_due.isoformat() if case.next_due else "",
        outcome,
        "; ".join(label for flag, label in FLAGS.items() if getattr(case, flag)),
    ]
