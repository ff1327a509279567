"""The lead officer's self-assessment against the Housing Ombudsman Code (Code 8.1, 8.2): each
provision with the evidence Fairhear holds, the pack's departures from the Code beside it, a
draft answer and the lead's own answer to edit; and the whole as CSV for publishing. Like the
Reports page only the lead may open it, and the figures count only the cases the lead may see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhear.domain.self_assessment import PROVISIONS
from fairhear.reporting.forms import SelfAssessmentYearForm
from fairhear.reporting.self_assessment import (
    AnswerTooLong,
    answers_save,
    latest_whole_year,
    self_assessment,
    self_assessment_csv_lines,
    years,
)
from fairhear.reporting.views import _lead


def _field(number: str) -> str:
    """The textarea's name and id for a provision: "answer-6-3"."""
    return "answer-" + number.replace(".", "-")


@require_http_methods(["GET", "POST"])
def self_assessment_page(request: HttpRequest) -> HttpResponse:
    """The self-assessment for the financial year chosen (the last whole one to start with)."""
    user = _lead(request)
    today = timezone.localdate()
    data = request.GET if "year" in request.GET else {"year": latest_whole_year(today)}
    form = SelfAssessmentYearForm(data, years=years(today))
    context: dict = {"form": form}
    if not form.is_valid():
        return render(request, "reporting/pages/self_assessment.html", context, status=400)
    year = form.cleaned_data["year"]
    report = self_assessment(user, year)
    if request.GET.get("export") == "csv":
        response = StreamingHttpResponse(self_assessment_csv_lines(report), content_type="text/csv")
        name = f"fairhear-self-assessment-{report['label']}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    problem = None
    if request.method == "POST":
        texts = {
            p.number: request.POST[_field(p.number)]
            for p in PROVISIONS
            if _field(p.number) in request.POST
        }
        try:
            changed = answers_save(
                organisation=user.organisation, actor=user, year=year, texts=texts
            )
        except AnswerTooLong as error:
            problem = {"field": _field(error.provision), "text": str(error)}
            for row in report["rows"]:
                number = row["provision"].number
                if number in texts:
                    row["answer"] = texts[number]
        else:
            messages.success(
                request,
                f"Saved your answers to {', '.join(changed)}." if changed else "Nothing changed.",
            )
            return redirect(reverse("reporting:self_assessment") + f"?year={year}")
    for row in report["rows"]:
        row["field"] = _field(row["provision"].number)
    context |= {
        "report": report,
        "problem": problem,
        "csv": reverse("reporting:self_assessment") + f"?year={year}&export=csv",
    }
    return render(
        request,
        "reporting/pages/self_assessment.html",
        context,
        status=400 if problem else 200,
    )
