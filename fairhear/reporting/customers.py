"""The annual report to customers (Pivotal 21.4: "We will report the above statistics annually
to our customers"; 21.1: "We will report to our customers ... on wider learning and
improvements following complaints"): Pivotal's 21.3 (a) to (i) for one financial year (1 April
to 31 March, as the TSM and the Code's annual report use), in plain words and in a table, a
few of the dashboard's charts each with its table, and the sections the lead writes.

The lead prepares it from figures counted now (`customer_report_draft`), then publishes it
(`customer_report_publish`): the figures, the charts' numbers, the words and the lead's
sections are stored as they are (a snapshot, CustomerReport), and the public page and its PDF
are drawn from that snapshot only, so what was published never changes when later events
arrive. Publishing again stores a new version; the earlier ones stay on record.

Nothing identifying is stored: the figures' case references are dropped before the snapshot is
taken (`strip_references`), and a section that mentions a case reference is refused. Small
numbers are shown as they are (docs/reports.md, "The annual report to customers").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from fairhear.accounts.audit import admin_change_record
from fairhear.accounts.models import Organisation, User
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain import kpis
from fairhear.domain.kpis import By
from fairhear.domain.references import REFERENCE_PATTERN
from fairhear.letters.render import (
    brand_colour,
    css_string,
    logo_data_uri,
    organisation_lines,
    pdf_from_html,
)
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.board import Kind, ReportPeriod, Section, read_period
from fairhear.reporting.board_pdf import NOT_WRITTEN, Part, chart, pivotal_table
from fairhear.reporting.dashboard import Column, Panel, Row, dashboard
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import pivotal_kpis
from fairhear.reporting.models import CustomerReport
from fairhear.reporting.narratives import narrative_texts_for, narrative_texts_save, paragraphs

KIND = "customers"  # ReportNarrative.kind of this report's sections
TITLE = "Our complaints year: annual report to customers"
SNAPSHOT_FORMAT = 1
# The dashboard's charts a customer is shown: how many, about what, how quickly, what we
# decided, and the compliments.
CHARTS = ("volumes", "categories", "timeliness", "outcomes", "compliments")

LEARNED = Section(
    "learned",
    "What we learned from complaints",
    "What complaints told us about our services this year, in words a customer will follow "
    "(Pivotal 21.1). Do not name or describe anyone, and give no case reference.",
)
CHANGED = Section(
    "changed",
    "What we changed because of complaints",
    "The improvements made because of complaints (Pivotal 21.1 and 22.1; Code 8.1).",
)
NEXT = Section(
    "next_year",
    "What we will do next",
    "Optional: what we will work on in the coming year.",
)
SECTIONS: tuple[Section, ...] = (LEARNED, CHANGED, NEXT)
REQUIRED = (LEARNED.key, CHANGED.key)


class NotReady(ValueError):
    """Why the report cannot be published yet, in plain words; nothing was stored."""


# ---------------------------------------------------------------------------------------------
# The year
# ---------------------------------------------------------------------------------------------


def customer_year(text: str, today: date) -> ReportPeriod:
    """`text` ("2026") read as the financial year from 1 April; BadPeriod, in plain words, when
    it cannot be read or has not begun (read_period, as the board's annual report)."""
    return read_period(Kind.ANNUAL, text, today)


def year_ended(report: ReportPeriod, today: date) -> bool:
    return report.period.end < today


def year_label(year: int) -> str:
    return kpis.financial_year(year).label


# ---------------------------------------------------------------------------------------------
# The figures, as stored
# ---------------------------------------------------------------------------------------------


def strip_references(value: object) -> object:
    """`value` without the case references behind each figure: the snapshot is public."""
    if isinstance(value, dict):
        return {k: strip_references(v) for k, v in value.items() if k != "references"}
    if isinstance(value, list):
        return [strip_references(v) for v in value]
    return value


def _panel_data(panel: Panel) -> dict:
    """A dashboard panel as stored: everything its chart and table are drawn from, with the
    definitions' words as they were, and no references."""
    return {
        "key": panel.key,
        "title": panel.title,
        "description": panel.description,
        "figures": [
            {"key": f.key, "name": f.name, "counts": f.counts, "cites": f.cites}
            for f in panel.figures
        ],
        "rows": [{"key": r.key, "label": r.label} for r in panel.rows],
        "columns": [
            {
                "key": c.key,
                "name": c.name,
                "cells": strip_references(c.cells),
                "rate": c.rate,
                "heading": c.heading,
            }
            for c in panel.columns
        ],
        "draw": panel.draw,
        "row_heading": panel.row_heading,
        "unit": panel.unit,
        "total": panel.total.key if panel.total else None,
        "drawn_if_none": panel.drawn_if_none,
    }


def _panel(data: dict) -> Panel:
    rows = [Row(r["key"], r["label"]) for r in data["rows"]]
    return Panel(
        key=data["key"],
        title=data["title"],
        description=data["description"],
        figures=tuple(
            kpis.Figure(f["key"], f["name"], f["counts"], f["cites"]) for f in data["figures"]
        ),
        rows=rows,
        columns=[
            Column(c["key"], c["name"], c["cells"], rate=c["rate"], heading=c["heading"])
            for c in data["columns"]
        ],
        draw=data["draw"],
        row_heading=data["row_heading"],
        unit=data["unit"],
        total=next((r for r in rows if r.key == data["total"]), None),
        drawn_if_none=data["drawn_if_none"],
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _pct(figure: dict) -> str:
    """' (66.7%)'; nothing when there is nothing to divide by."""
    return f" ({figure['percent']}%)" if figure.get("percent") is not None else ""


def statements(f: dict) -> list[dict[str, str]]:
    """Pivotal 21.3 (a) to (i) in plain words, each with where it comes from."""
    refused, on_time = f["a_refused"], f["e_within_timeframes"]
    good, satisfied = f["g_good_reason"], f["h_satisfied"]
    stage2 = _count(f["d_resolved_stage2"]["value"], "stage 2 response", "stage 2 responses")
    return [
        {
            "text": f"We received {_count(f['a_received']['value'], 'complaint', 'complaints')}. "
            f"We did not accept {refused['numerator']} of them{_pct(refused)} as complaints "
            "under our policy.",
            "cites": "Pivotal 21.3 (a)",
        },
        {
            "text": f"We resolved {_count(f['b_resolved']['value'], 'complaint', 'complaints')}.",
            "cites": "Pivotal 21.3 (b)",
        },
        {
            "text": f"{_count(f['c_escalated_stage2']['value'], 'complaint', 'complaints')} "
            "went on to stage 2, where we look at a complaint again when the resident asks us "
            f"to. We sent {stage2}.",
            "cites": "Pivotal 21.3 (c) and (d)",
        },
        {
            "text": f"We sent {on_time['numerator']} of our {on_time['denominator']} "
            f"responses{_pct(on_time)} within the timescales our policy sets.",
            "cites": "Pivotal 21.3 (e)",
        },
        {
            "text": "When we needed more time to answer, we told the resident before the "
            f"original date in {_count(f['f_extended_informed']['value'], 'case', 'cases')}. "
            f"There was a good reason for the extra time in {good['numerator']} of "
            f"them{_pct(good)}.",
            "cites": "Pivotal 21.3 (f) and (g)",
        },
        {
            "text": f"{satisfied['numerator']} of the {satisfied['denominator']} complaints we "
            f"resolved{_pct(satisfied)} were resolved to the complainant's satisfaction.",
            "cites": "Pivotal 21.3 (h)",
        },
        {
            "text": f"{_count(f['i_ombudsman']['value'], 'complaint was', 'complaints were')} "
            "referred to the Housing Ombudsman.",
            "cites": "Pivotal 21.3 (i)",
        },
    ]


def _scope(user: User) -> Scope:
    """The cases the lead may see, as the board reports count them."""
    return Scope(user.organisation, cases=case_list_visible_to(user=user))


def customer_figures(*, user: User, year: int) -> dict:
    """The year's figures counted now from the cases `user` may see, without references."""
    fy = kpis.financial_year(year)
    scope = _scope(user)
    version = user.organisation.active_policy_version
    pack = policy_pack_for(version) if version else None
    categories = {c.code: c.label for c in pack.categories} if pack else {}
    reasons = {r.code: r.label for r in pack.refusal_reasons} if pack else {}
    figures = strip_references(pivotal_kpis(scope, fy.start, fy.end, By.YEAR)["total"]["figures"])
    panels = {p.key: p for p in dashboard(scope, fy.start, fy.end, categories)}
    return {
        "format": SNAPSHOT_FORMAT,
        "year": year,
        "label": fy.label,
        "from": fy.start.isoformat(),
        "to": fy.end.isoformat(),
        "figures": figures,
        "reasons": {
            code: reasons.get(code, code) for code in figures["a_refused_by_reason"]["by_reason"]
        },
        "statements": statements(figures),
        "panels": [_panel_data(panels[k]) for k in CHARTS],
    }


def customer_texts(*, organisation: Organisation, year: int) -> dict[str, str]:
    """The lead's sections for the year as last saved ("" when not written)."""
    return narrative_texts_for(
        organisation=organisation, kind=KIND, period=str(year), sections=SECTIONS
    )


def customer_texts_save(
    *, organisation: Organisation, actor: User, year: int, texts: dict[str, str]
) -> list[str]:
    """Save the lead's sections; the keys of those that changed (narratives.py)."""
    return narrative_texts_save(
        organisation=organisation,
        actor=actor,
        kind=KIND,
        period=str(year),
        sections=SECTIONS,
        title=f"annual report to customers for {year_label(year)}",
        texts=texts,
    )


def customer_report_draft(*, user: User, year: int) -> dict:
    """What would be published now: the figures counted now and the sections as saved."""
    texts = customer_texts(organisation=user.organisation, year=year)
    return {
        **customer_figures(user=user, year=year),
        "sections": [{"key": s.key, "title": s.title, "text": texts[s.key]} for s in SECTIONS],
    }


def problems(snapshot: dict) -> list[str]:
    """Why a draft cannot be published, in plain words (none: it can)."""
    out = []
    texts = {s["key"]: s for s in snapshot["sections"]}
    for key in REQUIRED:
        if not texts[key]["text"]:
            out.append(
                f"Write the section '{texts[key]['title']}' before publishing: the report "
                "tells customers what complaints taught us and what changed (Pivotal 21.1)."
            )
    for section in snapshot["sections"]:
        found = REFERENCE_PATTERN.search(section["text"])
        if found:
            out.append(
                f"The section '{section['title']}' gives the case reference {found.group(0)}; "
                "take it out: the public report never points to a case."
            )
    return out


# ---------------------------------------------------------------------------------------------
# Publishing, and what has been published
# ---------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def customer_report_publish(
    *, user: User, year: int, today: date, correction: str = ""
) -> CustomerReport:
    """Store the year's report as it is now, as the next version, and record who published it
    in the change log. NotReady, with nothing stored, when the year has not ended, a required
    section is missing or a section gives a case reference, or a later version does not say
    what it corrects."""
    organisation = Organisation.objects.select_for_update().get(pk=user.organisation_id)
    fy = kpis.financial_year(year)
    if fy.end >= today:
        raise NotReady(
            f"The financial year {fy.label} ends on {fy.end:%-d %B %Y}; publish its report "
            "after that, when the year's figures are complete."
        )
    snapshot = customer_report_draft(user=user, year=year)
    found = problems(snapshot)
    last = (
        CustomerReport.objects.filter(organisation=organisation, year=year).aggregate(
            n=Max("version")
        )["n"]
        or 0
    )
    correction = correction.strip()
    if last and not correction:
        found.append(
            f"Say what this version corrects: version {last} is already published, and "
            "customers are told why it changed."
        )
    if found:
        raise NotReady(" ".join(found))
    report = CustomerReport.objects.create(
        organisation=organisation,
        year=year,
        version=last + 1,
        snapshot=snapshot,
        correction=correction if last else "",
        published_at=timezone.now(),
        published_by=user,
    )
    admin_change_record(
        organisation=organisation,
        actor=user,
        what="report.customers.publish",
        summary=f"Published version {report.version} of the annual report to customers for "
        f"{fy.label}",
        after={"year": year, "version": report.version, "correction": report.correction},
    )
    return report


def customer_reports_published(*, organisation: Organisation) -> list[CustomerReport]:
    """The latest version of each year published, newest year first."""
    latest: dict[int, CustomerReport] = {}
    for report in CustomerReport.objects.filter(organisation=organisation).order_by(
        "year", "version"
    ):
        latest[report.year] = report
    return [latest[y] for y in sorted(latest, reverse=True)]


def customer_report_versions(*, organisation: Organisation, year: int) -> QuerySet:
    """Every version published for the year, newest first."""
    return CustomerReport.objects.filter(organisation=organisation, year=year).order_by("-version")


def customer_report_latest(*, organisation: Organisation, year: int) -> CustomerReport:
    """The version the public sees; CustomerReport.DoesNotExist when none is published."""
    found = customer_report_versions(organisation=organisation, year=year).first()
    if found is None:
        raise CustomerReport.DoesNotExist(f"No report to customers published for {year}.")
    return found


def organisation_with_customer_reports(*, slug: str) -> Organisation:
    """The organisation at this public address if it has published any report to customers;
    Organisation.DoesNotExist otherwise."""
    return (
        Organisation.objects.filter(customer_reports__isnull=False).distinct().get(slug=slug[:50])
    )


def customer_report_latest_year(*, organisation: Organisation) -> int | None:
    """The latest year with a published report (the public form's "How we did" link)."""
    return CustomerReport.objects.filter(organisation=organisation).aggregate(y=Max("year"))["y"]


# ---------------------------------------------------------------------------------------------
# Drawing the snapshot: the public page and the PDF draw the same parts
# ---------------------------------------------------------------------------------------------


def _when(snapshot: dict) -> str:
    start, end = date.fromisoformat(snapshot["from"]), date.fromisoformat(snapshot["to"])
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def parts(snapshot: dict) -> list[Part]:
    """The report's sections in order; a section the lead left empty is left out."""
    when = _when(snapshot)
    figures = snapshot["figures"]
    texts = {s["key"]: s for s in snapshot["sections"]}

    def written(key: str) -> list[Part]:
        section = texts.get(key)
        if not section or not section["text"]:
            return []
        return [Part(section["title"], narrative=paragraphs(section["text"]))]

    return [
        Part(
            "About this report",
            words=[
                f"Every year we report to our customers how we handled complaints (Pivotal "
                f"21.1 and 21.4). This report covers our financial year {snapshot['label']}: "
                f"{when}.",
                "The numbers count complaints, never people: no one is named, and no case can "
                "be picked out from them.",
            ],
        ),
        Part(
            "The year in numbers",
            words=[s["text"] for s in snapshot["statements"]],
            tables=[
                pivotal_table(
                    "Our indicators for the year (Pivotal 21.3 (a) to (i))",
                    [(f"Year {snapshot['label']}", figures)],
                    snapshot["reasons"],
                )
            ],
        ),
        *written(LEARNED.key),
        *written(CHANGED.key),
        Part("Charts", charts=[chart(_panel(p), when) for p in snapshot["panels"]]),
        *written(NEXT.key),
    ]


@dataclass(frozen=True)
class Shown:
    """One version as a page or PDF shows it."""

    report: CustomerReport
    title: str
    when: str
    published: str
    parts: list[Part]


def shown(report: CustomerReport) -> Shown:
    snapshot = report.snapshot
    published = timezone.localtime(report.published_at)
    return Shown(report, TITLE, _when(snapshot), f"{published:%-d %B %Y}", parts(snapshot))


def customer_report_pdf(report: CustomerReport) -> bytes:
    """The published version as a tagged PDF, through the board reports' template and CSS."""
    org = report.organisation
    view = shown(report)
    version = f", version {report.version}" if report.version > 1 else ""
    html = render_to_string(
        "reporting/pdf/board.html",
        {
            "organisation": org,
            "org_lines": organisation_lines(org),
            "logo": logo_data_uri(org),
            "brand_colour": brand_colour(org),
            "title": view.title,
            "when": view.when + version,
            "today": view.published,
            "printed": f"Published on {view.published}, with the figures as they stood that day.",
            "area": None,
            "parts": view.parts,
            "css_footer": css_string(f"{org.name} · {TITLE}, {report.snapshot['label']}"),
            "not_written": NOT_WRITTEN,
        },
    )
    return pdf_from_html(html)
