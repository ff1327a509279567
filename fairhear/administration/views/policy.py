"""Policy versions: upload a pack, see what changed and what it would mean for open cases,
and make it active after confirming."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fairhear.administration.access import administrator_required
from fairhear.administration.forms import ConfirmForm, PackUploadForm, PolicyReviewForm
from fairhear.administration.presenters import change_sections
from fairhear.cases.what_if import WHAT_IF_LIMIT, case_deadlines_what_if
from fairhear.domain.clock import fmt_day
from fairhear.domain.policy.diff import pack_changes
from fairhear.domain.policy.load import PackInvalid
from fairhear.policies.models import PolicyVersion
from fairhear.policies.selectors import (
    policy_pack_for,
    policy_review_state,
    policy_version_get,
    policy_version_list,
)
from fairhear.policies.services import (
    PolicyReviewInvalid,
    policy_review_record,
    policy_version_activate,
    policy_version_upload,
)

_MAX_ID = 2**63 - 1


@administrator_required
def policy(request: HttpRequest) -> HttpResponse:
    """The published versions, the active one marked, and a form to upload a new one."""
    org = request.user.organisation
    form = PackUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        name = request.FILES["pack"].name[:120]
        try:
            version, created = policy_version_upload(
                organisation=org,
                actor=request.user,
                toml_text=form.cleaned_data["pack"],
                source_name=name,
            )
        except PackInvalid as exc:
            for problem in exc.problems:
                where = f"{problem.field}: " if problem.field else ""
                form.add_error("pack", f"{where}{problem.message}")
        else:
            if created:
                messages.success(
                    request,
                    f"{version} is published but not active yet. Check what changes, then make "
                    "it active.",
                )
            else:
                messages.info(request, f"This pack was published before, as {version}.")
            return redirect("administration:policy_version", pk=version.pk)
    return _policy_page(request, form, PolicyReviewForm())


def _policy_page(
    request: HttpRequest, form: PackUploadForm, review_form: PolicyReviewForm
) -> HttpResponse:
    org = request.user.organisation
    review = policy_review_state(organisation=org)
    today = timezone.localdate()
    return render(
        request,
        "administration/pages/policy.html",
        {
            "form": form,
            "review_form": review_form,
            "review": review,
            "review_overdue": bool(review and review.due and review.due < today),
            "versions": policy_version_list(organisation=org),
            "active_id": org.active_policy_version_id,
        },
        status=400 if form.errors or review_form.errors else 200,
    )


@administrator_required
@require_POST
def policy_review(request: HttpRequest) -> HttpResponse:
    """Record that the active policy was reviewed (Pivotal §24.1)."""
    form = PolicyReviewForm(request.POST)
    if form.is_valid():
        try:
            review = policy_review_record(
                organisation=request.user.organisation,
                actor=request.user,
                reviewed_on=form.cleaned_data["reviewed_on"],
                note=form.cleaned_data["note"],
            )
        except PolicyReviewInvalid as exc:
            form.add_error("reviewed_on", str(exc))
        else:
            on = fmt_day(review.reviewed_on)
            messages.success(request, f"Recorded the review of {review.version} on {on}.")
            return redirect("administration:policy")
    return _policy_page(request, PackUploadForm(), form)


def _version_or_404(request: HttpRequest, pk: int) -> PolicyVersion:
    if pk > _MAX_ID:
        raise Http404("No such policy version.")
    try:
        return policy_version_get(organisation=request.user.organisation, pk=pk)
    except PolicyVersion.DoesNotExist:
        raise Http404("No such policy version.") from None


def _review(request: HttpRequest, version: PolicyVersion, *, what_if: bool = True) -> dict:
    """What changes from the active version, and the what-if replay of open cases."""
    org = request.user.organisation
    pack = policy_pack_for(version)
    active = org.active_policy_version
    is_active = active is not None and active.pk == version.pk
    context = {"version": version, "pack": pack, "is_active": is_active, "active": active}
    if not is_active:
        changes = pack_changes(policy_pack_for(active), pack) if active else []
        context["sections"] = change_sections(changes)
        if what_if:
            context["what_if"] = case_deadlines_what_if(
                user=request.user, organisation=org, pack=pack
            )
            context["what_if_limit"] = WHAT_IF_LIMIT
    return context


@administrator_required
def policy_version(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: its stages and clocks, what changes from the active version and what it
    would mean for open cases' deadlines."""
    version = _version_or_404(request, pk)
    return render(request, "administration/pages/policy_version.html", _review(request, version))


@administrator_required
def policy_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then make the version active for new cases."""
    version = _version_or_404(request, pk)
    context = _review(request, version, what_if=False)
    if context["is_active"]:
        messages.info(request, f"{version} is already the active version.")
        return redirect("administration:policy_version", pk=version.pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            policy_version_activate(
                organisation=request.user.organisation, actor=request.user, version=version
            )
        except PackInvalid as exc:
            form.add_error(None, "; ".join(p.message for p in exc.problems))
        else:
            messages.success(
                request,
                f"{version} is now the active policy version. Cases logged from now on follow "
                "it; open cases keep their own version.",
            )
            return redirect("administration:policy")
    context["form"] = form
    return render(
        request,
        "administration/pages/policy_activate.html",
        context,
        status=400 if form.errors else 200,
    )
