"""The dashboard's figures: volumes by month, by category and by service area, timeliness
against the pack's and the Code's due dates, outcomes, the stage 2 rate and compliments, for a
period of London dates, each chart's numbers with the case references behind them.

Nothing is counted here that the reports do not already count: the months are Pivotal's (a),
(b) and (c) from `figures.pivotal_kpis`; causes, outcomes, on-time rates and compliments are
MMBM 11's from `mmbm.mmbm_figures`; the Code's timeliness is CH02's rule from
`tsm.code_on_time_by_stage`. Only the split by service area and the stage 2 rate's
denominator (stage 1 responses by month) are tallied here, from the same event sets
(kpis.DASHBOARD). The charts (charts.py) and the tables are drawn from this one structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Value
from django.db.models.functions import Coalesce

from fairhear.domain import kpis
from fairhear.domain.kpis import By, Period, percentage, rounded
from fairhear.reporting import events as ev
from fairhear.reporting.charts import Chart, Series, bars, line
from fairhear.reporting.events import Scope, cell, tally
from fairhear.reporting.figures import pivotal_kpis
from fairhear.reporting.mmbm import NOT_RECORDED, mmbm_figures
from fairhear.reporting.tsm import code_on_time_by_stage

EMPTY = {"value": 0, "references": []}
OUTCOME_NAMES = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Row:
    """A row of a chart's table (a month, a category, a stage): its key in the query string
    of the link to its cases, and its words."""

    key: str
    label: str


@dataclass(frozen=True)
class Column:
    """A series of a chart (a column of its table): its key, its words and one figure (value,
    references, and numerator, denominator and percent for a share) per row."""

    key: str
    name: str
    cells: list[dict]
    rate: bool = False
    heading: str = ""  # the table's words for the column, when not its name

    @property
    def title(self) -> str:
        return self.heading or self.name


@dataclass(frozen=True)
class Panel:
    """One chart and its table: what it shows, the figures it is drawn from (their
    definitions), its rows and columns, and how it is drawn."""

    key: str
    title: str
    description: str
    figures: tuple[kpis.Figure, ...]
    rows: list[Row]
    columns: list[Column]
    draw: str  # "line", "bars" or "stacked"
    row_heading: str = ""  # the table's heading over the rows' names
    unit: str = ""
    total: Row | None = None  # a row of the table that is not drawn (the whole period)
    drawn_if_none: bool = True  # False: a row that is 0 in every column is in the table only

    def chart(self) -> Chart:
        drawn = [
            i
            for i, r in enumerate(self.rows)
            if r != self.total
            and (self.drawn_if_none or any(c.cells[i]["value"] for c in self.columns))
        ]
        series = []
        for column in self.columns:
            cells = [column.cells[i] for i in drawn]
            if column.rate:
                values = [None if c["percent"] is None else float(c["percent"]) for c in cells]
                texts = ["none" if c["percent"] is None else f"{c['percent']}%" for c in cells]
                series.append(Series(column.name, values, texts))
            else:
                series.append(Series(column.name, [c["value"] for c in cells]))
        labels = [self.rows[i].label for i in drawn]
        if self.draw == "line":
            labels = [_short_month(self.rows[i].key, i == 0) for i in drawn]
        return Chart(
            id=f"chart-{self.key}",
            title=self.title,
            description=self.description,
            labels=labels,
            series=series,
            unit=self.unit,
            maximum=100 if self.unit == "%" else None,
        )

    def svg(self) -> str:
        """The chart as SVG markup, every piece of text escaped (charts.py)."""
        chart = self.chart()
        if self.draw == "line":
            return line(chart)
        return bars(chart, stacked=self.draw == "stacked")

    def kept(self) -> tuple[dict, dict[str, list[str]]]:
        """The panel as JSON, each figure's references replaced by whether it has any, and
        the references by cell ("column|row"), kept apart (reporting/kept.py)."""
        references: dict[str, list[str]] = {}
        columns = []
        for column in self.columns:
            cells = []
            for row, figure in zip(self.rows, column.cells, strict=True):
                found = figure.get("references", [])
                if found:
                    references[f"{column.key}|{row.key}"] = found
                cells.append({**figure, "references": [], "cases": bool(found)})
            columns.append(
                {
                    "key": column.key,
                    "name": column.name,
                    "cells": cells,
                    "rate": column.rate,
                    "heading": column.heading,
                }
            )
        data = {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "figures": [f.key for f in self.figures],
            "rows": [[r.key, r.label] for r in self.rows],
            "columns": columns,
            "draw": self.draw,
            "row_heading": self.row_heading,
            "unit": self.unit,
            "total": self.total.key if self.total else None,
            "drawn_if_none": self.drawn_if_none,
        }
        return data, references

    @classmethod
    def from_kept(cls, data: dict) -> Panel:
        """A panel from its JSON (Panel.kept); its cells say whether any case is behind them."""
        rows = [Row(key, label) for key, label in data["rows"]]
        total = next((r for r in rows if r.key == data["total"]), None)
        return cls(
            data["key"],
            data["title"],
            data["description"],
            tuple(FIGURE[k] for k in data["figures"]),
            rows,
            [Column(**c) for c in data["columns"]],
            data["draw"],
            row_heading=data["row_heading"],
            unit=data["unit"],
            total=total,
            drawn_if_none=data["drawn_if_none"],
        )

    def cell(self, column: str, row: str) -> dict | None:
        """The figure behind one number of the table, or None."""
        keys = [r.key for r in self.rows]
        for col in self.columns:
            if col.key == column and row in keys:
                return col.cells[keys.index(row)]
        return None


def month_name(label: str) -> str:
    """'2026-04' as 'Apr 2026'."""
    year, month = label.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def _short_month(label: str, first: bool) -> str:
    year, month = label.split("-")
    name = MONTHS[int(month) - 1]
    return f"{name}\n{year}" if first or month == "01" else name


def _share(numerator: dict, denominator: int) -> dict:
    n = numerator["value"]
    return {
        **numerator,
        "numerator": n,
        "denominator": denominator,
        "percent": rounded(percentage(n, denominator)),
    }


def received_by_area(scope: Scope, start: date, end: date) -> dict[str, dict]:
    """kpis.DASHBOARD "received_by_service_area": Pivotal's (a) split by service area."""
    received = ev.receipts(scope, start, end).annotate(
        area=Coalesce("case__service_area__name", Value(NOT_RECORDED))
    )
    counts = tally(received, None, split="area")
    return {area: found for (_, area), found in sorted(counts.items(), key=lambda k: k[0][1])}


def _months(scope: Scope, start: date, end: date) -> tuple[dict, dict]:
    """Pivotal's figures month by month, and the stage 1 responses sent in each month."""
    report = pivotal_kpis(scope, start, end, By.MONTH, keys=PIVOTAL_DRAWN)
    stage1 = tally(ev.responses(scope, start, end, stage=1), By.MONTH, per="event")
    return report, stage1


FIGURE = {f.key: f for f in (*kpis.PIVOTAL, *kpis.MMBM, *kpis.DASHBOARD)}
# The reports' figures the charts draw: only these are counted.
PIVOTAL_DRAWN = frozenset({"a_received", "b_resolved", "c_escalated_stage2"})
MMBM_DRAWN = frozenset({"causes", "outcomes", "on_time_by_stage", "compliments_by_service"})


def dashboard(scope: Scope, start: date, end: date, categories: dict[str, str]) -> list[Panel]:
    """Every chart of the dashboard for the period; `categories` names the category codes."""
    whole = Period("all", start, end)
    report, stage1 = _months(scope, start, end)
    months = report["periods"]
    month_rows = [Row(p["period"], month_name(p["period"])) for p in months]
    total_row = Row("all", "Whole period")
    everything = [*months, report["total"]]
    mmbm = mmbm_figures(scope, whole, keys=MMBM_DRAWN)
    panels = []

    def monthly(key: str) -> list[dict]:
        return [p["figures"][key] for p in everything]

    panels.append(
        Panel(
            "volumes",
            "Complaints received and resolved, by month",
            "A line for each: complaints received, complaints resolved, month by month. "
            "The table below gives the numbers.",
            (FIGURE["a_received"], FIGURE["b_resolved"]),
            [*month_rows, total_row],
            [
                Column("a_received", "Received", monthly("a_received")),
                Column("b_resolved", "Resolved", monthly("b_resolved")),
            ],
            "line",
            row_heading="Month",
            total=total_row,
        )
    )

    causes = mmbm["causes"]["by"]
    category_rows = [Row(code, categories.get(code, code)) for code in causes]
    panels.append(
        Panel(
            "categories",
            "Complaints received, by category",
            "A bar for each category with any complaint: how many complaints received in the "
            "period were about it. A complaint in two categories counts in each. Categories "
            "with none are in the table only.",
            (FIGURE["causes"],),
            category_rows,
            [Column("causes", "Complaints", [causes[r.key] for r in category_rows])],
            "bars",
            row_heading="Category",
            drawn_if_none=False,
        )
    )

    areas = received_by_area(scope, start, end)
    panels.append(
        Panel(
            "service-areas",
            "Complaints received, by service area",
            "A bar for each service area: how many complaints received in the period were "
            "about it.",
            (FIGURE["received_by_service_area"],),
            [Row(a, a[:1].upper() + a[1:]) for a in areas],
            [Column("received_by_service_area", "Complaints", list(areas.values()))],
            "bars",
            row_heading="Service area",
        )
    )

    own = mmbm["on_time_by_stage"]["by"]
    # CH02's figures carry the percentage as their value; here the value is the count on time.
    code = {
        stage: {**f, "value": f["numerator"], "percent": f["value"]}
        for stage, f in code_on_time_by_stage(scope, whole).items()
    }
    stages = sorted({*own, *code}, key=int)
    empty_share = {**EMPTY, "numerator": 0, "denominator": 0, "percent": None}
    panels.append(
        Panel(
            "timeliness",
            "Responses on time, by stage",
            "Two bars for each stage: the share of responses sent in the period that were on "
            "time by the policy's own due dates, and by the Housing Ombudsman Code's.",
            (FIGURE["on_time_by_stage"], FIGURE["code_on_time_by_stage"]),
            [Row(s, f"Stage {s} responses") for s in stages],
            [
                Column(
                    "on_time_by_stage",
                    "policy",
                    [own.get(s, empty_share) for s in stages],
                    rate=True,
                    heading="On time by the policy",
                ),
                Column(
                    "code_on_time_by_stage",
                    "Code",
                    [code.get(s, empty_share) for s in stages],
                    rate=True,
                    heading="On time by the Code",
                ),
            ],
            "bars",
            row_heading="Stage",
            unit="%",
        )
    )

    outcomes = mmbm["outcomes"]["by"]
    answered = sorted({k.split(" ")[1] for k in outcomes if k.startswith("stage ")}, key=int)
    rows = [Row(s, f"Stage {s} responses") for s in answered] + [
        Row("none", "Refused or withdrawn")
    ]
    columns = []
    for outcome in kpis.OUTCOMES:
        cells = [outcomes.get(f"stage {s} {outcome}", EMPTY) for s in answered] + [EMPTY]
        columns.append(Column(outcome, OUTCOME_NAMES[outcome], cells))
    for other in ("refused", "withdrawn"):
        cells = [EMPTY for _ in answered] + [outcomes.get(other, EMPTY)]
        columns.append(Column(other, OUTCOME_NAMES[other], cells))
    panels.append(
        Panel(
            "outcomes",
            "Outcomes",
            "A bar for each stage, split by the outcome of the responses sent in the period "
            "(upheld, partly upheld, not upheld), and a bar for the complaints refused or "
            "withdrawn in the period.",
            (FIGURE["outcomes"],),
            rows,
            columns,
            "stacked",
            row_heading="Responses",
        )
    )

    first = [cell(stage1, p["period"]) for p in months]
    all_first = sum(c["value"] for c in first)
    escalated = monthly("c_escalated_stage2")
    panels.append(
        Panel(
            "stage2-rate",
            "Stage 2 rate, by month",
            "A line: escalations to stage 2 accepted each month as a share of the stage 1 "
            "responses sent that month.",
            (FIGURE["stage2_rate"],),
            [*month_rows, total_row],
            [
                Column(
                    "stage2_rate",
                    "Stage 2 rate",
                    [
                        _share(e, d)
                        for e, d in zip(
                            escalated, [*(c["value"] for c in first), all_first], strict=True
                        )
                    ],
                    rate=True,
                )
            ],
            "line",
            row_heading="Month",
            unit="%",
            total=total_row,
        )
    )

    compliments = mmbm["compliments_by_service"]["by"]
    panels.append(
        Panel(
            "compliments",
            "Compliments, by service area",
            "A bar for each service area: how many compliments were received in the period.",
            (FIGURE["compliments_by_service"],),
            [Row(a, a[:1].upper() + a[1:]) for a in compliments],
            [Column("compliments_by_service", "Compliments", list(compliments.values()))],
            "bars",
            row_heading="Service area",
        )
    )
    return panels
