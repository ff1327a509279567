"""The lead officer's pages for the CQC's requests for a summary (CQC Regulation 16(3)): the
list, with each request's due date, days left and state; a form to record a request; a
request's page with its summary (and the PDF); and recording it as sent, after a confirmation.
Like the Reports page, only the lead may open them (anyone else gets 403), and the summary
counts only the cases the lead may see (cases.selectors.case_list_visible_to)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhear.accounts.selectors import service_area_list
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.clock import fmt_day
from fairhear.domain.cqc import CITES, CQC_SUMMARY_DAYS
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.cqc import (
    TITLE,
    CqcRequestInvalid,
    cqc_request_get,
    cqc_request_list,
    cqc_request_mark_sent,
    cqc_request_record,
    cqc_summary,
    cqc_summary_pdf,
    definitions,
    organisation_names_cqc,
    request_scope,
    standing,
    summary_tables,
)
from fairhear.reporting.forms import CqcRequestForm, CqcSentForm
from fairhear.reporting.views import _lead


def cqc_requests(request: HttpRequest) -> HttpResponse:
    """Every request recorded, the latest received first, with where each stands today."""
    user = _lead(request)
    today = timezone.localdate()
    rows = [
        {"request": r, **standing(r, today)}
        for r in cqc_request_list(organisation=user.organisation)
    ]
    return render(
        request,
        "reporting/pages/cqc_requests.html",
        {
            "rows": rows,
            "names_cqc": organisation_names_cqc(user.organisation),
            "days": CQC_SUMMARY_DAYS,
            "cites": CITES,
        },
    )


@require_http_methods(["GET", "POST"])
def cqc_request_new(request: HttpRequest) -> HttpResponse:
    """Record a request from the CQC."""
    user = _lead(request)
    organisation = user.organisation
    areas = {str(a.pk): a for a in service_area_list(organisation=organisation)}
    form = CqcRequestForm(
        request.POST or None,
        areas=[(pk, a.name) for pk, a in areas.items()],
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = cqc_request_record(
                organisation=organisation,
                actor=user,
                received_on=data["received_on"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                service_area=areas.get(data["service_area"]),
                cqc_reference=data["cqc_reference"],
                notes=data["notes"],
            )
        except CqcRequestInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Request recorded. The summary is due by {fmt_day(made.due)}."
            )
            return redirect("reporting:cqc_request", pk=made.pk)
    return render(
        request,
        "reporting/pages/cqc_request_form.html",
        {"form": form, "names_cqc": organisation_names_cqc(organisation)},
    )


def cqc_request_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: where it stands, and its summary counted now."""
    user = _lead(request)
    found = cqc_request_get(organisation=user.organisation, pk=pk)
    scope = request_scope(found, case_list_visible_to(user=user))
    summary = cqc_summary(scope, found.period_from, found.period_to)
    pack = policy_pack_for(user.organisation.active_policy_version)
    return render(
        request,
        "reporting/pages/cqc_request.html",
        {
            "found": found,
            **standing(found, timezone.localdate()),
            "tables": summary_tables(summary, {c.code: c.label for c in pack.categories}),
            "definitions": definitions(),
            "title": TITLE,
            "cites": CITES,
            "pdf": reverse("reporting:cqc_pdf", args=[found.pk]),
        },
    )


def cqc_request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as a PDF, counted now from the cases the lead may see."""
    user = _lead(request)
    found = cqc_request_get(organisation=user.organisation, pk=pk)
    pdf = cqc_summary_pdf(found, case_list_visible_to(user=user), timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{found.organisation.slug}-cqc-summary-{found.period_from}-{found.period_to}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def cqc_request_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then record, that the summary was sent to the CQC."""
    user = _lead(request)
    found = cqc_request_get(organisation=user.organisation, pk=pk)
    back = reverse("reporting:cqc_request", args=[found.pk])
    if found.sent_on is not None:
        messages.info(request, f"This summary was recorded as sent on {fmt_day(found.sent_on)}.")
        return redirect(back)
    today = timezone.localdate()
    form = CqcSentForm(
        request.POST or None,
        initial={"sent_on": today},
        received_on=found.received_on,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cqc_request_mark_sent(request=found, actor=user, sent_on=form.cleaned_data["sent_on"])
        except CqcRequestInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Summary recorded as sent. No more reminders will be sent.")
            return redirect(back)
    return render(
        request,
        "reporting/pages/cqc_sent.html",
        {"form": form, "found": found, **standing(found, today), "back": back},
    )
