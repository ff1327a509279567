"""The lead officer's board reports: choose a report and its period, write its narrative
sections, and download it as a PDF. Like the Reports page, only the lead may open them, and the
figures count only the cases the lead may see (cases.selectors.case_list_visible_to)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhear.cases.selectors import case_list_visible_to
from fairhear.reporting.board import SECTIONS, TITLES, Kind, ReportPeriod, latest
from fairhear.reporting.board_pdf import board_pdf
from fairhear.reporting.events import Scope
from fairhear.reporting.forms import BoardPeriodForm, NarrativeForm
from fairhear.reporting.narratives import NarrativeTooLong, narrative_for, narrative_save
from fairhear.reporting.views import _lead

ABOUT = {
    Kind.MONTHLY: "One month's key performance indicators with the financial year to date.",
    Kind.QUARTERLY: "One calendar quarter for the board or the directors, beside the quarter "
    "before and the same quarter a year earlier.",
    Kind.ANNUAL: "The Housing Ombudsman Code's annual report for one financial year (1 April "
    "to 31 March), with the self-assessment and the governing body's response.",
}


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise Http404("No such report.") from None


def _choosers(request: HttpRequest, bound: BoardPeriodForm | None = None) -> list[dict]:
    today = timezone.localdate()
    out = []
    for kind in Kind:
        form = bound if bound is not None and bound.kind is kind else None
        if form is None:
            form = BoardPeriodForm(initial={"period": latest(kind, today)}, kind=kind, today=today)
        out.append({"kind": kind, "title": TITLES[kind], "about": ABOUT[kind], "form": form})
    return out


def board_reports(request: HttpRequest) -> HttpResponse:
    """The three board reports, each with its period to choose (the last whole one to start
    with)."""
    _lead(request)
    return render(request, "reporting/pages/board_reports.html", {"choosers": _choosers(request)})


def _chosen(request: HttpRequest, kind: Kind) -> tuple[ReportPeriod | None, HttpResponse | None]:
    """The period in the query string, or the choosers page naming what is wrong with it."""
    form = BoardPeriodForm(request.GET, kind=kind, today=timezone.localdate())
    if form.is_valid():
        return form.report, None
    page = render(
        request,
        "reporting/pages/board_reports.html",
        {"choosers": _choosers(request, form), "error_form": form},
    )
    return None, page


@require_http_methods(["GET", "POST"])
def board_report(request: HttpRequest, kind: str) -> HttpResponse:
    """One report for one period: its narrative sections to write, and the PDF to download."""
    user = _lead(request)
    report, problem = _chosen(request, _kind(kind))
    if report is None:
        return problem
    organisation = user.organisation
    saved = narrative_for(organisation=organisation, report=report)
    form = NarrativeForm(request.POST or None, initial=saved, kind=report.kind)
    if request.method == "POST" and form.is_valid():
        try:
            changed = narrative_save(
                organisation=organisation, actor=user, report=report, texts=form.cleaned_data
            )
        except NarrativeTooLong as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Narrative saved." if changed else "Nothing had changed.")
            return redirect(request.get_full_path())
    query = f"?period={report.key}"
    return render(
        request,
        "reporting/pages/board_report.html",
        {
            "form": form,
            "report": report,
            "title": TITLES[report.kind],
            "sections": SECTIONS[report.kind],
            "written": [s.title for s in SECTIONS[report.kind] if saved.get(s.key)],
            "pdf": reverse("reporting:board_pdf", args=[report.kind.value]) + query,
            "back": reverse("reporting:board"),
        },
    )


def board_report_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    """The report as a PDF, counted now from the cases the lead may see."""
    user = _lead(request)
    report, problem = _chosen(request, _kind(kind))
    if report is None:
        return problem
    organisation = user.organisation
    scope = Scope(organisation, cases=case_list_visible_to(user=user))
    texts = narrative_for(organisation=organisation, report=report)
    pdf = board_pdf(scope, report, texts, timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{organisation.slug}-{report.kind.value}-{report.key}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
