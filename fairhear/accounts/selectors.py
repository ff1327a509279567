"""Reading organisations and colleagues. What every workspace page reads of its organisation
(the calendar, the filters' colleagues and service areas) is kept until the organisation's
"changed" token changes (OrganisationChanged, docs/adr/ADR-013-navigation-counts-kept.md)."""

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from fairhear.accounts.models import (
    AdministrativeChange,
    ClosureDay,
    Organisation,
    OrganisationChanged,
    ServiceArea,
    User,
)
from fairhear.domain.calendar import Nation, WorkingDayCalendar
from fairhear.domain.policy.schema import Capability
from fairhear.kept import Kept, kept_until_changed
from fairhear.sql_memo import memo_fetch

T = TypeVar("T")


# What is kept of organisations until their token changes (_kept): calendars and choices.
_KEPT: Kept[object] = Kept(256)


def organisation_changed_token() -> Subquery:
    """The organisation's "changed" token, to annotate a read of organisations with as
    `changed` (alerts.selectors.organisation_and_unread on every workspace page, and
    intake.selectors.organisation_for_feedback on every page of the public form)."""
    changed = OrganisationChanged.objects.filter(organisation_id=OuterRef("pk"))
    return Subquery(changed.values("token")[:1])


def _kept(what: str, organisation: Organisation, make: Callable[[], T]) -> T:
    """`make()`, kept until the organisation's "changed" token changes (OrganisationChanged,
    kept_until_changed) when the organisation was read with its token
    (`organisation_changed_token`); otherwise made now. What is kept depends on nothing of
    the organisation's own row but its id."""
    token = getattr(organisation, "changed", None)
    if token is None:
        return make()
    key = (connection.vendor, what, organisation.pk, token)
    return kept_until_changed(_KEPT, key, make)  # type: ignore[arg-type]


def organisation_calendar(organisation: Organisation) -> WorkingDayCalendar:
    """The organisation's working-day calendar: its nation's bank holidays and its closures."""

    def make() -> tuple:
        def build(values: Mapping[str, object]) -> QuerySet:
            return ClosureDay.objects.filter(organisation_id=values["organisation"]).values_list(
                "day"
            )

        # By SQL built once (sql_memo), when not kept.
        rows = memo_fetch(("closure_days",), build, {"organisation": organisation.pk})
        return tuple(row[0] for row in rows)

    closures = _kept("closure_days", organisation, make)
    return WorkingDayCalendar(Nation(organisation.nation), closures=closures)


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


def colleague_choices(*, organisation: Organisation) -> list[tuple[str, str]]:
    """(id, name) of every active colleague, by name, the name as `str(user)` gives it (their
    full name, or their username without one), without making a User of each: the lists'
    "Handled by" filter holds some two hundred, which took 1.3 ms a page to make."""

    def build(values: Mapping[str, object]) -> QuerySet:
        return (
            User.objects.filter(organisation_id=values["organisation"], is_active=True)
            .order_by("first_name", "last_name")
            .values_list("pk", "first_name", "last_name", "username")
        )

    def make() -> tuple[tuple[str, str], ...]:
        # On every list page (the "Handled by" filter), by SQL built once (sql_memo).
        rows = memo_fetch(("colleague_choices",), build, {"organisation": organisation.pk})
        return tuple(
            (str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in rows
        )

    return list(_kept("colleague_choices", organisation, make))


def colleague_list_all(*, organisation: Organisation) -> QuerySet[User]:
    """Every colleague of the organisation, switched off or not, by name."""
    return (
        User.objects.filter(organisation=organisation)
        .select_related("line_manager", "service_area")
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def colleague_get(*, organisation: Organisation, username: str) -> User:
    """One colleague of the organisation by username; User.DoesNotExist otherwise."""
    return User.objects.select_related("line_manager", "service_area").get(
        organisation=organisation, username=username
    )


def service_area_list(*, organisation: Organisation) -> QuerySet[ServiceArea]:
    """The organisation's service areas, by name."""
    return ServiceArea.objects.filter(organisation=organisation).order_by("name")


def service_area_choices(*, organisation: Organisation) -> list[tuple[str, str]]:
    """(id, name) of the organisation's service areas, by name: a list page's filter, on every
    page, by SQL built once (sql_memo)."""

    def build(values: Mapping[str, object]) -> QuerySet:
        return (
            ServiceArea.objects.filter(organisation_id=values["organisation"])
            .order_by("name")
            .values_list("pk", "name")
        )

    def make() -> tuple[tuple[str, str], ...]:
        rows = memo_fetch(("service_area_choices",), build, {"organisation": organisation.pk})
        return tuple((str(pk), name) for pk, name in rows)

    return list(_kept("service_area_choices", organisation, make))


def service_area_get(*, organisation: Organisation, pk: int) -> ServiceArea:
    """One of the organisation's service areas; ServiceArea.DoesNotExist otherwise."""
    return ServiceArea.objects.get(organisation=organisation, pk=pk)


def closure_day_list(*, organisation: Organisation) -> QuerySet[ClosureDay]:
    """The organisation's closure days, earliest first."""
    return ClosureDay.objects.filter(organisation=organisation).order_by("day")


def admin_change_list(*, organisation: Organisation) -> QuerySet[AdministrativeChange]:
    """The organisation's administrative changes, newest first."""
    return AdministrativeChange.objects.filter(organisation=organisation).order_by("-at", "-pk")
