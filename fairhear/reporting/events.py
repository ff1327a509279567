"""The event sets the figures count, as querysets over the case event log, and the counting:
each figure is a Count grouped by the period its events fall in, and the list of the case
references behind it (docs/reports.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from fairhear.accounts.models import Organisation
from fairhear.cases.case_list import category_q
from fairhear.cases.models import Case, CaseEvent
from fairhear.domain import kpis
from fairhear.domain.kpis import By
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.policies.models import PolicyVersion
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.sql import bucket, bucket_key, during


@dataclass(frozen=True)
class Scope:
    """Whose events count: one organisation, optionally one service area (by name) or one
    category (by code), and optionally only the cases a colleague may see."""

    organisation: Organisation
    service_area: str | None = None
    category: str | None = None
    cases: QuerySet[Case] | None = None


def scoped_events(scope: Scope) -> QuerySet[CaseEvent]:
    """Every event of the scope's cases; nothing of another organisation."""
    events = CaseEvent.objects.filter(case__organisation=scope.organisation)
    if scope.service_area:
        events = events.filter(case__service_area__name=scope.service_area)
    if scope.category:
        events = events.filter(
            case__in=Case.objects.filter(category_q(scope.category)).values("pk")
        )
    if scope.cases is not None:
        events = events.filter(case__in=scope.cases.values("pk"))
    return events


def _on_case(kind: Action, **more: object) -> QuerySet[CaseEvent]:
    """Events of `kind` on the outer query's case."""
    return CaseEvent.objects.filter(case=OuterRef("case"), kind=kind, **more)


def has_event(kind: Action) -> Exists:
    """The outer event's case has an event of `kind`, whenever recorded."""
    return Exists(_on_case(kind))


def complaint_events(scope: Scope) -> QuerySet[CaseEvent]:
    return scoped_events(scope).filter(case__kind=CaseKind.COMPLAINT)


def receipts(scope: Scope, start: date, end: date) -> QuerySet[CaseEvent]:
    """Each complaint's receipt as a complaint dated in the period: the event that logged a
    service request as a complaint, else the receipt itself (KPIS.md "complaint")."""
    converted = _on_case(Action.CONVERT_TO_COMPLAINT)
    return (
        complaint_events(scope)
        .filter(during(start, end))
        .filter(Q(kind=Action.CONVERT_TO_COMPLAINT) | Q(kind=Action.RECEIVE) & ~Exists(converted))
    )


def refused(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    """Those of `events` whose complaint was not accepted, whenever that was recorded."""
    return events.filter(has_event(kpis.REFUSAL_EVENT))


def refusal_code(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    """`events` of refused complaints, with the refusal's reason code as `code`."""
    code = (
        _on_case(kpis.REFUSAL_EVENT)
        .order_by("-sequence")
        .annotate(code=KeyTextTransform("reason_code", "data"))
        .values("code")[:1]
    )
    return refused(events).annotate(code=Subquery(code))


def closures(scope: Scope, start: date, end: date) -> QuerySet[CaseEvent]:
    """Events that moved a complaint into the closed state in the period."""
    return (
        complaint_events(scope)
        .filter(during(start, end), to_state=kpis.CLOSED_STATE)
        .exclude(from_state=kpis.CLOSED_STATE)
    )


def of_kind(
    scope: Scope, start: date, end: date, kind: Action, **more: object
) -> QuerySet[CaseEvent]:
    """Complaint events of one kind in the period."""
    return complaint_events(scope).filter(during(start, end), kind=kind, **more)


def responses(scope: Scope, start: date, end: date, **more: object) -> QuerySet[CaseEvent]:
    """Responses sent in the period (a refusal letter is not a response)."""
    return of_kind(scope, start, end, kpis.RESPONSE_EVENT, **more)


def _told_extensions() -> QuerySet[CaseEvent]:
    """Extensions at the outer response's stage, before it, told before the original date."""
    return _on_case(
        kpis.EXTENSION_EVENT,
        stage=OuterRef("stage"),
        sequence__lt=OuterRef("sequence"),
        data__told_before_original_due=True,
    )


def extended_informed(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    """Responses whose stage had an extension the complainant was told of in time (f)."""
    return events.filter(Exists(_told_extensions()))


def extension_good_reason(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    """Of (f), those whose latest told extension's latest assessment says good reason (g)."""
    latest_ext = _told_extensions().order_by("-sequence").values("sequence")[:1]
    assessments = CaseEvent.objects.filter(kind=kpis.EXTENSION_ASSESSMENT_EVENT).annotate(
        assessed=Cast(KeyTextTransform("extension_sequence", "data"), IntegerField())
    )
    latest_assessment = (
        assessments.filter(case=OuterRef("case"), assessed=OuterRef("ext_seq"))
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    good = CaseEvent.objects.filter(
        case=OuterRef("case"), sequence=OuterRef("assessment_seq"), data__good_reason=True
    )
    return (
        extended_informed(events)
        .annotate(ext_seq=Subquery(latest_ext))
        .annotate(assessment_seq=Subquery(latest_assessment))
        .filter(Exists(good))
    )


def satisfied_closure_codes(organisation: Organisation) -> list[str]:
    """The closure reasons any of the organisation's pack versions marks as satisfied."""
    codes: set[str] = set()
    for version in PolicyVersion.objects.filter(organisation=organisation):
        codes.update(r.code for r in policy_pack_for(version).closure_reasons if r.satisfied)
    return sorted(codes)


def satisfied(events: QuerySet[CaseEvent], organisation: Organisation) -> QuerySet[CaseEvent]:
    """Closures with a satisfied closure reason, or whose complaint's latest feedback answer
    is satisfied or very satisfied (h)."""
    latest_answer = (
        _on_case(kpis.FEEDBACK_EVENT)
        .order_by("-sequence")
        .annotate(answer=KeyTextTransform("satisfaction", "data"))
        .values("answer")[:1]
    )
    return events.annotate(answer=Subquery(latest_answer)).filter(
        Q(data__reason_code__in=satisfied_closure_codes(organisation))
        | Q(answer__in=kpis.SATISFIED_ANSWERS)
    )


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


Tally = dict[tuple[str, str | None], dict]


def tally(
    events: QuerySet[CaseEvent],
    by: By | None,
    *,
    per: str = "case",
    split: str | None = None,
    parts: Tally | None = None,
) -> Tally:
    """{(period label, split value): {"value": n, "references": [...]}}: one grouped Count
    (of distinct complaints, or of events with per="event") and one list of references.

    `parts`, for the whole period (`by` None), is the same figure's tally by month, quarter or
    year over the same period: those periods divide it, so its references together are the
    whole period's, and they are not read again (the count still is: a case counts once)."""
    grouped = events.annotate(bucket=bucket(by))
    keys = ["bucket", *([split] if split else [])]
    counted = Count("case", distinct=True) if per == "case" else Count("id")
    out: Tally = {}
    for row in grouped.values(*keys).annotate(n=counted).order_by():
        key = (bucket_key(row["bucket"], by), row.get(split) if split else None)
        out[key] = {"value": row["n"], "references": []}
    if parts is not None and by is None:
        together: dict[str | None, set[str]] = {}
        for (_period, part), figure in parts.items():
            together.setdefault(part, set()).update(figure["references"])
        for key, figure in out.items():
            figure["references"] = sorted(together.get(key[1], ()))
        return out
    refs = (
        grouped.values_list(*keys, "case__reference").distinct().order_by(*keys, "case__reference")
    )
    for values in refs:
        key = (bucket_key(values[0], by), values[1] if split else None)
        out[key]["references"].append(values[-1])
    return out


def cell(counts: dict, label: str, split: str | None = None) -> dict:
    """One period's figure from a tally: zero, with no references, where nothing counted."""
    found = counts.get((label, split))
    return dict(found) if found else {"value": 0, "references": []}
