"""The sign-in lockout as an authentication backend (django-axes), and the password check."""

from collections.abc import Mapping
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import HttpRequest

from fairhear.accounts.models import User
from fairhear.sql_memo import memo_fetch


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


class AccountBackend(ModelBackend):
    """Django's password check, with the signed-in colleague read on every request by SQL
    built once (sql_memo): building `User.objects.get(pk=…)` again took about half a
    millisecond of every page."""

    def get_user(self, user_id: int) -> User | None:
        def build(values: Mapping[str, object]) -> QuerySet[User]:
            return User.objects.filter(pk=values["user"]).order_by()[:1]

        found = memo_fetch(("signed_in_user",), build, {"user": user_id})
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None
