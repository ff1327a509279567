"""The feedback survey page reached by the personal link in the invitation (Pivotal §21.2). No
sign-in; a plain form that works without JavaScript; it shows the case's reference and the
organisation's name and nothing else about the case."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairhear.cases.services import CaseInputError, FeedbackAlreadyGiven, TransitionRejected
from fairhear.intake.forms import SurveyForm
from fairhear.intake.survey import survey_answer, survey_answered, survey_open
from fairhear.letters.survey import SurveyLinkExpired, SurveyLinkNotValid, survey_case

_PAGES = "intake/pages/"


def _said(
    request: HttpRequest, template: str, status: int = 200, **context: object
) -> HttpResponse:
    return render(request, _PAGES + template, context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey: the form, or why it cannot be answered (already answered, link old or not
    right, complaint open again)."""
    try:
        case = survey_case(token)
    except SurveyLinkExpired as expired:
        org = expired.case.organisation
        return _said(
            request,
            "survey_link.html",
            410,
            org=org,
            organisation=org,
            reference=expired.case.reference,
            expired=True,
            days=settings.FAIRHEAR_SURVEY_LINK_DAYS,
        )
    except SurveyLinkNotValid:
        return _said(request, "survey_link.html", 404, expired=False)
    org = case.organisation
    shown = {"org": org, "organisation": org, "reference": case.reference}
    if survey_answered(case):
        return _said(request, "survey_answered.html", **shown)
    if not survey_open(case):
        return _said(request, "survey_answered.html", 409, reopened=True, **shown)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            survey_answer(case=case, **form.cleaned_data)
        except FeedbackAlreadyGiven:
            return _said(request, "survey_answered.html", **shown)
        except (TransitionRejected, CaseInputError):
            return _said(request, "survey_answered.html", 409, reopened=True, **shown)
        messages.success(request, "Thank you. Your answer is recorded.")
        return redirect("intake:survey", token=token)
    status = 400 if form.is_bound else 200
    return _said(request, "survey.html", status, form=form, **shown)
