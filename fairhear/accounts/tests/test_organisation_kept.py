"""What every workspace page reads of its organisation, kept until the organisation's
"changed" token changes (accounts.selectors, OrganisationChanged): a closure day, a service
area or a colleague renamed, switched off or added shows on the next page, through the
services or around them, on SQLite and PostgreSQL; and with nothing changed, none is read."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fairhear.accounts.models import ClosureDay, OrganisationChanged, User
from fairhear.accounts.selectors import (
    colleague_choices,
    organisation_calendar,
    service_area_choices,
)
from fairhear.accounts.tests.factories import OrganisationFactory, ServiceAreaFactory, UserFactory
from fairhear.alerts.selectors import organisation_and_unread

pytestmark = pytest.mark.django_db

# Friday 4 December 2026, a working day in England and Wales unless the organisation closes.
FRIDAY = date(2026, 12, 4)


@pytest.fixture
def kept(settings):
    """What was kept served as in production (the test settings make it again on every call
    to check the kept value)."""
    settings.FAIRHEAR_SQL_MEMO_CHECK = False


def as_a_page_reads_it(user: User):
    """The organisation as a workspace page reads it: a fresh request's colleague."""
    return organisation_and_unread(user=User.objects.get(pk=user.pk))[0]


def token(org) -> int | None:
    row = OrganisationChanged.objects.filter(organisation_id=org.pk).first()
    return row.token if row else None


def test_a_closure_day_shows_in_the_calendar_on_the_next_page(kept):
    me = UserFactory()
    assert organisation_calendar(as_a_page_reads_it(me)).is_working_day(FRIDAY)

    ClosureDay.objects.create(organisation=me.organisation, day=FRIDAY, reason="Staff training")
    assert not organisation_calendar(as_a_page_reads_it(me)).is_working_day(FRIDAY)

    ClosureDay.objects.filter(organisation=me.organisation).delete()
    assert organisation_calendar(as_a_page_reads_it(me)).is_working_day(FRIDAY)


def test_a_service_area_added_or_renamed_shows_in_the_filter_on_the_next_page(kept):
    me = UserFactory()
    area = ServiceAreaFactory(organisation=me.organisation, name="North scheme")
    assert service_area_choices(organisation=as_a_page_reads_it(me)) == [
        (str(area.pk), "North scheme")
    ]

    area.name = "Northern schemes"
    area.save()

    assert service_area_choices(organisation=as_a_page_reads_it(me)) == [
        (str(area.pk), "Northern schemes")
    ]


def test_a_colleague_renamed_switched_off_or_added_shows_on_the_next_page(kept):
    me = UserFactory(first_name="Ann", last_name="Lee")
    names = lambda: [n for _, n in colleague_choices(organisation=as_a_page_reads_it(me))]  # noqa: E731
    sam = UserFactory(organisation=me.organisation, first_name="Sam", last_name="Ray")
    assert names() == ["Ann Lee", "Sam Ray"]

    User.objects.filter(pk=sam.pk).update(last_name="Rae")  # around the services
    assert names() == ["Ann Lee", "Sam Rae"]

    User.objects.filter(pk=sam.pk).update(is_active=False)
    assert names() == ["Ann Lee"]

    UserFactory(organisation=me.organisation, first_name="Bea", last_name="Cole")
    assert names() == ["Ann Lee", "Bea Cole"]


def test_with_nothing_changed_the_calendar_and_the_choices_are_not_read_again(kept):
    me = UserFactory()
    org = as_a_page_reads_it(me)
    organisation_calendar(org), service_area_choices(organisation=org)
    colleague_choices(organisation=org)

    with CaptureQueriesContext(connection) as queries:
        organisation_calendar(org), service_area_choices(organisation=org)
        colleague_choices(organisation=org)

    assert len(queries) == 0
    # A colleague signing in changes nothing a page keeps: the token stays.
    before = token(me.organisation)
    User.objects.filter(pk=me.pk).update(last_login=FRIDAY.isoformat() + "T09:00:00Z")
    assert token(me.organisation) == before


def test_another_organisation_s_change_leaves_the_token_alone():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    UserFactory(organisation=mine)
    before = token(mine)
    assert before is not None

    ServiceAreaFactory(organisation=theirs)
    UserFactory(organisation=theirs)

    assert token(mine) == before


def test_an_organisation_read_without_its_token_is_read_afresh(kept):
    me = UserFactory()
    ClosureDay.objects.create(organisation=me.organisation, day=FRIDAY)
    with CaptureQueriesContext(connection) as queries:
        calendar = organisation_calendar(me.organisation)  # the ORM's row: no token with it
    assert not calendar.is_working_day(FRIDAY)
    assert len(queries) == 1


def test_a_new_organisation_has_a_token_from_the_start():
    """Before it has any colleague, closure day or service area (its public form's first
    pages keep its service areas from the first)."""
    assert token(OrganisationFactory()) is not None
