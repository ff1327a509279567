"""The sign-in lockout as an authentication backend (django-axes)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class SignInLockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its username and address are locked out (security.md).

    Every sign-in through a page passes the request, so the lockout applies to all of them.
    A check of a password with no request at all (Django's test client `login`, the shell) has
    no address to lock out, so this backend leaves it to the password check alone instead of
    raising an error."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Raise PermissionDenied when locked out; otherwise let the next backend decide."""
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
