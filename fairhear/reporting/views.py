"""The lead officer's Reports page: Pivotal's 21.3 figures for a chosen period as a table, each
number linking to the cases behind it, which the colleague may also download as CSV; and the
dashboard: the same figures as charts, each followed by its table, every number a link to its
cases. Every figure counts only the cases the colleague may see
(cases.selectors.case_list_visible_to)."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from fairhear.accounts.models import User
from fairhear.accounts.selectors import service_area_list
from fairhear.cases.case_list import page_links
from fairhear.cases.export import case_csv_lines
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain import kpis
from fairhear.domain.kpis import By, Measure
from fairhear.domain.policy.schema import Capability
from fairhear.reporting.cqc import organisation_names_cqc
from fairhear.reporting.dashboard import Panel
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import REFUSED_BY_REASON, counted_with, pivotal_kpis
from fairhear.reporting.forms import (
    DashboardForm,
    ReportPeriodForm,
    default_period,
    last_twelve_months,
)
from fairhear.reporting.kept import Kept, dashboard_kept, organisation_categories

FIGURES = {f.key: f for f in kpis.PIVOTAL}


def _lead(request: HttpRequest) -> User:
    user = request.user
    if not user.organisation_id or not user.can(Capability.LEAD):
        raise PermissionDenied("Only the lead officer can see the reports.")
    return user


def _categories(user: User) -> list[tuple[str, str]]:
    return organisation_categories(user.organisation)


def _form(
    request: HttpRequest, user: User, form_class: type = ReportPeriodForm
) -> ReportPeriodForm:
    organisation = user.organisation
    if "start" in request.GET:
        data = request.GET
    elif form_class is DashboardForm:
        data = last_twelve_months(timezone.localdate())
    else:
        data = default_period(timezone.localdate())
    return form_class(
        data,
        areas=list(service_area_list(organisation=organisation).values_list("name", flat=True)),
        categories=_categories(user),
    )


def _scope(user: User, form: ReportPeriodForm) -> Scope:
    data = form.cleaned_data
    return Scope(
        user.organisation,
        service_area=data["service_area"] or None,
        category=data["category"] or None,
        cases=case_list_visible_to(user=user),
    )


def _report(user: User, form: ReportPeriodForm) -> dict:
    data = form.cleaned_data
    return pivotal_kpis(_scope(user, form), data["start"], data["end"], By(data["by"]))


def _query(form: ReportPeriodForm, **more: str) -> str:
    query = QueryDict(mutable=True)
    for name in ("start", "end", "by", "service_area", "category"):
        value = form.cleaned_data.get(name)
        if value:
            query[name] = value.isoformat() if hasattr(value, "isoformat") else value
    query.update(more)
    return query.urlencode()


def _cell(form: ReportPeriodForm, key: str, period: dict, figure: dict, part: str = "") -> dict:
    href = (
        reverse("reporting:cases")
        + "?"
        + _query(form, figure=key, period=period["period"], **({"part": part} if part else {}))
    )
    return {"figure": figure, "href": href if figure["references"] else "", "period": period}


def _rows(form: ReportPeriodForm, report: dict) -> list[dict]:
    """One row per figure (and per refusal reason), one cell per period, then the total."""
    periods = [*report["periods"], report["total"]]
    rows = []
    for key, figure in FIGURES.items():
        cells = [_cell(form, key, p, p["figures"][key]) for p in periods]
        rows.append({"figure": figure, "rate": figure.measure is Measure.RATE, "cells": cells})
        if key == REFUSED_BY_REASON:
            codes = sorted({c for p in periods for c in p["figures"][key]["by_reason"]})
            empty = {"value": 0, "references": []}
            for code in codes:
                parts = [
                    _cell(form, key, p, p["figures"][key]["by_reason"].get(code, empty), code)
                    for p in periods
                ]
                rows.append({"figure": figure, "part": code, "rate": False, "cells": parts})
    return rows


def report_page(request: HttpRequest) -> HttpResponse:
    """Pivotal's KPIs for the period chosen (this year so far, by month, to start with)."""
    user = _lead(request)
    form = _form(request, user)
    context: dict = {"form": form, "names_cqc": organisation_names_cqc(user.organisation)}
    if form.is_valid():
        report = _report(user, form)
        context |= {
            "report": report,
            "periods": [*report["periods"], report["total"]],
            "rows": _rows(form, report),
            "definitions": kpis.PIVOTAL,
        }
    return render(request, "reporting/pages/reports.html", context)


# The cases behind a number are listed this many a page (a number may stand for thousands).
CASES_PAGE = 50
# A CSV of the cases behind a number reads them this many at a time.
CSV_CHUNK = 1000


def _visible(user: User, references: list[str]) -> QuerySet[Case]:
    return (
        case_list_visible_to(user=user)
        .filter(reference__in=references)
        .select_related("service_area")
        .order_by("reference")
    )


def _listed(request: HttpRequest, user: User, references: list[str]) -> dict:
    """One page of the cases behind a number, in reference order: only that page's cases are
    read, each through the access rules again; the pagination, and the CSV link."""
    page = Paginator(sorted(set(references)), CASES_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    base = request.path + "?" + query.urlencode()

    def href(number: int) -> str:
        return f"{base}&page={number}"

    return {
        "cases": list(_visible(user, list(page.object_list))),
        "count": page.paginator.count,
        "page": page,
        "pages": page_links(page, href),
        "previous_href": href(page.number - 1) if page.has_previous() else "",
        "next_href": href(page.number + 1) if page.has_next() else "",
        "csv": base + "&export=csv",
    }


def _csv(user: User, references: list[str], name: str) -> StreamingHttpResponse:
    """Every case behind a number as CSV, read a thousand at a time (the header once)."""
    ordered = sorted(set(references))

    def lines() -> Iterator[str]:
        for start in range(0, max(len(ordered), 1), CSV_CHUNK):
            chunk = case_csv_lines(_visible(user, ordered[start : start + CSV_CHUNK]))
            if start:
                next(chunk)  # the header, already written
            yield from chunk

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _one_figure(user: User, form: ReportPeriodForm, key: str, label: str) -> dict | None:
    """One period of the report with only the figure `key` counted (and what its rate or its
    split is made from): a month of the report is that month's own report, the whole period
    the report split by year (its total is the same whatever the split). None: no such
    period."""
    data = form.cleaned_data
    keys = counted_with(key)
    scope = _scope(user, form)
    if label == "all":
        return pivotal_kpis(scope, data["start"], data["end"], By.YEAR, keys)["total"]
    by = By(data["by"])
    periods = kpis.periods(data["start"], data["end"], by)
    period = next((p for p in periods if p.label == label), None)
    if period is None:
        return None
    return pivotal_kpis(scope, period.start, period.end, by, keys)["periods"][0]


def figure_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the Reports page, or their CSV (?export=csv)."""
    user = _lead(request)
    form = _form(request, user)
    key, label, part = (request.GET.get(k, "") for k in ("figure", "period", "part"))
    if key not in FIGURES or not form.is_valid():
        raise Http404("No such figure.")
    period = _one_figure(user, form, key, label)
    if period is None:
        raise Http404("No such period in the report.")
    figure = period["figures"][key]
    if part:
        figure = figure["by_reason"].get(part, {"references": []})
    if request.GET.get("export") == "csv":
        return _csv(user, figure["references"], f"fairhear-{key}-{label}.csv")
    definition = FIGURES[key]
    when = (
        f"{period['from']} to {period['to']}"
        if period["period"] == "all"
        else f"{period['period']} ({period['from']} to {period['to']})"
    )
    return render(
        request,
        "reporting/pages/figure_cases.html",
        {
            "caption": f"{definition.cites}, {when}",
            "heading": definition.name + (f": reason {part}" if part else ""),
            "definitions": [definition],
            **_listed(request, user, figure["references"]),
            "back": reverse("reporting:reports") + "?" + _query(form),
            "back_label": "Back to the reports",
        },
    )


def _kept(request: HttpRequest, user: User, form: DashboardForm) -> Kept:
    """The dashboard's figures for the choice, kept or counted now (kept.py)."""
    data = form.cleaned_data
    return dashboard_kept(
        viewer=user,
        start=data["start"],
        end=data["end"],
        service_area=data["service_area"] or "",
        category=data["category"] or "",
        latest="start" not in request.GET,
    )


def _table(form: DashboardForm, panel: Panel) -> list[dict]:
    """A chart's table: one row per row of the chart, one cell per series, each number that
    is not 0 a link to the cases behind it."""
    out = []
    for i, row in enumerate(panel.rows):
        cells = []
        for column in panel.columns:
            figure = column.cells[i]
            query = _query(form, chart=panel.key, column=column.key, row=row.key)
            href = reverse("reporting:dashboard_cases") + "?" + query
            cells.append(
                {"figure": figure, "column": column, "href": href if figure["cases"] else ""}
            )
        out.append({"row": row, "cells": cells, "total": row == panel.total})
    return out


def _period_words(user: User, form: DashboardForm) -> str:
    """'1 July 2025 to 15 June 2026, Housing, Repairs and maintenance'."""
    data = form.cleaned_data
    words = [f"{data['start']:%-d %B %Y} to {data['end']:%-d %B %Y}"]
    if data["service_area"]:
        words.append(data["service_area"])
    if data["category"]:
        words.append(dict(_categories(user)).get(data["category"], data["category"]))
    return ", ".join(words)


def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The dashboard for the period chosen (the last 12 months to start with)."""
    user = _lead(request)
    form = _form(request, user, DashboardForm)
    context: dict = {"form": form}
    if form.is_valid():
        kept = _kept(request, user, form)
        context["kept"] = kept
        context["panels"] = [
            # The chart renderer escapes every piece of text it writes (charts.py).
            {"panel": p, "svg": mark_safe(p.svg()), "table": _table(form, p)}  # noqa: S308
            for p in kept.panels or []
        ]
        context["period"] = _period_words(user, form)
    return render(request, "reporting/pages/dashboard.html", context)


def dashboard_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the dashboard, or their CSV (?export=csv)."""
    user = _lead(request)
    form = _form(request, user, DashboardForm)
    if not form.is_valid():
        raise Http404("No such period.")
    key, column, row = (request.GET.get(k, "") for k in ("chart", "column", "row"))
    kept = _kept(request, user, form)
    panel = next((p for p in kept.panels or [] if p.key == key), None)
    figure = panel.cell(column, row) if panel else None
    if figure is None:
        raise Http404("No such number on the dashboard.")
    references = kept.references(key, column, row)
    if request.GET.get("export") == "csv":
        return _csv(user, references, f"fairhear-{key}-{column}-{row}.csv")
    series = next(c for c in panel.columns if c.key == column)
    label = next(r for r in panel.rows if r.key == row)
    definitions = [f for f in panel.figures if f.key == column] or list(panel.figures)
    return render(
        request,
        "reporting/pages/figure_cases.html",
        {
            "caption": f"{panel.title}, {_period_words(user, form)}",
            "heading": f"{label.label}: {series.title[:1].lower()}{series.title[1:]}",
            "definitions": definitions,
            **_listed(request, user, references),
            "back": reverse("reporting:dashboard") + "?" + _query(form),
            "back_label": "Back to the dashboard",
        },
    )
