"""Pivotal's monthly KPIs (seed 003 §21.3 a to i) from the case event log, for any period of
London dates split by month, quarter or year, with the figures for the whole period.

Each figure is a grouped Count over CaseEvent (reporting/events.py); its definition is
fairhear.domain.kpis.PIVOTAL, printed in docs/reports.md. The JSON keys are stable.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from fairhear.cases.models import CaseEvent
from fairhear.domain import kpis
from fairhear.domain.kpis import By, Measure, Period, percentage, rounded
from fairhear.reporting import events as ev
from fairhear.reporting.events import Scope, cell, tally

REFUSED_BY_REASON = "a_refused_by_reason"
# Each rate and the figure it is a share of (KPIS.md, Pivotal 21.3 a, e, g and h).
SHARE_OF = {
    "a_refused": "a_received",
    "e_within_timeframes": "e_responses",
    "g_good_reason": "f_extended_informed",
    "h_satisfied": "b_resolved",
}


def _rate(numerator: dict, denominator: dict) -> dict:
    """A count that is also a share of another: its numerator, denominator and percentage."""
    n, d = numerator["value"], denominator["value"]
    return {
        **numerator,
        "numerator": n,
        "denominator": d,
        "percent": rounded(percentage(n, d)),
    }


def _tallies(
    scope: Scope,
    start: date,
    end: date,
    by: By | None,
    parts: dict | None = None,
    keys: frozenset[str] | None = None,
) -> dict[str, dict]:
    """Every Pivotal figure's tally for the period (or only those in `keys`), split by `by`
    (None: the whole period, whose references are those of `parts`, the same figures split
    by month, when given)."""
    received = ev.receipts(scope, start, end)
    closed = ev.closures(scope, start, end)
    sent = ev.responses(scope, start, end)
    informed = ev.extended_informed(sent)

    def count(key: str, events: QuerySet[CaseEvent], **how: object) -> dict:
        return tally(events, by, parts=parts[key] if parts else None, **how)

    counts = {
        "a_received": lambda: count("a_received", received),
        "a_refused": lambda: count("a_refused", ev.refused(received)),
        REFUSED_BY_REASON: lambda: count(
            REFUSED_BY_REASON, ev.refusal_code(received), split="code"
        ),
        "b_resolved": lambda: count("b_resolved", closed),
        "c_escalated_stage2": lambda: count(
            "c_escalated_stage2",
            ev.of_kind(scope, start, end, kpis.ESCALATION_ACCEPTED_EVENT, stage=2),
            per="event",
        ),
        "d_resolved_stage2": lambda: count(
            "d_resolved_stage2", ev.responses(scope, start, end, stage=2), per="event"
        ),
        "e_within_timeframes": lambda: count(
            "e_within_timeframes", sent.filter(data__on_time=True), per="event"
        ),
        "e_responses": lambda: count("e_responses", sent, per="event"),
        "f_extended_informed": lambda: count("f_extended_informed", informed, per="event"),
        "g_good_reason": lambda: count(
            "g_good_reason", ev.extension_good_reason(sent), per="event"
        ),
        "h_satisfied": lambda: count("h_satisfied", ev.satisfied(closed, scope.organisation)),
        "i_ombudsman": lambda: count(
            "i_ombudsman", ev.of_kind(scope, start, end, kpis.OMBUDSMAN_EVENT), per="event"
        ),
    }
    return {key: counted() for key, counted in counts.items() if keys is None or key in keys}


def _figures(counts: dict[str, dict], label: str) -> dict[str, dict]:
    """One period's figures in the documented shape (those counted)."""
    out = {}
    for figure in kpis.PIVOTAL:
        if figure.key not in counts:
            continue
        if figure.key == REFUSED_BY_REASON:
            split = {
                code: cell(counts[REFUSED_BY_REASON], label, code)
                for (period, code) in sorted(counts[REFUSED_BY_REASON], key=lambda k: k[1] or "")
                if period == label
            }
            total = cell(counts["a_refused"], label)
            out[figure.key] = {**total, "by_reason": split}
            continue
        out[figure.key] = cell(counts[figure.key], label)
    for rate, of in SHARE_OF.items():
        if rate in out:
            out[rate] = _rate(out[rate], out[of])
    return out


def counted_with(key: str) -> frozenset[str]:
    """The figures to count for one figure's cell (pivotal_kpis' `keys`): itself, the
    refusals that a split by reason divides, and the figure any rate among them is a share of."""
    keys = {key, "a_refused"} if key == REFUSED_BY_REASON else {key}
    return frozenset(keys | {SHARE_OF[k] for k in keys if k in SHARE_OF})


def _period(period: Period, figures: dict) -> dict:
    return {
        "period": period.label,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "figures": figures,
    }


def pivotal_kpis(
    scope: Scope, start: date, end: date, by: By, keys: frozenset[str] | None = None
) -> dict:
    """The report: each month (quarter, year) of the period, then the whole period; every
    figure, or only those in `keys` (the dashboard's)."""
    split = _tallies(scope, start, end, by, keys=keys)
    whole = _tallies(scope, start, end, None, parts=split, keys=keys)
    return {
        "report": "pivotal-kpis",
        "organisation": scope.organisation.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by": by.value,
        "service_area": scope.service_area,
        "category": scope.category,
        "periods": [_period(p, _figures(split, p.label)) for p in kpis.periods(start, end, by)],
        "total": _period(Period("all", start, end), _figures(whole, "all")),
    }


RATES = {f.key for f in kpis.PIVOTAL if f.measure is Measure.RATE}
