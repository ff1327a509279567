"""MMBM's quarterly report to the directors (seed 000 §11): number, causes and outcomes of
complaints, the stage each closed complaint reached, on-time rates per stage, compliments by
service, and restrictions on contact in force and reviewed; the four calendar quarters of a
year side by side, the year, and the year before it for the trend."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat

from fairhear.cases.case_list import category_q
from fairhear.cases.models import Case, CaseEvent
from fairhear.domain import kpis
from fairhear.domain.clock import LONDON
from fairhear.domain.kpis import By, Period, percentage, rounded
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.policies.models import PolicyVersion
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting import events as ev
from fairhear.reporting.events import Scope, cell, tally
from fairhear.reporting.sql import during

NOT_RECORDED = "not recorded"


def _codes(scope: Scope) -> tuple[list[str], list[str]]:
    """The categories and the withdrawal closure reasons of the organisation's pack versions."""
    categories: dict[str, None] = {}
    withdrawals: set[str] = set()
    for version in PolicyVersion.objects.filter(organisation=scope.organisation):
        pack = policy_pack_for(version)
        categories.update((c.code, None) for c in pack.categories)
        withdrawals.update(r.code for r in pack.closure_reasons if r.withdrawal)
    return list(categories), sorted(withdrawals)


def _split(counts: dict, label: str) -> dict[str, dict]:
    return {
        str(part): cell(counts, label, part)
        for (period, part) in sorted(counts, key=lambda k: str(k[1]))
        if period == label
    }


# The tallies each figure is made from.
TALLIES = {
    "received": ("received",),
    "causes": ("received", "causes"),
    "outcomes": ("outcomes", "refused", "withdrawn"),
    "stage_reached": ("stage_reached",),
    "on_time_by_stage": ("on_time", "responses"),
    "compliments_by_service": ("compliments",),
    "restrictions_in_force": (),
    "restriction_reviews": ("reviews",),
}


def _tallies(
    scope: Scope,
    start: date,
    end: date,
    by: By | None,
    parts: dict | None = None,
    keys: frozenset[str] | None = None,
) -> dict:
    """Every figure's tally for the period (or only those the figures in `keys` are made
    from), split by `by` (None: the whole period, whose references are those of `parts`, the
    same figures split by quarter, when given)."""
    wanted = None if keys is None else {t for k in keys for t in TALLIES[k]}
    categories, withdrawals = _codes(scope)

    def count(key: str, events: QuerySet[CaseEvent], **how: object) -> dict:
        return tally(events, by, parts=parts[key] if parts else None, **how)

    received = ev.receipts(scope, start, end)
    sent = ev.responses(scope, start, end).annotate(
        part=Concat(
            Value("stage "),
            Cast("stage", CharField()),
            Value(" "),
            KeyTextTransform("outcome", "data"),
            output_field=CharField(),
        )
    )
    closed = ev.closures(scope, start, end)
    compliments = (
        ev.scoped_events(scope)
        .filter(during(start, end), kind=kpis.COMPLIMENT_RECEIPT_EVENT)
        .filter(case__kind=CaseKind.COMPLIMENT)
        .annotate(area=Coalesce("case__service_area__name", Value(NOT_RECORDED)))
    )
    counts = {
        "received": lambda: count("received", received),
        "causes": lambda: {
            code: tally(
                received.filter(case__in=Case.objects.filter(category_q(code)).values("pk")),
                by,
                parts=parts["causes"].get(code) if parts else None,
            )
            for code in categories
        },
        "outcomes": lambda: count("outcomes", sent, per="event", split="part"),
        "refused": lambda: count("refused", ev.of_kind(scope, start, end, kpis.REFUSAL_EVENT)),
        "withdrawn": lambda: count("withdrawn", closed.filter(data__reason_code__in=withdrawals)),
        "stage_reached": lambda: count("stage_reached", closed, split="stage"),
        "on_time": lambda: count(
            "on_time", sent.filter(data__on_time=True), per="event", split="stage"
        ),
        "responses": lambda: count("responses", sent, per="event", split="stage"),
        "compliments": lambda: count("compliments", compliments, split="area"),
        "reviews": lambda: count(
            "reviews", ev.of_kind(scope, start, end, Action.REVIEW_RESTRICTION), per="event"
        ),
    }
    return {key: counted() for key, counted in counts.items() if wanted is None or key in wanted}


def _in_force(scope: Scope, end: date) -> dict:
    """Complainants under restrictions on contact at the end of `end`: applied on or before it
    and not lifted since (the restrictions are the person's: MMBM §9)."""
    upto = Q(occurred_at__lt=datetime.combine(end + timedelta(days=1), time(0), LONDON))
    lifted = CaseEvent.objects.filter(
        case__complainant=OuterRef("case__complainant"),
        kind=Action.LIFT_RESTRICTION,
        occurred_at__gt=OuterRef("occurred_at"),
    ).filter(upto)
    applied = (
        ev.complaint_events(scope)
        .filter(upto, kind=Action.APPLY_RESTRICTION)
        .exclude(Exists(lifted))
    )
    people = applied.aggregate(n=Count("case__complainant", distinct=True))["n"]
    refs = sorted(set(applied.values_list("case__reference", flat=True)))
    return {"value": people, "references": refs}


def _figures(
    scope: Scope, counts: dict, period: Period, keys: frozenset[str] | None = None
) -> dict:
    """The period's figures (or only those in `keys`) from their tallies."""
    label = period.label

    def by_stage() -> dict:
        on_time = _split(counts["on_time"], label)
        out = {}
        for stage, sent in _split(counts["responses"], label).items():
            n = on_time.get(stage, {"value": 0, "references": []})
            out[stage] = {
                **n,
                "numerator": n["value"],
                "denominator": sent["value"],
                "percent": rounded(percentage(n["value"], sent["value"])),
            }
        return out

    def outcomes() -> dict:
        found = _split(counts["outcomes"], label)
        found["refused"] = cell(counts["refused"], label)
        found["withdrawn"] = cell(counts["withdrawn"], label)
        return found

    def causes() -> dict:
        by = {c: cell(t, label) for c, t in counts["causes"].items()}
        return {**cell(counts["received"], label), "by": by}

    figures = {
        "received": lambda: cell(counts["received"], label),
        "causes": causes,
        "outcomes": lambda: {"value": None, "by": outcomes()},
        "stage_reached": lambda: {"value": None, "by": _split(counts["stage_reached"], label)},
        "on_time_by_stage": lambda: {"value": None, "by": by_stage()},
        "compliments_by_service": lambda: {
            "value": None,
            "by": _split(counts["compliments"], label),
        },
        "restrictions_in_force": lambda: _in_force(scope, period.end),
        "restriction_reviews": lambda: cell(counts["reviews"], label),
    }
    return {key: made() for key, made in figures.items() if keys is None or key in keys}


def _whole(
    scope: Scope, period: Period, parts: dict | None = None, keys: frozenset[str] | None = None
) -> dict:
    counts = _tallies(scope, period.start, period.end, None, parts, keys=keys)
    figures = _figures(scope, counts, Period("all", period.start, period.end), keys=keys)
    return {
        "period": period.label,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "figures": figures,
    }


def mmbm_figures(scope: Scope, period: Period, keys: frozenset[str] | None = None) -> dict:
    """MMBM 11's figures (or only those in `keys`) for any period of London dates (the
    dashboard's whole period)."""
    return _whole(scope, period, keys=keys)["figures"]


def mmbm_quarterly(scope: Scope, year: int) -> dict:
    """The four quarters of calendar `year`, the year, and the year before (the trend)."""
    quarters = kpis.quarters(year)
    start, end = quarters[0].start, quarters[-1].end
    counts = _tallies(scope, start, end, By.QUARTER)
    this_year = Period(str(year), start, end)
    before = Period(str(year - 1), date(year - 1, 1, 1), start - timedelta(days=1))
    return {
        "report": "mmbm-quarterly",
        "organisation": scope.organisation.slug,
        "year": year,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "periods": [
            {
                "period": q.label,
                "from": q.start.isoformat(),
                "to": q.end.isoformat(),
                "figures": _figures(scope, counts, q),
            }
            for q in quarters
        ],
        "total": _whole(scope, this_year, parts=counts),
        "previous_year": _whole(scope, before),
    }
