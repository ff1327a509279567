"""The board reports laid out for print and printed to PDF: the figures from the report code
(figures.py, mmbm.py, tsm.py), the charts and their tables from the dashboard's panels
(dashboard.py, drawn by charts.py), the lead's narrative sections, and the organisation's
header, printed through the letters' WeasyPrint base (letters/render.py: fonts, brand colour,
logo, page numbers, a tagged PDF).

Which figures the monthly sheet carries is decided by the organisation's active pack (`plan`):
MMBM's policy asks for no monthly figures, only its quarterly report to the Directors (§11), so
an MMBM organisation's sheet gives MMBM 11's figures for the month and the year to date; every
other pack gets Pivotal's 21.3 (a) to (i), which count events every pack records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fairhear.domain import kpis
from fairhear.domain.kpis import Period
from fairhear.domain.policy.schema import PolicyPack
from fairhear.letters.render import (
    brand_colour,
    css_string,
    logo_data_uri,
    organisation_lines,
    pdf_from_html,
)
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.board import (
    SECTIONS,
    TITLES,
    Kind,
    ReportPeriod,
    previous_quarter,
    year_before,
)
from fairhear.reporting.dashboard import OUTCOME_NAMES, Panel, dashboard
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import REFUSED_BY_REASON, pivotal_kpis
from fairhear.reporting.mmbm import mmbm_figures
from fairhear.reporting.narratives import paragraphs
from fairhear.reporting.tsm import tsm

NOT_WRITTEN = "This section has not been written."


@dataclass(frozen=True)
class Plan:
    """What an organisation's pack asks of the reports: whose figures the monthly sheet gives,
    who the quarterly report goes to, and the words that say so on the sheet."""

    monthly: str  # "pivotal" or "mmbm"
    audience: str
    monthly_note: str
    quarterly_cites: str


def plan(pack: PolicyPack | None) -> Plan:
    name = pack.name if pack else ""
    if name == "mmbm":
        return Plan(
            "mmbm",
            "the Directors",
            "MMBM's policy asks for no monthly figures: section 11 reports the number, causes "
            "and outcomes of complaints to the Directors each quarter. This sheet therefore "
            "gives MMBM 11's figures for the month and the financial year to date, in place of "
            "Pivotal's monthly indicators.",
            "MMBM section 11",
        )
    return Plan(
        "pivotal",
        "the Board",
        "Pivotal's key performance indicators, collected monthly (Pivotal 21.3 (a) to (i)), for "
        "the month and the financial year to date."
        if name == "pivotal"
        else "The policy sets no monthly indicators of its own: this sheet gives Pivotal's "
        "21.3 (a) to (i), counted the same way for every policy, for the month and the "
        "financial year to date.",
        "Pivotal 22.4 and 22.5" if name == "pivotal" else "the Housing Ombudsman Code 9.7",
    )


# ---------------------------------------------------------------------------------------------
# What the template draws: tables, charts with their tables, narrative sections, words
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    cells: list[str]
    note: str = ""
    sub: bool = False  # a part of the figure above (a reason, a category)


@dataclass
class Table:
    caption: str
    head: str
    columns: list[str]
    rows: list[Row]


@dataclass
class Chart:
    title: str
    when: str
    svg: SafeString
    table: Table
    counts: list[str]


@dataclass
class Part:
    """One numbered section of a report: words, tables, charts and narrative, in that order."""

    heading: str
    words: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    narrative: list[list[str]] | None = None  # paragraphs; None: not a narrative section
    not_written: bool = False


def share(figure: dict) -> str:
    """'2 of 4 (50.0%)'; '0 of 0' when there is nothing to divide by."""
    text = f"{figure['numerator']} of {figure['denominator']}"
    return text + (f" ({figure['percent']}%)" if figure.get("percent") is not None else "")


def _when(period: Period) -> str:
    return f"{period.start:%-d %B %Y} to {period.end:%-d %B %Y}"


def _stage(key: str) -> str:
    return "Local resolution" if key == "0" else f"Stage {key}"


def pivotal_table(caption: str, columns: list[tuple[str, dict]], reasons: dict[str, str]) -> Table:
    """Pivotal 21.3 (a) to (i), one column per period; refusals split by reason."""
    rows = []
    for figure in kpis.PIVOTAL:
        cells = [
            share(f[figure.key])
            if figure.measure is kpis.Measure.RATE
            else str(f[figure.key]["value"])
            for _, f in columns
        ]
        rows.append(Row(figure.name, cells, note=figure.cites))
        if figure.key == REFUSED_BY_REASON:
            codes = sorted({c for _, f in columns for c in f[figure.key]["by_reason"]})
            for code in codes:
                split = [
                    str(f[figure.key]["by_reason"].get(code, {"value": 0})["value"])
                    for _, f in columns
                ]
                rows.append(Row(f"{code}: {reasons.get(code, code)}", split, sub=True))
    return Table(caption, "Indicator", [c for c, _ in columns], rows)


def _parts(columns: list[tuple[str, dict]], key: str) -> list[str]:
    return sorted({p for _, f in columns for p in f[key]["by"]}, key=str)


def mmbm_table(caption: str, columns: list[tuple[str, dict]], categories: dict[str, str]) -> Table:
    """MMBM 11's figures, one column per period: number, causes, outcomes, stage reached,
    on time by stage, compliments, restrictions."""
    rows: list[Row] = []

    def value(f: dict, key: str, part: str | None = None) -> str:
        figure = f[key] if part is None else f[key]["by"].get(part)
        return "0" if figure is None else str(figure["value"])

    rows.append(Row("Complaints received", [value(f, "received") for _, f in columns], "MMBM 11"))
    rows.append(Row("Causes (by category)", ["" for _ in columns], "a complaint may have two"))
    for code in categories:
        rows.append(Row(categories[code], [value(f, "causes", code) for _, f in columns], sub=True))
    rows.append(Row("Outcomes of responses sent", ["" for _ in columns], "per response and stage"))
    order = {outcome: i for i, outcome in enumerate(kpis.OUTCOMES)}
    outcome_parts = sorted(
        (p for p in _parts(columns, "outcomes") if p.startswith("stage ")),
        key=lambda p: (int(p.split(" ")[1]), order.get(p.split(" ", 2)[2], len(order))),
    )
    for part in [*outcome_parts, "refused", "withdrawn"]:
        if part.startswith("stage "):
            _, stage, outcome = part.split(" ", 2)
            label = f"Stage {stage}: {OUTCOME_NAMES.get(outcome, outcome).lower()}"
        else:
            label = f"{OUTCOME_NAMES[part]} (complaints)"
        rows.append(Row(label, [value(f, "outcomes", part) for _, f in columns], sub=True))
    rows.append(Row("Stage reached by complaints closed", ["" for _ in columns]))
    for part in _parts(columns, "stage_reached"):
        rows.append(
            Row(_stage(part), [value(f, "stage_reached", part) for _, f in columns], sub=True)
        )
    rows.append(Row("Responses on time, by stage", ["" for _ in columns], "the policy's due dates"))
    for part in _parts(columns, "on_time_by_stage"):
        cells = []
        for _, f in columns:
            figure = f["on_time_by_stage"]["by"].get(part)
            cells.append(share(figure) if figure else "0 of 0")
        rows.append(Row(_stage(part), cells, sub=True))
    rows.append(Row("Compliments received, by service", ["" for _ in columns]))
    for part in _parts(columns, "compliments_by_service"):
        label = part[:1].upper() + part[1:]
        rows.append(
            Row(label, [value(f, "compliments_by_service", part) for _, f in columns], sub=True)
        )
    rows.append(
        Row(
            "People under restrictions on contact",
            [value(f, "restrictions_in_force") for _, f in columns],
            "in force at the period's end",
        )
    )
    rows.append(
        Row("Restriction reviews done", [value(f, "restriction_reviews") for _, f in columns])
    )
    return Table(caption, "Figure", [c for c, _ in columns], rows)


def tsm_table(report: dict) -> Table:
    rows = []
    for figure in kpis.TSM:
        cells = []
        for tenure in kpis.TENURES:
            f = report[tenure][figure.key]
            if figure.measure is kpis.Measure.PER_THOUSAND:
                shown = "none (no homes recorded)" if f["value"] is None else f["value"]
                cells.append(f"{shown} ({f['numerator']} in {f['denominator']:,} homes)")
            else:
                cells.append(share({**f, "percent": f["value"]}))
        rows.append(Row(figure.name, cells, note=figure.cites))
    return Table(
        f"Tenant Satisfaction Measures, financial year {report['year']}",
        "Measure",
        ["Low-cost rental (LCRA)", "Low-cost home ownership (LCHO)"],
        rows,
    )


def chart(panel: Panel, when: str) -> Chart:
    """A dashboard panel for print: the chart, then its table, then what it counts."""
    rows = []
    for i, row in enumerate(panel.rows):
        cells = [share(c.cells[i]) if c.rate else str(c.cells[i]["value"]) for c in panel.columns]
        rows.append(Row(row.label, cells))
    table = Table(
        f"{panel.title}: the numbers", panel.row_heading, [c.title for c in panel.columns], rows
    )
    # The chart renderer escapes every piece of text it writes (charts.py).
    svg = mark_safe(panel.svg())  # noqa: S308
    counts = [f"{f.name}: {f.counts} ({f.cites})" for f in panel.figures]
    return Chart(panel.title, when, svg, table, counts)


def charts(
    scope: Scope, period: Period, keys: tuple[str, ...], names: dict[str, str]
) -> list[Chart]:
    panels = {p.key: p for p in dashboard(scope, period.start, period.end, names)}
    return [chart(panels[k], _when(period)) for k in keys]


def narrative(kind: Kind, texts: dict[str, str]) -> list[Part]:
    return [
        Part(s.title, narrative=paragraphs(texts.get(s.key, "")), not_written=not texts.get(s.key))
        for s in SECTIONS[kind]
    ]


# ---------------------------------------------------------------------------------------------
# The three reports
# ---------------------------------------------------------------------------------------------


def _pack(scope: Scope) -> PolicyPack | None:
    version = scope.organisation.active_policy_version
    return policy_pack_for(version) if version else None


def _monthly(
    scope: Scope, report: ReportPeriod, pack: PolicyPack | None, labels: dict
) -> list[Part]:
    month, ytd = report.period, report.year_to_date
    chosen = plan(pack)
    columns = [(f"{month.start:%B %Y}", None), (f"Year to date (from {ytd.start:%-d %B %Y})", None)]
    parts = [Part("About this sheet", words=[chosen.monthly_note])]
    if chosen.monthly == "mmbm":
        figures = [mmbm_figures(scope, month), mmbm_figures(scope, ytd)]
        table = mmbm_table(
            "MMBM 11 figures",
            [(c, f) for (c, _), f in zip(columns, figures, strict=True)],
            labels["categories"],
        )
        keys = ("volumes", "categories", "outcomes")
    else:
        figures = [
            pivotal_kpis(scope, p.start, p.end, kpis.By.YEAR)["total"]["figures"]
            for p in (month, ytd)
        ]
        table = pivotal_table(
            "Pivotal 21.3 (a) to (i)",
            [(c, f) for (c, _), f in zip(columns, figures, strict=True)],
            labels["reasons"],
        )
        keys = ("volumes", "timeliness", "outcomes")
    parts.append(Part("The figures", tables=[table]))
    parts.append(
        Part("Charts: the year to date", charts=charts(scope, ytd, keys, labels["categories"]))
    )
    return [*parts, *narrative(Kind.MONTHLY, labels["texts"])]


def _quarterly(
    scope: Scope, report: ReportPeriod, pack: PolicyPack | None, labels: dict
) -> list[Part]:
    quarter = report.period
    chosen = plan(pack)
    compared = [quarter, previous_quarter(quarter), year_before(quarter)]
    heads = [
        f"{quarter.label} (this quarter)",
        f"{compared[1].label} (the quarter before)",
        f"{compared[2].label} (a year before)",
    ]
    figures = [mmbm_figures(scope, p) for p in compared]
    about = [
        f"The quarter's complaints and compliments for {chosen.audience} "
        f"({chosen.quarterly_cites}): "
        "the number, causes and outcomes of complaints, the stage each closed complaint reached, "
        "responses on time by stage, compliments by service, and restrictions on contact; beside "
        "the quarter before and the same quarter a year earlier, to show the trend.",
    ]
    table = mmbm_table(
        "The quarter's figures", list(zip(heads, figures, strict=True)), labels["categories"]
    )
    keys = ("volumes", "categories", "outcomes", "timeliness", "compliments")
    return [
        Part("About this report", words=about),
        Part("The figures", tables=[table]),
        Part("Charts: the quarter", charts=charts(scope, quarter, keys, labels["categories"])),
        *narrative(Kind.QUARTERLY, labels["texts"]),
    ]


def _annual(
    scope: Scope, report: ReportPeriod, pack: PolicyPack | None, labels: dict
) -> list[Part]:
    year = report.period
    before = year_before(year)
    quarters = kpis.periods(year.start, year.end, kpis.By.QUARTER)
    columns = [(f"{q.start:%b}–{q.end:%b %Y}", mmbm_figures(scope, q)) for q in quarters]
    columns.append((f"Year {year.label}", mmbm_figures(scope, year)))
    columns.append((f"Year {before.label} (before)", mmbm_figures(scope, before)))
    pivotal = pivotal_kpis(scope, year.start, year.end, kpis.By.YEAR)["total"]["figures"]
    pivotal_before = pivotal_kpis(scope, before.start, before.end, kpis.By.YEAR)["total"]["figures"]
    texts = labels["texts"]
    sections = {p.heading: p for p in narrative(Kind.ANNUAL, texts)}
    titles = {s.key: s.title for s in SECTIONS[Kind.ANNUAL]}
    refused = pivotal[REFUSED_BY_REASON]
    refusal_rows = [
        Row(f"{code}: {labels['reasons'].get(code, code)}", [str(f["value"])])
        for code, f in refused["by_reason"].items()
    ]
    refusal_rows.append(Row("All refusals", [share(pivotal["a_refused"])]))
    ombudsman = pivotal["i_ombudsman"]
    keys = (
        "volumes",
        "categories",
        "service-areas",
        "outcomes",
        "timeliness",
        "stage2-rate",
        "compliments",
    )
    return [
        Part(
            "About this report",
            words=[
                "The annual complaints performance and service-improvement report the Housing "
                "Ombudsman's Complaint Handling Code asks for (Code 8.1): the self-assessment "
                "against the Code, the year's performance in figures and in words, including the "
                "types of complaint refused, the Ombudsman's findings, and the service "
                "improvements made; with the governing body's response alongside (Code 8.2).",
                f"The financial year {year.label}: {_when(year)}.",
            ],
        ),
        sections[titles["self_assessment"]],
        Part(
            "Performance in figures",
            words=[
                "The four quarters side by side, the year, and the year before for the trend; "
                "then the Tenant Satisfaction Measures, measured against the Code's own "
                "timescales whatever the organisation's policy, and Pivotal's indicators for "
                "the year."
            ],
            tables=[
                mmbm_table(
                    "Complaints by quarter, the year and the year before",
                    columns,
                    labels["categories"],
                ),
                tsm_table(tsm(scope, year.start.year)),
                pivotal_table(
                    "Indicators for the year (Pivotal 21.3)",
                    [(f"Year {year.label}", pivotal), (f"Year {before.label}", pivotal_before)],
                    labels["reasons"],
                ),
            ],
        ),
        Part("Charts: the year", charts=charts(scope, year, keys, labels["categories"])),
        Part(
            "Complaints refused",
            words=[
                "The types of complaint not accepted in the year, by the policy's reason "
                "(Code 8.1: a summary of the types of complaints refused)."
            ],
            tables=[Table("Complaints refused, by reason", "Reason", ["Complaints"], refusal_rows)],
        ),
        sections[titles["trends"]],
        sections[titles["systemic_issues"]],
        Part(
            "The Housing Ombudsman",
            words=[
                f"Referrals to the Ombudsman recorded in the year: {ombudsman['value']} "
                f"(Pivotal 21.3 (i); the year before: {pivotal_before['i_ombudsman']['value']})."
            ],
        ),
        sections[titles["ombudsman"]],
        sections[titles["lessons_learned"]],
        sections[titles["governing_body_response"]],
    ]


BUILDERS = {Kind.MONTHLY: _monthly, Kind.QUARTERLY: _quarterly, Kind.ANNUAL: _annual}


def board_report(scope: Scope, report: ReportPeriod, texts: dict[str, str], today: date) -> dict:
    """Everything the PDF template draws for the report."""
    pack = _pack(scope)
    labels = {
        "categories": {c.code: c.label for c in pack.categories} if pack else {},
        "reasons": {r.code: r.label for r in pack.refusal_reasons} if pack else {},
        "texts": texts,
    }
    org = scope.organisation
    title = TITLES[report.kind]
    return {
        "organisation": org,
        "org_lines": organisation_lines(org),
        "logo": logo_data_uri(org),
        "brand_colour": brand_colour(org),
        "title": title,
        "when": report.words,
        "today": f"{today:%-d %B %Y}",
        "area": scope.service_area,
        "parts": BUILDERS[report.kind](scope, report, pack, labels),
        "css_footer": css_string(f"{org.name} · {title}, {report.key}"),
        "not_written": NOT_WRITTEN,
    }


def board_html(scope: Scope, report: ReportPeriod, texts: dict[str, str], today: date) -> str:
    return render_to_string("reporting/pdf/board.html", board_report(scope, report, texts, today))


def board_pdf(scope: Scope, report: ReportPeriod, texts: dict[str, str], today: date) -> bytes:
    """The report as a tagged PDF."""
    return pdf_from_html(board_html(scope, report, texts, today))
