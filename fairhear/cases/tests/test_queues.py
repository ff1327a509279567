"""The work queues: what each holds, for whom, their counts in the navigation, pages, sorting,
filters and the CSV export. Today is fixed (Wed 4 March 2026, no bank holidays near)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases import services as s
from fairhear.cases.case_list import FLAGS
from fairhear.cases.export import csv_safe
from fairhear.cases.models import Case
from fairhear.cases.queues import (
    QueueContext,
    my_work_and_queue_counts,
    names_open_states_only,
    queue_cases,
    queue_counts,
    queues_for,
)
from fairhear.cases.selectors import my_work_for
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
TODAY = NOW.date()


def london(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def handled(team: Team, at: datetime, handler=None, **kw) -> Case:
    """A stage 1 complaint received, accepted, allocated and acknowledged at `at`."""
    handler = handler or team.investigator
    case = receive_complaint(team, at, **kw)
    # Pivotal §9 stage 1 step 5: the line manager and Head of Services told the same day.
    s.case_record_managers_told(
        case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=at
    )
    s.case_accept(case=case, actor=team.allocator, occurred_at=at)
    s.case_allocate(case=case, actor=team.allocator, handler=handler, occurred_at=at)
    return s.case_acknowledge(case=case, actor=handler, occurred_at=at)


def responded(team: Team, at: datetime) -> Case:
    case = handled(team, at)
    signed_off(team, case, "response")  # Pivotal §13: the Head of Services agrees the outcome
    return s.case_respond(
        case=case, actor=team.investigator, outcome="upheld", reasons="The repair was late."
    )


def listed(client, slug: str, **params) -> str:
    response = client.get(reverse("cases:queue", args=[slug]), params)
    assert response.status_code == 200
    return page_text(response)


@pytest.fixture
def one_of_each(team: Team) -> dict[str, Case]:
    """One case for each queue, each worked out by hand."""
    allocated = receive_complaint(team, london(2026, 3, 3))
    s.case_record_managers_told(
        case=allocated,
        actor=team.colleague,
        told="Line manager",
        how="email",
        occurred_at=london(2026, 3, 3),
    )
    s.case_accept(case=allocated, actor=team.allocator, occurred_at=london(2026, 3, 3))
    allocated = s.case_allocate(
        case=allocated,
        actor=team.allocator,
        handler=team.investigator,
        occurred_at=london(2026, 3, 3),
    )
    waiting_on_customer = responded(team, london(2026, 3, 2))
    escalation = responded(team, london(2026, 2, 23))
    escalation = s.case_request_escalation(case=escalation, actor=team.colleague, requested_at=NOW)
    return {
        "new": receive_complaint(team, london(2026, 3, 4)),
        "allocated": allocated,
        # Pivotal §9 stage 1 step 6: respond within 10 working days of receipt.
        "overdue": handled(team, london(2026, 2, 2)),  # due Mon 16 Feb
        "due_soon": handled(team, london(2026, 2, 20)),  # due Fri 6 Mar: 2 working days on
        "later": handled(team, london(2026, 3, 3), handler=team.investigator2),  # Tue 17 Mar
        "waiting": waiting_on_customer,
        "escalation": escalation,
        "compliment": receive_complaint(
            team, london(2026, 3, 3), kind=CaseKind.COMPLIMENT, summary="Thank you, Sam."
        ),
    }


def test_each_queue_holds_the_cases_worked_out_by_hand_for_the_lead(client, team, one_of_each):
    c = one_of_each
    client.force_login(team.lead)

    expected = {
        # Received today and not yet accepted (Pivotal §9 stage 1).
        "to-allocate": {"new"},
        # Allocated Tue 3 Mar, not yet acknowledged (Pivotal §9 stage 1 step 4).
        "to-acknowledge": {"allocated"},
        # Mon 16 Feb has passed.
        "overdue": {"overdue"},
        # Thu 5 and Fri 6 Mar are the next 2 working days; allocated's acknowledgement is due
        # 2 working days after its allocation on Tue 3 Mar, on Thu 5 Mar; the new complaint's
        # allocation is due 2 working days after Wed 4 Mar, on Fri 6 Mar.
        "due-soon": {"due_soon", "allocated", "new"},
        "waiting": {"waiting"},
        "escalations": {"escalation"},
        "compliments": {"compliment"},
    }
    for slug, names in expected.items():
        text = listed(client, slug)
        shown = {name for name, case in c.items() if case.reference in text}
        assert shown == names, slug

    # Each count is in the navigation; the lead handles none of them.
    body = client.get(reverse("cases:my_work")).content.decode()
    for slug, names in {**expected, "mine": set()}.items():
        assert f'data-testid="queue-count-{slug}">{len(names)}<' in body, slug


def test_an_investigator_s_queues_hold_their_own_cases_and_no_allocation_queue(
    client, team, one_of_each
):
    client.force_login(team.investigator2)

    assert client.get(reverse("cases:queue", args=["to-allocate"])).status_code == 404
    assert client.get(reverse("cases:queue", args=["escalations"])).status_code == 404
    assert one_of_each["later"].reference in listed(client, "mine")
    # Another investigator's overdue case is not in this one's overdue queue.
    assert one_of_each["overdue"].reference not in listed(client, "overdue")
    assert "Nothing is overdue." in listed(client, "overdue")
    body = client.get(reverse("cases:my_work")).content.decode()
    assert "queue-count-to-allocate" not in body
    assert 'data-testid="queue-count-mine">1<' in body


def test_all_the_counts_are_one_query(team, one_of_each):
    """One read of whether the organisation's cases changed (changes.counts_kept), then one
    aggregate query for every count (the test settings always count again, to check)."""
    ctx = QueueContext(user=team.lead, today=TODAY, cal=organisation_calendar(team.org))

    with CaptureQueriesContext(connection) as queries:
        counts = queue_counts(ctx=ctx)

    assert len(queries) == 2
    assert "cases_caseschanged" in queries[0]["sql"]
    assert "COUNT" in queries[1]["sql"].upper()
    assert counts["overdue"] == 1
    assert counts["compliments"] == 1


def test_every_colleague_s_counts_are_the_cases_their_lists_show(team, one_of_each):
    """The navigation's counts and My work's total, for colleagues who oversee and who do not
    (their counts read only the cases some count holds, queues._counted), each equal to the
    number of cases the list itself holds; a reviewer's escalation request to decide is
    counted though they do not handle it."""
    for user in (
        team.lead,
        team.allocator,
        team.investigator,
        team.investigator2,
        team.reviewer,
        team.director,
        team.colleague,
    ):
        ctx = QueueContext(user=user, today=TODAY, cal=organisation_calendar(team.org))
        summary, counts = my_work_and_queue_counts(ctx=ctx)
        listed_counts = {
            q.slug: queue_cases(queue=q, ctx=ctx).count() for q in queues_for(user=user)
        }
        assert counts == listed_counts, user.username
        assert queue_counts(ctx=ctx) == listed_counts, user.username
        assert summary["total"] == my_work_for(user=user).count(), user.username
    reviewer = QueueContext(user=team.reviewer, today=TODAY, cal=organisation_calendar(team.org))
    assert one_of_each["escalation"].handler_id != team.reviewer.pk
    assert my_work_and_queue_counts(ctx=reviewer)[1]["escalations"] == 1
    investigator = QueueContext(
        user=team.investigator2, today=TODAY, cal=organisation_calendar(team.org)
    )
    # investigator2 handles one open case, allocated Tue 3 Mar and due Tue 17 Mar.
    assert my_work_and_queue_counts(ctx=investigator) == (
        {"total": 1, "overdue": 0, "soon": 0},
        {"mine": 1, "to-acknowledge": 0, "due-soon": 0, "overdue": 0, "waiting": 0},
    )


def test_a_complaint_about_the_colleague_is_in_none_of_their_queues_or_counts(client, team):
    about_them = receive_complaint(team, london(2026, 3, 4), about_colleagues=[team.allocator])
    client.force_login(team.allocator)

    assert about_them.reference not in listed(client, "to-allocate")
    body = client.get(reverse("cases:my_work")).content.decode()
    assert 'data-testid="queue-count-to-allocate">0<' in body
    export = client.get(reverse("cases:queue", args=["to-allocate"]), {"export": "csv"})
    assert about_them.reference not in b"".join(export.streaming_content).decode()


def _queue_queries(client, django_assert_max_num_queries) -> int:
    client.get(reverse("cases:queue", args=["to-allocate"]))  # the session's first save
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:queue", args=["to-allocate"]))
    assert response.status_code == 200
    return len(queries)


def test_a_queue_page_takes_the_same_queries_for_5_cases_as_for_50(
    client, team, django_assert_max_num_queries
):
    client.force_login(team.allocator)
    for _ in range(5):
        receive_complaint(team, london(2026, 3, 4))
    five = _queue_queries(client, django_assert_max_num_queries)
    for _ in range(45):
        receive_complaint(team, london(2026, 3, 4))
    fifty = _queue_queries(client, django_assert_max_num_queries)

    assert five == fifty
    assert fifty <= 15


def test_a_long_queue_is_shown_25_at_a_time_with_the_pager(client, team):
    cases = [receive_complaint(team, london(2026, 2, 9 + n % 20)) for n in range(30)]
    client.force_login(team.allocator)

    first = client.get(reverse("cases:queue", args=["to-allocate"]))
    second = client.get(reverse("cases:queue", args=["to-allocate"]), {"page": 2})

    assert "Showing 1 to 25 of 30 cases" in page_text(first)
    assert "Showing 26 to 30 of 30 cases" in page_text(second)
    assert 'class="govuk-pagination"' in first.content.decode()
    assert 'aria-current="page">2<' in second.content.decode().replace("\n", "")
    on_first = {c.reference for c in cases if c.reference in page_text(first)}
    on_second = {c.reference for c in cases if c.reference in page_text(second)}
    assert len(on_first) == 25
    assert len(on_second) == 5
    assert not on_first & on_second


def test_nothing_due_sorts_last_whichever_way_the_deadline_is_sorted(client, team):
    nothing_due = responded(team, london(2026, 3, 2))
    assert nothing_due.next_due is None
    overdue = handled(team, london(2026, 2, 2))  # due Mon 16 Feb
    later = handled(team, london(2026, 3, 3))  # due Tue 17 Mar
    client.force_login(team.investigator)

    ascending = listed(client, "mine")
    descending = listed(client, "mine", sort="-due")

    def order(text):
        return sorted((overdue, later, nothing_due), key=lambda c: text.index(c.reference))

    assert order(ascending) == [overdue, later, nothing_due]
    assert order(descending) == [later, overdue, nothing_due]


def test_filters_narrow_a_queue_and_a_wrong_date_is_named(client, team):
    safeguarding = receive_complaint(team, london(2026, 3, 4), safeguarding=True)
    ordinary = receive_complaint(team, london(2026, 3, 4))
    theirs = handled(team, london(2026, 2, 2))  # due Mon 16 Feb: overdue
    others = handled(team, london(2026, 2, 2), handler=team.investigator2)
    client.force_login(team.lead)

    by_flag = listed(client, "to-allocate", flags="safeguarding")
    by_handler = listed(client, "overdue", handler=str(team.investigator2.pk))
    wrong = page_text(
        client.get(reverse("cases:queue", args=["overdue"]), {"due_from": "31/02/2026"})
    )

    assert safeguarding.reference in by_flag
    assert ordinary.reference not in by_flag
    assert others.reference in by_handler
    assert theirs.reference not in by_handler
    assert "There is a problem" in wrong
    assert "Enter the 'from' date as a date, for example 2026-03-27." in wrong
    # The wrong filter is left out; the list still shows the queue.
    assert theirs.reference in wrong
    assert others.reference in wrong


def test_a_due_date_range_filter_keeps_the_cases_due_in_it(client, team):
    feb = handled(team, london(2026, 2, 2))  # due Mon 16 Feb
    march = handled(team, london(2026, 3, 3))  # due Tue 17 Mar
    client.force_login(team.investigator)

    text = listed(client, "mine", due_from="2026-03-01", due_to="2026-03-31")

    assert march.reference in text
    assert feb.reference not in text


def test_the_csv_is_the_filtered_list_streamed_with_formulas_made_harmless(client, team):
    risky = handled(
        team,
        london(2026, 3, 3),
        complainant=s.PersonDetails(name='=HYPERLINK("http://x")', email="a@example.org"),
    )
    plain = handled(team, london(2026, 2, 2))
    other = handled(team, london(2026, 3, 3), handler=team.investigator2)
    client.force_login(team.investigator)

    response = client.get(reverse("cases:queue", args=["mine"]), {"export": "csv"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv"
    assert "fairhear-mine-2026-03-04.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Reference", "Kind", "Received"]
    by_ref = {r[0]: r for r in rows[1:]}
    assert set(by_ref) == {risky.reference, plain.reference}
    assert other.reference not in by_ref
    assert by_ref[risky.reference][3] == '\'=HYPERLINK("http://x")'
    assert by_ref[plain.reference][2] == "2026-02-02"
    assert by_ref[plain.reference][10] == "2026-02-16"
    assert [r[0] for r in rows[1:]] == [plain.reference, risky.reference]  # the list's order


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(value):
    assert csv_safe(value) == "'" + value


def test_an_ordinary_cell_is_left_as_it_is():
    assert csv_safe("Ada Lovelace") == "Ada Lovelace"
    assert csv_safe(date(2026, 3, 4)) == "2026-03-04"
    assert csv_safe(None) == ""
    assert set(FLAGS) == {
        "safeguarding",
        "health_and_safety",
        "anti_social_behaviour",
        "anonymous",
        "restricted_access",
    }


def test_the_header_says_who_is_signed_in(client, team):
    team.lead.first_name, team.lead.last_name, team.lead.job_title = "Lisa", "P", "Head"
    team.lead.save()
    client.force_login(team.lead)

    text = page_text(client.get(reverse("cases:my_work"))).replace(" ,", ",")

    assert "Signed in as Lisa P, Head" in text


def test_my_work_puts_the_next_thing_to_do_on_top(client, team):
    later = handled(team, london(2026, 3, 3))  # due Tue 17 Mar
    overdue = handled(team, london(2026, 2, 2))  # due Mon 16 Feb
    client.force_login(team.investigator)

    response = client.get(reverse("cases:my_work"))

    body = response.content.decode()
    top = body[body.index('data-testid="next-thing"') :]
    top = page_text(type("R", (), {"content": top[: top.index("</div>")].encode()}))
    assert overdue.reference in top
    assert "Mon 16 Feb 2026 (overdue by 12 working days)" in top
    assert later.reference not in top


def test_restricted_cases_are_a_queue_for_the_lead_only(client, team):
    restricted = receive_complaint(team, london(2026, 3, 4))
    s.case_restrict_access(
        case=restricted, actor=team.lead, reason="Staff conduct (Pivotal App. 3 E).", named=[]
    )
    open_to_all = receive_complaint(team, london(2026, 3, 4))
    client.force_login(team.lead)

    text = listed(client, "restricted")

    assert restricted.reference in text
    assert open_to_all.reference not in text
    body = client.get(reverse("cases:my_work")).content.decode()
    assert 'data-testid="queue-count-restricted">1<' in body
    client.force_login(team.allocator)
    assert client.get(reverse("cases:queue", args=["restricted"])).status_code == 404


def test_what_came_in_by_the_form_or_e_mail_is_counted_to_triage_and_opens_the_triage_page(
    client, team
):
    by_form = receive_complaint(team, london(2026, 3, 4), channel=Case.Channel.WEB)
    by_email = receive_complaint(
        team, london(2026, 3, 3), channel=Case.Channel.EMAIL, kind=CaseKind.SUGGESTION
    )
    by_phone = receive_complaint(team, london(2026, 3, 4))  # a colleague took it down
    client.force_login(team.allocator)

    body = client.get(reverse("cases:my_work")).content.decode()
    assert 'data-testid="queue-count-to-triage">2<' in body
    assert f'href="{reverse("intake:triage")}"' in body
    triage = page_text(client.get(reverse("intake:triage")))
    assert by_form.reference in triage
    assert by_email.reference in triage
    assert by_phone.reference not in triage
    # An investigator does not triage: no queue, no count.
    client.force_login(team.investigator)
    assert "queue-count-to-triage" not in client.get(reverse("cases:my_work")).content.decode()


def test_a_row_shown_before_shows_what_changed_since(client, team):
    """A list's rows are made once for the same words (case_list.CaseRow.html): a colleague
    renamed, a deadline passed overnight or a case moved on shows on the next page."""
    case = handled(team, london(2026, 2, 20))  # due Fri 6 Mar: 2 working days on
    client.force_login(team.lead)
    first = listed(client, "due-soon")
    assert case.reference in first
    assert "Due in 2 working days" in first
    assert str(team.investigator) in first

    team.investigator.first_name = "Renamed"
    team.investigator.save()
    body = client.get(reverse("cases:queue", args=["due-soon"])).content.decode()
    table = body[body.index("<table") : body.index("</table>")]
    assert "Renamed" in table

    with time_machine.travel(datetime(2026, 3, 9, 10, 0, tzinfo=LONDON), tick=False):
        # Mon 9 Mar: Fri 6 Mar has passed (and the idle session with it: sign in again).
        client.force_login(team.lead)
        later = listed(client, "overdue")
    assert case.reference in later
    assert "Overdue by 1 working day" in later


@pytest.mark.parametrize(
    ("condition", "open_only"),
    [
        (Q(state="received"), True),
        (Q(state__in=["received", "awaiting_allocation"]), True),
        (Q(kind="complaint") & Q(state="responded"), True),
        (Q(pk__in=[]) | Q(state="escalation_requested"), True),
        (Q(state="closed"), False),
        (Q(state__in=["received", "closed"]), False),
        (Q(state="received") | Q(kind="complaint"), False),
        (~Q(state="closed"), False),
        (Q(next_due__lt=TODAY), False),
        (Q(), False),
    ],
)
def test_a_queue_is_taken_as_open_cases_only_when_its_condition_names_only_open_states(
    condition, open_only
):
    """queue_cases adds "and open" unless the queue's own condition says so already."""
    assert names_open_states_only(condition) is open_only


def test_no_queue_lists_a_closed_or_refused_case(client, team, one_of_each):
    closed = responded(team, london(2026, 2, 2))
    s.case_close(case=closed, actor=team.investigator, reason_code="10.1c")  # Pivotal §10.1 c
    # The investigator still handles it, which "My cases" would hold but for its state.
    for user in (team.lead, team.investigator):
        ctx = QueueContext(user=user, today=TODAY, cal=organisation_calendar(team.org))
        for queue in queues_for(user=user):
            listed_ids = set(queue_cases(queue=queue, ctx=ctx).values_list("pk", flat=True))
            assert closed.pk not in listed_ids, (user.username, queue.slug)
