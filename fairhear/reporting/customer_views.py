"""The annual report to customers (customers.py): the lead prepares it (the year, the sections,
a preview of what would be published) and publishes it after confirming; anyone, without
signing in, reads what was published at /annual-report/<organisation>/, and its PDF. Like the
board reports, only the lead may prepare and publish (views._lead: 403 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairhear.accounts.models import Organisation, User
from fairhear.reporting import customers as cr
from fairhear.reporting.board import Kind, ReportPeriod, latest
from fairhear.reporting.forms import BoardPeriodForm, CustomerPublishForm, NarrativeForm
from fairhear.reporting.models import CustomerReport
from fairhear.reporting.narratives import NarrativeTooLong
from fairhear.reporting.views import _lead


def _chooser(bound: BoardPeriodForm | None = None) -> BoardPeriodForm:
    if bound is not None:
        return bound
    today = timezone.localdate()
    return BoardPeriodForm(
        initial={"period": latest(Kind.ANNUAL, today)}, kind=Kind.ANNUAL, today=today
    )


def _list_page(request: HttpRequest, form: BoardPeriodForm | None = None) -> HttpResponse:
    user = request.user
    return render(
        request,
        "reporting/pages/customer_reports.html",
        {
            "form": _chooser(form),
            "error_form": form,
            "published": cr.customer_reports_published(organisation=user.organisation),
            "public": reverse("annual:index", args=[user.organisation.slug]),
        },
    )


def customer_reports(request: HttpRequest) -> HttpResponse:
    """The years published, and a year to prepare."""
    _lead(request)
    return _list_page(request)


def _year(request: HttpRequest) -> tuple[ReportPeriod | None, HttpResponse | None]:
    """The year in the query string, or the list page naming what is wrong with it."""
    form = BoardPeriodForm(request.GET, kind=Kind.ANNUAL, today=timezone.localdate())
    if form.is_valid():
        return form.report, None
    return None, _list_page(request, form)


def _links(report: ReportPeriod) -> dict[str, str]:
    query = f"?period={report.key}"
    return {
        "prepare": reverse("reporting:customers_prepare") + query,
        "preview": reverse("reporting:customers_preview") + query,
        "publish": reverse("reporting:customers_publish") + query,
        "back": reverse("reporting:customers"),
    }


def _context(user: User, report: ReportPeriod) -> dict:
    year = report.period.start.year
    versions = list(cr.customer_report_versions(organisation=user.organisation, year=year))
    return {
        "report": report,
        "label": cr.year_label(year),
        "title": cr.TITLE,
        "versions": versions,
        "ended": cr.year_ended(report, timezone.localdate()),
        **_links(report),
    }


@require_http_methods(["GET", "POST"])
def customer_report_prepare(request: HttpRequest) -> HttpResponse:
    """The year's sections to write, and the way to the preview."""
    user = _lead(request)
    report, problem = _year(request)
    if report is None:
        return problem
    year = report.period.start.year
    saved = cr.customer_texts(organisation=user.organisation, year=year)
    form = NarrativeForm(request.POST or None, initial=saved, sections=cr.SECTIONS)
    if request.method == "POST" and form.is_valid():
        try:
            changed = cr.customer_texts_save(
                organisation=user.organisation, actor=user, year=year, texts=form.cleaned_data
            )
        except NarrativeTooLong as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Sections saved." if changed else "Nothing had changed.")
            return redirect(request.get_full_path())
    return render(
        request,
        "reporting/pages/customer_report.html",
        {
            **_context(user, report),
            "form": form,
            "written": [s.title for s in cr.SECTIONS if saved.get(s.key)],
        },
    )


def customer_report_preview(request: HttpRequest) -> HttpResponse:
    """What would be published now, drawn as the public page draws it."""
    user = _lead(request)
    report, problem = _year(request)
    if report is None:
        return problem
    year = report.period.start.year
    draft = cr.customer_report_draft(user=user, year=year)
    return render(
        request,
        "reporting/pages/customer_preview.html",
        {**_context(user, report), "parts": cr.parts(draft), "problems": cr.problems(draft)},
    )


@require_http_methods(["GET", "POST"])
def customer_report_publish(request: HttpRequest) -> HttpResponse:
    """Confirm, then publish: the figures and words are stored as they are now."""
    user = _lead(request)
    report, problem = _year(request)
    if report is None:
        return problem
    year = report.period.start.year
    context = _context(user, report)
    published = context["versions"][0].version if context["versions"] else 0
    # An empty POST (the box not ticked) is still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = CustomerPublishForm(data, published=published)
    if request.method == "POST" and form.is_valid():
        try:
            done = cr.customer_report_publish(
                user=user,
                year=year,
                today=timezone.localdate(),
                correction=form.cleaned_data.get("correction", ""),
            )
        except cr.NotReady as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Published version {done.version} of the annual report to customers for "
                f"{cr.year_label(year)}.",
            )
            return redirect("reporting:customers")
    return render(request, "reporting/pages/customer_publish.html", {**context, "form": form})


# ---------------------------------------------------------------------------------------------
# The public pages: no sign-in, only what was published
# ---------------------------------------------------------------------------------------------


def _organisation(slug: str) -> Organisation:
    try:
        return cr.organisation_with_customer_reports(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No annual report to customers is published at this address.") from None


def _published(org: Organisation, year: int) -> CustomerReport:
    try:
        return cr.customer_report_latest(organisation=org, year=year)
    except CustomerReport.DoesNotExist:
        raise Http404("No annual report to customers is published for this year.") from None


@login_not_required
def annual_index(request: HttpRequest, slug: str) -> HttpResponse:
    """Every year the organisation has published, newest first."""
    org = _organisation(slug)
    return render(
        request,
        "reporting/public/annual_index.html",
        {
            "org": org,
            "organisation": org,
            "reports": cr.customer_reports_published(organisation=org),
            "feedback": reverse("intake:start", args=[org.slug]),
        },
    )


@login_not_required
def annual_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The latest version published for the year."""
    org = _organisation(slug)
    published = _published(org, year)
    earlier = list(cr.customer_report_versions(organisation=org, year=year))[1:]
    return render(
        request,
        "reporting/public/annual_report.html",
        {
            "org": org,
            "organisation": org,
            "shown": cr.shown(published),
            "earlier": [cr.shown(e).published for e in earlier],
            "pdf": reverse("annual:pdf", args=[org.slug, year]),
            "back": reverse("annual:index", args=[org.slug]),
        },
    )


@login_not_required
def annual_report_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The same version as a PDF."""
    org = _organisation(slug)
    published = _published(org, year)
    response = HttpResponse(cr.customer_report_pdf(published), content_type="application/pdf")
    name = f"{org.slug}-annual-report-to-customers-{published.snapshot['label']}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
