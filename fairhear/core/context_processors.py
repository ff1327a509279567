"""Values every page needs: the organisation and the words its policy uses."""

from django.http import HttpRequest

from fairhear.administration.access import may_administer


def fairhear(request: HttpRequest) -> dict:
    """The signed-in colleague's organisation, for the header, and whether the navigation
    shows Administration."""
    user = getattr(request, "user", None)
    org = getattr(user, "organisation", None) if user and user.is_authenticated else None
    return {"organisation": org, "may_administer": may_administer(user)}
