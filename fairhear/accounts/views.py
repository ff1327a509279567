"""Two-factor sign-in pages: the code after the password, setting up an authenticator app,
recovery codes shown once, and the colleague's own account page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from fairhear.accounts.forms_two_factor import CodeForm, SetUpForm
from fairhear.accounts.two_factor import (
    TwoFactorError,
    enrolment_for,
    recovery_codes_left,
    two_factor_confirm,
    two_factor_enrolled,
    two_factor_new_recovery_codes,
    two_factor_pending,
    two_factor_remove,
    two_factor_required,
    two_factor_start,
    two_factor_verify,
)

_CODES = "fairhear_recovery_codes"


def account(request: HttpRequest) -> HttpResponse:
    """The colleague's account: who they are signed in as, and their two-factor sign-in."""
    user = request.user
    return render(
        request,
        "accounts/pages/account.html",
        {
            "enrolled": two_factor_enrolled(user),
            "required": two_factor_required(user),
            "codes_left": recovery_codes_left(user),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a recovery code."""
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if request.user.is_verified() or not user_has_device(request.user):
        return redirect(target)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_verify(request=request, token=form.cleaned_data["code"])
        except TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            return redirect(target)
    return render(
        request,
        "accounts/pages/two_factor_verify.html",
        {"form": form, "next": target},
        status=400 if form.errors else 200,
    )


def set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), enter a code."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # Only a colleague who has entered a code may replace their app.
        return redirect("two_factor_verify")
    device = two_factor_pending(user=user)
    if request.method != "POST" or device is None:
        device = two_factor_start(user=user)
        form = SetUpForm()
    else:
        form = SetUpForm(request.POST)
        if form.is_valid():
            try:
                codes = two_factor_confirm(
                    request=request, device=device, token=form.cleaned_data["code"]
                )
            except TwoFactorError as exc:
                form.add_error("code", str(exc))
            else:
                request.session[_CODES] = codes
                return redirect("two_factor_recovery_codes")
    return render(
        request,
        "accounts/pages/two_factor_set_up.html",
        {
            "form": form,
            "enrolment": enrolment_for(device),
            "required": two_factor_required(user),
            "replacing": two_factor_enrolled(user),
        },
        status=400 if form.errors else 200,
    )


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown this once (POST makes a new set, replacing the old)."""
    if request.method == "POST":
        try:
            request.session[_CODES] = two_factor_new_recovery_codes(user=request.user)
        except TwoFactorError as exc:
            messages.info(request, str(exc))
            return redirect("account")
        return redirect("two_factor_recovery_codes")
    codes = request.session.pop(_CODES, None)
    if not codes:
        messages.info(
            request,
            "Recovery codes are shown only once, when they are made. Make new ones if you "
            "have lost them.",
        )
        return redirect("account")
    return render(request, "accounts/pages/two_factor_recovery_codes.html", {"codes": codes})


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Switch two-factor sign-in off for oneself, where it is not required."""
    try:
        two_factor_remove(user=request.user, actor=request.user)
    except TwoFactorError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, "Two-factor sign-in is switched off for your account.")
    return redirect("account")
