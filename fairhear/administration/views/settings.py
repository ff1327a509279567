"""Organisation settings, logo, closure days, service areas and categories."""

import copy
from datetime import date

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fairhear.accounts.models import ServiceArea
from fairhear.accounts.selectors import closure_day_list, service_area_get, service_area_list
from fairhear.accounts.services import (
    AdministrationError,
    closure_day_add,
    closure_day_remove,
    organisation_remove_logo,
    organisation_set_logo,
    organisation_update,
    service_area_save,
)
from fairhear.administration.access import administrator_required
from fairhear.administration.forms import (
    ClosureDayForm,
    LogoForm,
    OrganisationForm,
    ServiceAreaForm,
)
from fairhear.administration.presenters import category_rows
from fairhear.domain.branding import BrandingProblem
from fairhear.policies.selectors import policy_pack_for

_MAX_ID = 2**63 - 1  # the largest id a row can have (PostgreSQL bigint, SQLite INTEGER)


@administrator_required
def index(request: HttpRequest) -> HttpResponse:
    """The administration pages, one line each."""
    return render(request, "administration/pages/index.html")


def _organisation_page(request: HttpRequest, **forms: object) -> HttpResponse:
    org = request.user.organisation
    context = {
        "form": forms.get("form") or OrganisationForm(instance=org),
        "logo_form": forms.get("logo_form") or LogoForm(),
        "closure_form": forms.get("closure_form") or ClosureDayForm(),
        "closure_days": closure_day_list(organisation=org),
        "org": org,
    }
    failed = any(getattr(f, "errors", None) for f in forms.values())
    return render(
        request, "administration/pages/organisation.html", context, status=400 if failed else 200
    )


@administrator_required
def organisation(request: HttpRequest) -> HttpResponse:
    """Nation, homes, contact details, brand colour and the two-factor requirement."""
    org = request.user.organisation
    if request.method != "POST":
        return _organisation_page(request)
    # The ModelForm writes its answers onto its instance as it validates: give it a copy, so
    # that only the service changes the organisation (and a refused answer never shows).
    form = OrganisationForm(request.POST, instance=copy.copy(org))
    if not form.is_valid():
        return _organisation_page(request, form=form)
    changes = {k: form.cleaned_data[k] for k in form.Meta.fields}
    try:
        changed = organisation_update(organisation=org, actor=request.user, changes=changes)
    except (AdministrationError, BrandingProblem) as exc:
        form.add_error(None, str(exc))
        return _organisation_page(request, form=form)
    messages.success(request, "Settings saved." if changed else "Nothing had changed.")
    return redirect("administration:organisation")


@administrator_required
@require_POST
def logo(request: HttpRequest) -> HttpResponse:
    """Upload a new logo, or remove it (the "remove" button)."""
    org = request.user.organisation
    if "remove" in request.POST:
        try:
            organisation_remove_logo(organisation=org, actor=request.user)
        except AdministrationError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, "Logo removed.")
        return redirect("administration:organisation")
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            organisation_set_logo(
                organisation=org, actor=request.user, upload=upload, size=upload.size
            )
        except BrandingProblem as exc:
            form.add_error("logo", str(exc))
        else:
            messages.success(request, "Logo uploaded.")
            return redirect("administration:organisation")
    return _organisation_page(request, logo_form=form)


def logo_file(request: HttpRequest) -> HttpResponse:
    """The signed-in colleague's organisation's logo, served from storage (never as HTML)."""
    org = getattr(request.user, "organisation", None)
    if org is None or not org.logo or not default_storage.exists(org.logo.name):
        raise Http404("No logo.")
    kind = "image/png" if org.logo.name.endswith(".png") else "image/jpeg"
    response = FileResponse(default_storage.open(org.logo.name, "rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@administrator_required
@require_POST
def closure_days(request: HttpRequest) -> HttpResponse:
    """Add a closure day."""
    form = ClosureDayForm(request.POST)
    if form.is_valid():
        try:
            closure_day_add(
                organisation=request.user.organisation,
                actor=request.user,
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
            )
        except AdministrationError as exc:
            form.add_error("day", str(exc))
        else:
            messages.success(request, f"Added {form.cleaned_data['day']:%-d %B %Y}.")
            return redirect("administration:organisation")
    return _organisation_page(request, closure_form=form)


@administrator_required
@require_POST
def closure_day_delete(request: HttpRequest, day: str) -> HttpResponse:
    """Remove a closure day."""
    try:
        closure_day_remove(
            organisation=request.user.organisation,
            actor=request.user,
            day=date.fromisoformat(day),
        )
    except (AdministrationError, ValueError):
        raise Http404("No such closure day.") from None
    messages.success(request, f"Removed {date.fromisoformat(day):%-d %B %Y}.")
    return redirect("administration:organisation")


@administrator_required
def service_areas(request: HttpRequest) -> HttpResponse:
    """The service areas, and a form to add one."""
    org = request.user.organisation
    form = ServiceAreaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            area = service_area_save(organisation=org, actor=request.user, changes=form.changes())
        except AdministrationError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Added {area.name}.")
            return redirect("administration:service_areas")
    return render(
        request,
        "administration/pages/service_areas.html",
        {"areas": service_area_list(organisation=org), "form": form},
        status=400 if form.errors else 200,
    )


@administrator_required
def service_area(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one service area."""
    org = request.user.organisation
    if pk > _MAX_ID:
        raise Http404("No such service area.")
    try:
        area = service_area_get(organisation=org, pk=pk)
    except ServiceArea.DoesNotExist:
        raise Http404("No such service area.") from None
    if request.method == "POST":
        form = ServiceAreaForm(request.POST)
        if form.is_valid():
            try:
                service_area_save(
                    organisation=org,
                    actor=request.user,
                    changes=form.changes(),
                    service_area=area,
                )
            except AdministrationError as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, f"Saved {area.name}.")
                return redirect("administration:service_areas")
    else:
        form = ServiceAreaForm(initial=ServiceAreaForm.initial_for(area))
    return render(
        request,
        "administration/pages/service_area.html",
        {"area": area, "form": form},
        status=400 if form.errors else 200,
    )


@administrator_required
def categories(request: HttpRequest) -> HttpResponse:
    """The active policy's categories and the rules that name them (read only: they are part
    of the policy, so a change is a new policy version)."""
    org = request.user.organisation
    pack = policy_pack_for(org.active_policy_version) if org.active_policy_version else None
    return render(
        request,
        "administration/pages/categories.html",
        {"pack": pack, "rows": category_rows(pack) if pack else []},
    )
