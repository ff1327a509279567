"""The queue counts' and My work's SQL, built once per colleague and day (fairhear/sql_memo.py):
the counts are still counted on every page, a colleague whose access changes gets their new
counts, and a memo whose key misses an input is caught. Today is fixed (Wed 4 March 2026)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Count, Q
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear import sql_memo
from fairhear.accounts.models import ServiceArea
from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases import services as s
from fairhear.cases.clock_presenters import due_soon_until
from fairhear.cases.models import Case
from fairhear.cases.queues import (
    QueueContext,
    my_work_and_queue_counts,
    queue_cases,
    queue_counts,
    queues_for,
)
from fairhear.cases.selectors import case_get_for_user, my_work_for
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.policy.schema import Capability

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026


@pytest.fixture(autouse=True)
def _today():
    sql_memo._MEMO.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    sql_memo._MEMO.clear()


def _ctx(user, day=None) -> QueueContext:
    return QueueContext(
        user=user, today=day or NOW.date(), cal=organisation_calendar(user.organisation)
    )


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_the_counts_are_counted_again_on_every_page_with_the_sql_built_once(monkeypatch):
    team = make_team("pivotal")
    built = []
    real = sql_memo._sql_of

    def counting(build):
        built.append(1)
        return real(build)

    monkeypatch.setattr(sql_memo, "_sql_of", counting)
    before = queue_counts(ctx=_ctx(team.lead))
    receive_complaint(team, NOW)
    receive_complaint(team, NOW)
    after = queue_counts(ctx=_ctx(team.lead))

    assert len(built) == 1
    # Two complaints received by staff: both wait to be accepted or allocated.
    assert after["to-allocate"] == before["to-allocate"] + 2


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_a_colleague_given_a_capability_is_counted_by_their_new_access():
    team = make_team("pivotal")
    receive_complaint(team, NOW)
    investigator = team.investigator
    assert "to-allocate" not in queue_counts(ctx=_ctx(investigator))
    assert my_work_and_queue_counts(ctx=_ctx(investigator))[0]["total"] == 0

    investigator.capabilities = [*investigator.capabilities, Capability.ALLOCATE.value]
    investigator.save()

    assert queue_counts(ctx=_ctx(investigator))["to-allocate"] == 1
    assert my_work_and_queue_counts(ctx=_ctx(investigator))[0]["total"] == 1


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_the_next_day_counts_by_the_next_days_dates():
    team = make_team("pivotal")
    case = receive_complaint(team, NOW)
    case.refresh_from_db()
    due = case.next_due
    assert due is not None
    on_the_day = my_work_and_queue_counts(ctx=_ctx(team.lead, due))[0]
    the_day_after = my_work_and_queue_counts(ctx=_ctx(team.lead, due + timedelta(days=1)))[0]

    assert on_the_day["overdue"] == 0
    assert the_day_after["overdue"] == 1


def test_a_key_that_misses_an_input_is_caught_where_the_check_is_on():
    team = make_team("pivotal")
    cases = Case.objects.filter(organisation=team.org)

    def by_kind(kind: str):
        return lambda: (cases, {"n": Count("pk", filter=Q(kind=kind))})

    assert sql_memo.memo_aggregate("same key", by_kind("complaint")) == {"n": 0}
    with pytest.raises(sql_memo.SqlMemoMismatch):
        sql_memo.memo_aggregate("same key", by_kind("compliment"))


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_my_works_pages_read_by_the_remembered_sql_are_the_lists_own_pages(client):
    team = make_team("pivotal")
    made = [receive_complaint(team, NOW) for _ in range(27)]
    client.force_login(team.lead)

    def shown(query: str) -> list[str]:
        body = client.get(reverse("cases:my_work") + query).content.decode()
        return [c.reference for c in made if f">{c.reference}</a>" in body]

    first, second = shown(""), shown("?page=2")
    by_reference = shown("?sort=reference")

    # 27 cases received at the same moment: 25 on the first page, 2 on the second, none twice.
    assert len(first) == 25
    assert len(second) == 2
    assert not set(first) & set(second)
    assert sorted(by_reference) == sorted(c.reference for c in made)[:25]


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_an_empty_queue_reads_no_page_of_cases_and_builds_nothing_again(client, monkeypatch):
    # The investigator handles nothing yet: "my cases" is empty. Its page says so without
    # asking the database for a page of ids, and with nothing to build on the next visit.
    team = make_team("pivotal")
    receive_complaint(team, NOW)
    client.force_login(team.investigator)
    url = reverse("cases:queue", args=["mine"])
    client.get(url)
    built = []
    real = sql_memo._sql_of
    monkeypatch.setattr(sql_memo, "_sql_of", lambda run: built.append(1) or real(run))

    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()

    assert "0 cases" not in body
    assert "these 0" not in body
    assert 'data-testid="queue"' not in body  # no table of cases
    assert built == []
    ids_read = 'SELECT "cases_case"."id"'
    assert not [q for q in captured.captured_queries if q["sql"].startswith(ids_read)]
    # A case allocated to them is on the same page at once.
    case = receive_complaint(team, NOW)
    s.case_accept(case=case, actor=team.allocator)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    assert f">{case.reference}</a>" in client.get(url).content.decode()


def test_my_work_and_the_queues_counted_in_one_query_are_each_lists_own_size(client):
    # Three complaints received by staff (all waiting to be accepted or allocated), one of
    # them allocated to the investigator; the counts on My work's page must be the lists'.
    team = make_team("pivotal")
    cases = [receive_complaint(team, NOW) for _ in range(3)]
    s.case_accept(case=cases[0], actor=team.allocator)
    s.case_allocate(case=cases[0], actor=team.allocator, handler=team.investigator)

    for user in (team.lead, team.allocator, team.investigator, team.reviewer):
        ctx = _ctx(user)
        summary, sizes = my_work_and_queue_counts(ctx=ctx)
        work = my_work_for(user=user)
        assert summary == {
            "total": work.count(),
            "overdue": work.filter(next_due__lt=ctx.today).count(),
            "soon": work.filter(
                next_due__gte=ctx.today, next_due__lte=due_soon_until(ctx.today, ctx.cal)
            ).count(),
        }
        assert sizes == {
            q.slug: queue_cases(queue=q, ctx=ctx).count() for q in queues_for(user=user)
        }
    assert my_work_and_queue_counts(ctx=_ctx(team.investigator))[0]["total"] == 1
    assert my_work_and_queue_counts(ctx=_ctx(team.lead))[1]["to-allocate"] == 2


def test_my_works_page_counts_its_list_and_its_queues_in_one_query(client):
    team = make_team("pivotal")
    receive_complaint(team, NOW)
    client.force_login(team.lead)
    client.get(reverse("cases:my_work"))

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("cases:my_work"))

    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    # One aggregate over the open cases (My work's total, overdue, due soon and every
    # queue), and the unread notifications'.
    assert len([sql for sql in counts if '"cases_case"' in sql]) == 1


# memo_fetch: the case page's reads (the case by reference, its related cases), built once per
# colleague with the values that change from page to page put in at each call.


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_each_case_opened_by_the_remembered_read_is_that_case_and_only_if_visible(monkeypatch):
    team = make_team("pivotal")
    first, second = receive_complaint(team, NOW), receive_complaint(team, NOW)
    built = []
    real = sql_memo._read_for
    monkeypatch.setattr(sql_memo, "_read_for", lambda *a: built.append(1) or real(*a))

    opened = [case_get_for_user(user=team.lead, reference=c.reference) for c in (first, second)]

    assert [c.pk for c in opened] == [first.pk, second.pk]
    assert opened[1].complainant.name == second.complainant.name  # the joined rows too
    assert len(built) == 1
    # The investigator handles neither: the same read, their own need-to-know rule.
    with pytest.raises(Case.DoesNotExist):
        case_get_for_user(user=team.investigator, reference=first.reference)
    s.case_accept(case=first, actor=team.allocator)
    s.case_allocate(case=first, actor=team.allocator, handler=team.investigator)
    assert case_get_for_user(user=team.investigator, reference=first.reference).pk == first.pk
    with pytest.raises(Case.DoesNotExist):
        case_get_for_user(user=team.investigator, reference=second.reference)


@override_settings(FAIRHEAR_SQL_MEMO_CHECK=False)
def test_a_value_of_none_and_a_time_are_read_as_the_orm_would():
    team = make_team("pivotal")
    area = ServiceArea.objects.create(organisation=team.org, name="Tenancies", kind="housing")
    early = receive_complaint(team, NOW - timedelta(days=3), service_area=area)
    late = receive_complaint(team, NOW)  # no service area

    def build(values):
        return (
            Case.objects.filter(
                organisation_id=values["org"],
                service_area_id=values["area"],
                received_at__gte=values["since"],
            )
            .values_list("reference", "received_at")
            .order_by("pk")
        )

    def read(area, since):
        values = {"org": team.org.pk, "area": area, "since": since}
        return sql_memo.memo_fetch("test", build, values)

    assert read(None, NOW - timedelta(days=5)) == [(late.reference, late.received_at)]
    assert read(area.pk, NOW - timedelta(days=5)) == [(early.reference, early.received_at)]
    assert read(area.pk, NOW - timedelta(days=1)) == []


def test_a_value_the_orm_changes_or_that_changes_the_statement_is_refused():
    team = make_team("pivotal")
    cases = Case.objects.filter(organisation=team.org)

    with pytest.raises(sql_memo.SqlMemoMismatch):  # contains: the value becomes %value%
        sql_memo.memo_fetch(
            "contains", lambda v: cases.filter(summary__contains=v["text"]), {"text": "lift"}
        )
    with pytest.raises(sql_memo.SqlMemoMismatch):  # the statement depends on the value
        sql_memo.memo_fetch(
            "shape",
            lambda v: cases.filter(stage__gte=1) if v["n"] == 2 else cases,
            {"n": 2},
        )


def test_the_check_catches_a_remembered_read_whose_key_misses_an_input():
    team = make_team("pivotal")
    cases = Case.objects.filter(organisation=team.org)

    sql_memo.memo_fetch("same key", lambda v: cases.filter(kind="complaint", pk=v["pk"]), {"pk": 1})
    with pytest.raises(sql_memo.SqlMemoMismatch):
        sql_memo.memo_fetch(
            "same key", lambda v: cases.filter(kind="compliment", pk=v["pk"]), {"pk": 1}
        )
