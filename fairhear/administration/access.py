"""Who may use the administration pages: colleagues with the Administer capability, and the
lead officer (who holds every capability). Administering gives no casework (docs/security.md)."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from fairhear.domain.policy.schema import Capability


def may_administer(user: object) -> bool:
    """True when the signed-in colleague belongs to an organisation and may administer it."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "organisation_id", None)
        and user.can(Capability.ADMINISTER)
    )


def administrator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse the page (403, saying why) to anyone who may not administer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not may_administer(request.user):
            raise PermissionDenied("Only administrators can use the administration pages.")
        return view(request, *args, **kwargs)

    return wrapped
