"""Reading organisations and colleagues."""

from django.db.models import QuerySet

from fairhear.accounts.models import Organisation, User
from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.policy.schema import Capability


def organisation_calendar(organisation: Organisation) -> WorkingDayCalendar:
    """The organisation's working-day calendar: its nation's bank holidays and its closures."""
    closures = organisation.closure_days.values_list("day", flat=True)
    return WorkingDayCalendar(Nation(organisation.nation), closures=list(closures))


def colleague_list_with(*, organisation: Organisation, capability: Capability) -> QuerySet[User]:
    """Active colleagues of the organisation who hold a capability (or are the lead officer)."""
    users = User.objects.filter(organisation=organisation, is_active=True).order_by(
        "first_name", "last_name"
    )
    return users.filter(pk__in=[u.pk for u in users if u.can(capability)])


def colleague_list(*, organisation: Organisation) -> QuerySet[User]:
    """Every active colleague of the organisation."""
    return User.objects.filter(organisation=organisation, is_active=True).order_by(
        "first_name", "last_name"
    )
