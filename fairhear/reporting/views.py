"""The lead officer's Reports page: Pivotal's 21.3 figures for a chosen period as a table, each
number linking to the cases behind it, which the colleague may also download as CSV. Every
figure counts only the cases the colleague may see (cases.selectors.case_list_visible_to)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.accounts.selectors import service_area_list
from fairhear.cases.export import case_csv_lines
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain import kpis
from fairhear.domain.kpis import By, Measure
from fairhear.domain.policy.schema import Capability
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import REFUSED_BY_REASON, pivotal_kpis
from fairhear.reporting.forms import ReportPeriodForm, default_period

FIGURES = {f.key: f for f in kpis.PIVOTAL}


def _lead(request: HttpRequest) -> User:
    user = request.user
    if not user.organisation_id or not user.can(Capability.LEAD):
        raise PermissionDenied("Only the lead officer can see the reports.")
    return user


def _form(request: HttpRequest, user: User) -> ReportPeriodForm:
    organisation = user.organisation
    pack = policy_pack_for(organisation.active_policy_version)
    data = request.GET if "start" in request.GET else default_period(timezone.localdate())
    return ReportPeriodForm(
        data,
        areas=list(service_area_list(organisation=organisation).values_list("name", flat=True)),
        categories=[(c.code, c.label) for c in pack.categories],
    )


def _report(user: User, form: ReportPeriodForm) -> dict:
    data = form.cleaned_data
    scope = Scope(
        user.organisation,
        service_area=data["service_area"] or None,
        category=data["category"] or None,
        cases=case_list_visible_to(user=user),
    )
    return pivotal_kpis(scope, data["start"], data["end"], By(data["by"]))


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
    context: dict = {"form": form}
    if form.is_valid():
        report = _report(user, form)
        context |= {
            "report": report,
            "periods": [*report["periods"], report["total"]],
            "rows": _rows(form, report),
            "definitions": kpis.PIVOTAL,
        }
    return render(request, "reporting/pages/reports.html", context)


def figure_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the Reports page, or their CSV (?export=csv)."""
    user = _lead(request)
    form = _form(request, user)
    key, label, part = (request.GET.get(k, "") for k in ("figure", "period", "part"))
    if key not in FIGURES or not form.is_valid():
        raise Http404("No such figure.")
    report = _report(user, form)
    period = next((p for p in [*report["periods"], report["total"]] if p["period"] == label), None)
    if period is None:
        raise Http404("No such period in the report.")
    figure = period["figures"][key]
    if part:
        figure = figure["by_reason"].get(part, {"references": []})
    cases = (
        case_list_visible_to(user=user)
        .filter(reference__in=figure["references"])
        .select_related("service_area")
        .order_by("reference")
    )
    if request.GET.get("export") == "csv":
        response = StreamingHttpResponse(case_csv_lines(cases), content_type="text/csv")
        name = f"fairhear-{key}-{label}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "reporting/pages/figure_cases.html",
        {
            "definition": FIGURES[key],
            "part": part,
            "period": period,
            "cases": cases,
            "back": reverse("reporting:reports") + "?" + _query(form),
            "csv": request.get_full_path() + "&export=csv",
        },
    )
