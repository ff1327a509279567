"""Values every page needs: the organisation and the words its policy uses."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fairhear.administration.access import may_administer
from fairhear.alerts.selectors import organisation_and_unread, unread_count
from fairhear.core.navigation import service_navigation
from fairhear.domain.policy.schema import Capability


def fairhear(request: HttpRequest) -> dict:
    """The signed-in colleague's organisation, for the header, and whether the navigation
    shows Administration, Outgoing e-mail (the lead officer and administrators) and E-mail on
    no case (the lead officer); and how many of their notifications are unread, read with the
    organisation in one query (or, where the page read the organisation already, one indexed
    count, made only when the header shows it); and the service navigation's links for this
    page (core/navigation.py)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    org, unread = organisation_and_unread(user=user) if signed_in else (None, 0)
    can = getattr(user, "can", None) if signed_in else None
    sees_mail = bool(can) and (can(Capability.LEAD) or can(Capability.ADMINISTER))
    administers = may_administer(user)
    sees_mail_in = bool(can) and can(Capability.LEAD)
    navigation = ""
    if signed_in:
        match = getattr(request, "resolver_match", None)
        held = {
            "lead": sees_mail_in,  # the lead officer's own links, as E-mail on no case is
            "administer": administers,
            "outgoing_mail": sees_mail,
            "mail_in": sees_mail_in,
        }
        navigation = service_navigation(
            view_name=(match.view_name if match else "") or "",
            app_name=(match.app_name if match else "") or "",
            reaches=frozenset(reach for reach, has in held.items() if has),
        )
    return {
        "organisation": org,
        "may_administer": administers,
        "sees_outgoing_mail": sees_mail,
        "sees_mail_in": sees_mail_in,
        "service_navigation": navigation,
        "unread_notifications": unread
        if unread is not None
        else SimpleLazyObject(lambda: unread_count(user=user)),
    }
