"""Export of a list of cases, as CSV or as an Excel workbook: the same cases the page lists, read
from the database in chunks and written row by row, so that a list of a million cases never
sits whole in memory.

A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
return before one) is written with a leading apostrophe, so that text a complainant typed is
never run as a formula (OWASP "CSV injection"). In the workbook the dates are date cells.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO

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


def case_export_rows(
    cases: QuerySet[Case], extra: tuple[tuple[str, str], ...] = ()
) -> Iterator[list[object]]:
    """One row of values per case (text, or a date for a date column), reading the cases in
    chunks. `extra` adds columns (header, the name of an annotation the caller put on `cases`)
    at the end; the header is `HEADER` and then theirs."""
    packs: dict[int, PolicyPack | None] = {}
    rows = cases.select_related("complainant", "handler", "service_area").annotate(**_STEPS)
    for case in rows.iterator(chunk_size=500):
        if case.policy_version_id not in packs:
            packs[case.policy_version_id] = _pack(case.policy_version_id)
        cells = [*_cells(case, packs[case.policy_version_id]), *_steps(case)]
        cells += [getattr(case, name) for _, name in extra]
        yield cells


def case_csv_lines(cases: QuerySet[Case], extra: tuple[tuple[str, str], ...] = ()) -> Iterator[str]:
    """The header, then one line per case (dates as YYYY-MM-DD)."""
    writer = csv.writer(_Line())
    yield writer.writerow([*HEADER, *(header for header, _ in extra)])
    for cells in case_export_rows(cases, extra):
        yield writer.writerow([csv_safe(v) for v in cells])


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limits: rows on a sheet (the header is one of them) and characters in a cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
XLSX_CUT = "… (cut here: Excel holds at most 32,767 characters in a cell; the CSV has it all)"


def case_xlsx_write(
    cases: QuerySet[Case], out: IO[bytes], extra: tuple[tuple[str, str], ...] = ()
) -> int:
    """Write the cases as an Excel workbook to `out`; the number of cases written.

    openpyxl's write-only mode keeps no row once written, so memory stays flat however long the
    list. A list longer than a sheet holds goes on to a second sheet ("Cases 2"), with the
    header again. Characters that an Excel file cannot hold at all (control characters other
    than tab and line breaks) are left out of the cell; a text longer than a cell holds is cut,
    saying so (the CSV export keeps the whole text)."""
    from openpyxl import Workbook  # only an Excel export needs it
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    header = [*HEADER, *(h for h, _ in extra)]
    sheet = None
    written = on_sheet = 0

    def cell(value: object) -> object:
        if value is None or value == "":
            return None  # an empty cell, which the file does not write at all
        if isinstance(value, date):
            c = WriteOnlyCell(sheet, value=value)
            c.number_format = "dd/mm/yyyy"
            return c
        return xlsx_text(value)

    for cells in case_export_rows(cases, extra):
        if sheet is None or on_sheet == XLSX_MAX_ROWS:
            sheet = book.create_sheet(f"Cases {len(book.worksheets) + 1}" if sheet else "Cases")
            sheet.freeze_panes = "B2"
            sheet.append(header)
            on_sheet = 1
        sheet.append([cell(v) for v in cells])
        on_sheet += 1
        written += 1
    if sheet is None:
        book.create_sheet("Cases").append(header)
    book.save(out)
    return written


def xlsx_text(value: object) -> str:
    """The value as text an Excel cell holds as it is: never a formula, never a character the
    file format cannot store, never longer than a cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", csv_safe(value))
    if len(text) > XLSX_MAX_CELL:
        text = text[: XLSX_MAX_CELL - len(XLSX_CUT)] + XLSX_CUT
    return text


def _day(moment: datetime | None) -> date | str:
    return timezone.localtime(moment).date() if moment else ""


def _steps(case: Case) -> list[object]:
    person = case.complainant
    closed = case.closed_at if case.state == CaseState.CLOSED else None
    return [
        case.get_channel_display(),
        case.get_tenure_display(),
        case.incident_date or "",
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
        timezone.localtime(case.received_at).date(),
        complainant,
        case.service_area.name if case.service_area else "",
        "; ".join(labels.get(code, code) for code in case.categories or []),
        stage_label(case, pack) if pack is not None else STOPPED,
        state_label(case),
        str(case.handler) if case.handler else "",
        case.next_due_label if case.next_due else "",
        case.next_due or "",
        outcome,
        "; ".join(label for flag, label in FLAGS.items() if getattr(case, flag)),
    ]
