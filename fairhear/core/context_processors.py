"""Values every page needs: the organisation and the words its policy uses."""

from django.http import HttpRequest

from fairhear.administration.access import may_administer
from fairhear.domain.policy.schema import Capability


def fairhear(request: HttpRequest) -> dict:
    """The signed-in colleague's organisation, for the header, and whether the navigation
    shows Administration, Outgoing e-mail (the lead officer and administrators) and E-mail on
    no case (the lead officer)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    org = getattr(user, "organisation", None) if signed_in else None
    can = getattr(user, "can", None) if signed_in else None
    sees_mail = bool(can) and (can(Capability.LEAD) or can(Capability.ADMINISTER))
    return {
        "organisation": org,
        "may_administer": may_administer(user),
        "sees_outgoing_mail": sees_mail,
        "sees_mail_in": bool(can) and can(Capability.LEAD),
    }
