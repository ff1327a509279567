"""The navigation's counts kept until the organisation's cases change (fairhear.cases.changes):
right straight after every kind of change, through the services or around them, on SQLite and
PostgreSQL; read again only after a change; and a change the triggers missed fails loudly in
the test settings. Today is fixed (Wed 4 March 2026)."""

from __future__ import annotations

import importlib
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import Exists, Q
from django.test.utils import CaptureQueriesContext

from fairhear.accounts.selectors import organisation_calendar
from fairhear.accounts.tests.factories import OrganisationFactory, ServiceAreaFactory
from fairhear.cases import services as s
from fairhear.cases.access import full_access_q
from fairhear.cases.changes import (
    COUNTED_COLUMNS,
    COUNTED_LINKS,
    cases_changed,
)
from fairhear.cases.models import Case
from fairhear.cases.queues import QUEUES, QueueContext, my_work_and_queue_counts, queue_counts
from fairhear.cases.selectors import my_work_q
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.kept import KeptStale

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


@pytest.fixture
def kept(settings):
    """Counts served from what was kept, as in production (the test settings count again on
    every call to check the kept counts)."""
    settings.FAIRHEAR_SQL_MEMO_CHECK = False


def counts(user) -> dict[str, int]:
    return queue_counts(
        ctx=QueueContext(user=user, today=TODAY, cal=organisation_calendar(user.organisation))
    )


def allocated(team: Team, case: Case) -> Case:
    s.case_record_managers_told(
        case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=NOW
    )
    s.case_accept(case=case, actor=team.allocator, occurred_at=NOW)
    return s.case_allocate(
        case=case, actor=team.allocator, handler=team.investigator, occurred_at=NOW
    )


def test_the_lead_s_counts_follow_each_change_at_once(kept, team):
    first = receive_complaint(team, NOW)
    assert counts(team.lead)["to-allocate"] == 1

    # A case received: added.
    second = receive_complaint(team, NOW)
    assert counts(team.lead)["to-allocate"] == 2

    # Accepted and allocated through the services: to allocate, then to acknowledge (Pivotal
    # §9 stage 1 step 4).
    allocated(team, first)
    assert (counts(team.lead)["to-allocate"], counts(team.lead)["to-acknowledge"]) == (1, 1)

    # Around the services: a bulk update, as a data fix in the shell would make.
    Case.objects.filter(pk=second.pk).update(state=Case.State.CLOSED)
    assert counts(team.lead)["to-allocate"] == 0
    Case.objects.filter(pk=first.pk).update(next_due=date(2026, 3, 3))
    assert counts(team.lead)["overdue"] == 1

    # A complaint about the lead leaves their counts, and their lists (need to know).
    first.about_colleagues.add(team.lead)
    assert counts(team.lead)["overdue"] == 0
    first.about_colleagues.remove(team.lead)
    assert counts(team.lead)["overdue"] == 1


def test_an_allocator_s_counts_follow_a_case_moved_to_their_service_area(kept, team):
    area, other = (
        ServiceAreaFactory(organisation=team.org),
        ServiceAreaFactory(organisation=team.org),
    )
    team.allocator.service_area = area
    team.allocator.save()
    case = receive_complaint(team, NOW, service_area=other)
    assert counts(team.allocator)["to-allocate"] == 0

    Case.objects.filter(pk=case.pk).update(service_area=area)

    assert counts(team.allocator)["to-allocate"] == 1


def test_counts_are_read_again_only_after_a_change_a_count_can_see(kept, team):
    case = allocated(team, receive_complaint(team, NOW))
    ctx = QueueContext(user=team.lead, today=TODAY, cal=organisation_calendar(team.org))
    queue_counts(ctx=ctx)

    # Nothing changed: the organisation's token alone.
    with CaptureQueriesContext(connection) as queries:
        queue_counts(ctx=ctx)
    assert len(queries) == 1, [q["sql"] for q in queries]

    # A note touches no counted column: still the token alone.
    before = cases_changed(team.org.pk)
    case = s.case_add_note(case=case, actor=team.investigator, text="Rang the tenant back.")
    Case.objects.filter(pk=case.pk).update(summary="The boiler, again.")
    assert cases_changed(team.org.pk) == before
    with CaptureQueriesContext(connection) as queries:
        queue_counts(ctx=ctx)
    assert len(queries) == 1

    # Acknowledged: the state changed, so the counts are read again.
    s.case_acknowledge(case=case, actor=team.investigator, occurred_at=NOW)
    assert cases_changed(team.org.pk) != before
    with CaptureQueriesContext(connection) as queries:
        assert queue_counts(ctx=ctx)["to-acknowledge"] == 0
    assert len(queries) == 2


def test_another_organisation_s_change_leaves_the_token_alone(team):
    receive_complaint(team, NOW)
    theirs = make_team("mmbm")
    before = cases_changed(team.org.pk)

    receive_complaint(theirs, NOW)

    assert cases_changed(team.org.pk) == before
    assert cases_changed(OrganisationFactory().pk) is None  # no case yet


def test_every_link_to_a_colleague_changes_the_token(team):
    case = receive_complaint(team, NOW)
    for link in (
        lambda: case.access_named.add(team.reviewer),
        lambda: case.access_named.remove(team.reviewer),
        lambda: case.involvements.create(user=team.reviewer, role="handled"),
        lambda: case.involvements.update(role="decided"),
        lambda: case.involvements.all().delete(),
        lambda: case.about_colleagues.add(team.colleague),
    ):
        before = cases_changed(team.org.pk)
        link()
        assert cases_changed(team.org.pk) != before


def _disable_state_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks pending: ALTER may run
            cursor.execute("ALTER TABLE cases_case DISABLE TRIGGER case_updated_counted")
        else:
            cursor.execute("DROP TRIGGER case_updated_counted")


def test_a_change_the_triggers_missed_fails_the_tests_loudly(team):
    """In the test settings every call counts again and compares: had a trigger missed a
    change, the suite would say so. The DDL is undone with the test's transaction."""
    case = receive_complaint(team, NOW)
    assert counts(team.lead)["to-allocate"] == 1
    _disable_state_trigger()

    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)

    with pytest.raises(KeptStale, match="triggers missed"):
        counts(team.lead)


def test_my_work_s_counts_are_kept_the_same_way(kept, team):
    case = receive_complaint(team, NOW)
    ctx = QueueContext(user=team.allocator, today=TODAY, cal=organisation_calendar(team.org))
    assert my_work_and_queue_counts(ctx=ctx)[0]["total"] == 1

    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)

    assert my_work_and_queue_counts(ctx=ctx)[0]["total"] == 0


def _read(condition: Q) -> tuple[set[str], set[str]]:
    """The case columns and the link tables a condition reads."""
    columns: set[str] = set()
    links: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            more = _read(child)
            columns |= more[0]
            links |= more[1]
        elif isinstance(child, Exists):
            links.add(child.query.model._meta.db_table)
        else:
            field = child[0].split("__")[0]
            columns.add("id" if field == "pk" else Case._meta.get_field(field).attname)
    return columns, links


def test_every_column_and_link_the_counts_read_changes_the_token(team):
    """What the queues, My work and the need-to-know rule read, for a colleague in each role,
    is watched by the triggers (a column added to a queue without a new migration fails here)."""
    team.allocator.service_area = ServiceAreaFactory(organisation=team.org)
    columns: set[str] = set()
    links: set[str] = set()
    for user in (team.lead, team.allocator, team.investigator, team.reviewer, team.director):
        ctx = QueueContext(user=user, today=TODAY, cal=organisation_calendar(team.org))
        for condition in (
            full_access_q(user),
            my_work_q(user=user),
            *(q.holds(ctx) for q in QUEUES),
        ):
            more = _read(condition)
            columns |= more[0]
            links |= more[1]

    assert columns - {"id"} <= set(COUNTED_COLUMNS)
    assert links <= set(COUNTED_LINKS)
    assert {"state", "handler_id", "next_due", "restricted_access"} <= columns  # it read them
    # The migration's triggers name the same columns and links.
    migration = importlib.import_module("fairhear.cases.migrations.0028_cases_changed")
    assert migration.COLUMNS == COUNTED_COLUMNS
    assert migration.LINKS == COUNTED_LINKS
