"""Colleagues: the list, inviting one, and changing what they may do."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fairhear.accounts.models import User
from fairhear.accounts.selectors import (
    colleague_get,
    colleague_list,
    colleague_list_all,
    service_area_list,
)
from fairhear.accounts.services import (
    AdministrationError,
    colleague_invite,
    colleague_resend_invitation,
    colleague_set_active,
    colleague_update,
)
from fairhear.accounts.two_factor import two_factor_enrolled, two_factor_remove
from fairhear.administration.access import administrator_required
from fairhear.administration.forms import ColleagueForm, InviteForm

_CAPABILITY_LABELS = dict(User.CapabilityChoice.choices)


def _choices(request: HttpRequest, exclude: User | None = None) -> dict:
    org = request.user.organisation
    colleagues = colleague_list(organisation=org)
    if exclude is not None:
        colleagues = colleagues.exclude(pk=exclude.pk)
    return {"colleagues": colleagues, "service_areas": service_area_list(organisation=org)}


def _site(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _colleague_or_404(request: HttpRequest, username: str) -> User:
    # No username is that long or holds a NUL (which PostgreSQL refuses in a text lookup).
    if len(username) > 150 or "\x00" in username:
        raise Http404("No colleague with that username in your organisation.")
    try:
        return colleague_get(organisation=request.user.organisation, username=username)
    except User.DoesNotExist:
        raise Http404("No colleague with that username in your organisation.") from None


@administrator_required
def colleagues(request: HttpRequest) -> HttpResponse:
    """Every colleague, switched off ones last."""
    rows = [
        {
            "user": u,
            "capabilities": [_CAPABILITY_LABELS.get(c, c) for c in u.capabilities or []],
        }
        for u in colleague_list_all(organisation=request.user.organisation)
    ]
    return render(request, "administration/pages/colleagues.html", {"rows": rows})


@administrator_required
def invite(request: HttpRequest) -> HttpResponse:
    """Make an account for a colleague and e-mail them a link to choose their password."""
    form = InviteForm(request.POST if request.method == "POST" else None, **_choices(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = colleague_invite(
                organisation=request.user.organisation,
                actor=request.user,
                email=form.cleaned_data["email"],
                changes=form.changes(),
                site=_site(request),
            )
        except AdministrationError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request, f"Invited {user}. We have e-mailed {user.email} a link to sign in."
            )
            return redirect("administration:colleagues")
    return render(
        request,
        "administration/pages/invite.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@administrator_required
def colleague(request: HttpRequest, username: str) -> HttpResponse:
    """Change a colleague's job title, capabilities, line manager and service area."""
    person = _colleague_or_404(request, username)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "capabilities": person.capabilities,
        "line_manager": person.line_manager_id,
        "service_area": person.service_area_id,
    }
    form = ColleagueForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        **_choices(request, exclude=person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = colleague_update(
                organisation=request.user.organisation,
                actor=request.user,
                colleague=person,
                changes=form.changes(),
            )
        except AdministrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {person}." if changed else "Nothing had changed.")
            return redirect("administration:colleagues")
    return render(
        request,
        "administration/pages/colleague.html",
        {
            "person": person,
            "form": form,
            "invited": not person.has_usable_password(),
            "two_factor": two_factor_enrolled(person),
        },
        status=400 if form.errors else 200,
    )


@administrator_required
@require_POST
def colleague_active(request: HttpRequest, username: str) -> HttpResponse:
    """Switch a colleague's account off or on again ("active" is "yes" or "no")."""
    person = _colleague_or_404(request, username)
    active = request.POST.get("active") == "yes"
    try:
        colleague_set_active(
            organisation=request.user.organisation,
            actor=request.user,
            colleague=person,
            active=active,
        )
    except AdministrationError as exc:
        messages.info(request, str(exc))
        return redirect("administration:colleague", username=person.username)
    messages.success(
        request,
        f"{person}'s account is switched {'on' if active else 'off'}."
        + ("" if active else " They can no longer sign in; what they recorded stays."),
    )
    return redirect("administration:colleagues")


@administrator_required
@require_POST
def colleague_two_factor_reset(request: HttpRequest, username: str) -> HttpResponse:
    """Remove a colleague's authenticator app and recovery codes (a lost phone): they sign in
    with their password alone, or set it up again where it is required."""
    person = _colleague_or_404(request, username)
    two_factor_remove(user=person, actor=request.user)
    messages.success(request, f"{person}'s two-factor sign-in is reset.")
    return redirect("administration:colleague", username=person.username)


@administrator_required
@require_POST
def colleague_resend(request: HttpRequest, username: str) -> HttpResponse:
    """Send a new set-password link to a colleague who has not chosen a password."""
    person = _colleague_or_404(request, username)
    try:
        colleague_resend_invitation(
            organisation=request.user.organisation,
            actor=request.user,
            colleague=person,
            site=_site(request),
        )
    except AdministrationError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"We have e-mailed {person.email} a new link.")
    return redirect("administration:colleague", username=person.username)
