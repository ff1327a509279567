"""CSV export of a list of cases: the same cases the page lists, streamed row by row.

A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
return before one) is written with a leading apostrophe, so that text a complainant typed is
never run as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from fairhear.cases.case_list import FLAGS, STOPPED
from fairhear.cases.models import Case
from fairhear.cases.presenters import stage_label, state_label
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


def case_csv_lines(cases: QuerySet[Case]) -> Iterator[str]:
    """The header, then one line per case, reading the cases in chunks."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    packs: dict[int, PolicyPack | None] = {}
    rows = cases.select_related("complainant", "handler", "service_area")
    for case in rows.iterator(chunk_size=500):
        if case.policy_version_id not in packs:
            packs[case.policy_version_id] = _pack(case.policy_version_id)
        yield writer.writerow([csv_safe(v) for v in _cells(case, packs[case.policy_version_id])])


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
