"""What a locked-out colleague sees: the sign-in page, saying when to try again."""

from datetime import datetime

from axes.helpers import get_cool_off
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fairhear.accounts.forms import SignInForm


def try_again_at(request: HttpRequest) -> datetime:
    """When the lockout ends: the cool-off counted from this attempt (each attempt made while
    locked out starts it again, settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT)."""
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempted + get_cool_off(request)


class LockedOutSignInForm(SignInForm):
    """The sign-in form as it was filled in, refused with the lockout message without checking
    the password again (a check would count as one more attempt)."""

    def __init__(self, request: HttpRequest, *, message: str) -> None:
        super().__init__(request, data=request.POST or None)
        self.message = message

    def clean(self) -> dict:
        raise forms.ValidationError(self.message, code="locked_out")


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The sign-in page with the lockout as its error, status 429 (Too Many Requests)."""
    when = timezone.localtime(try_again_at(request))
    form = LockedOutSignInForm(
        request,
        message="There have been too many wrong passwords for this username, so signing in is "
        f"paused. Try again after {when:%H:%M} on {when:%A} {when.day} {when:%B} (UK time). "
        "If you have forgotten your password, reset it meanwhile.",
    )
    return render(request, "accounts/pages/login.html", {"form": form}, status=429)
