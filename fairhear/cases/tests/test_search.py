"""Search at /cases/search/?q=: by reference (straight to the case), name, e-mail, phone,
postcode and words from the complaint and its notes; only cases the colleague may see."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear.cases import search as search_module
from fairhear.cases import services as s
from fairhear.cases.case_list import case_list_sorted
from fairhear.cases.models import Case
from fairhear.cases.search import (
    _capped_ways,
    case_search,
    case_search_count,
    case_search_in_order,
    case_search_results,
    person_terms,
    reference_in,
)
from fairhear.cases.selectors import case_list_visible_to
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


@pytest.fixture
def boiler(team: Team) -> Case:
    return receive_complaint(
        team,
        datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
        summary="The boiler at the flat broke in January and nobody came to mend it.",
        complainant=s.PersonDetails(
            name="Grace Hopper",
            email="grace.hopper@example.org",
            phone="07700 900123",
            address="12 Harbour Road\nPoole\nBH15 1AA",
        ),
    )


@pytest.fixture
def other(team: Team) -> Case:
    return receive_complaint(
        team,
        datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
        summary="The garden fence has been down since the storm.",
        complainant=s.PersonDetails(name="Alan Turing", email="alan@example.org"),
    )


def search(client, q: str, **params):
    return client.get(reverse("cases:search"), {"q": q, **params})


@pytest.mark.parametrize(
    "query",
    [
        "boiler",  # a word from the complaint
        "nobody came to mend it",  # a phrase from it
        "Grace Hopper",  # the complainant's name
        "hopper",
        "grace.hopper@example.org",  # the e-mail address
        "07700 900123",  # the phone number as written
        "07700900123",  # and without its space
        "BH15 1AA",  # the postcode
        "bh151aa",  # without its space, in small letters
    ],
)
def test_a_case_is_found_by_what_a_colleague_remembers(client, team, boiler, other, query):
    client.force_login(team.allocator)

    text = page_text(search(client, query))

    assert boiler.reference in text
    assert other.reference not in text
    assert "1 case" in text


def test_a_case_is_found_by_the_words_of_its_notes(client, team, boiler, other):
    s.case_add_note(case=boiler, actor=team.allocator, text="Contractor Aquaheat booked Friday.")
    client.force_login(team.allocator)

    text = page_text(search(client, "aquaheat"))

    assert boiler.reference in text
    assert other.reference not in text


def test_the_organisation_kept_with_the_words_is_not_a_word_anyone_can_search_for(
    client, team, boiler, other
):
    # The index holds each case's words with one more lexeme, "organisation N" (migration
    # cases/0025), which the search adds to the words typed: typing it finds nothing.
    client.force_login(team.lead)

    text = page_text(search(client, f"organisation {team.org.pk}"))

    assert "No case you can see matches" in text
    assert boiler.reference not in text
    assert other.reference not in text


@pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"],
    reason="stop words are PostgreSQL's full-text search",
)
def test_words_that_are_all_stop_words_find_nothing_rather_than_every_case(team, boiler, other):
    visible = case_list_visible_to(user=team.lead)

    for organisation_id in (team.org.pk, None):
        found = case_search(visible, "the and of", organisation_id=organisation_id)
        counted = case_search_count(visible, "the", cap=10, organisation_id=organisation_id)
        assert list(found) == []
        assert counted == 0


def test_a_reference_typed_any_way_goes_straight_to_the_case(client, team, boiler):
    client.force_login(team.allocator)
    typed = boiler.reference.lower().replace("-", " ").replace("0", "o")

    response = search(client, typed)

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[boiler.reference])


def test_a_case_the_colleague_may_not_see_is_never_found(client, team):
    about_them = receive_complaint(
        team,
        datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
        summary="The allocator was rude about the boiler.",
        about_colleagues=[team.allocator],
    )
    client.force_login(team.allocator)

    by_reference = search(client, about_them.reference)
    by_words = page_text(search(client, "rude"))
    export = search(client, "rude", export="csv")

    assert by_reference.status_code == 200  # no redirect: nothing says it exists
    assert "No case you can see matches" in page_text(by_reference)
    assert reverse("cases:detail", args=[about_them.reference]) not in (
        by_reference.content.decode()
    )
    assert "No case you can see matches" in by_words
    assert about_them.reference not in b"".join(export.streaming_content).decode()
    client.force_login(team.lead)
    assert about_them.reference in page_text(search(client, "rude"))


def test_filters_apply_to_search_results(client, team, boiler, other):
    s.case_accept(case=other, actor=team.allocator)
    client.force_login(team.allocator)

    everything = page_text(search(client, "", status="awaiting_allocation"))
    received = page_text(search(client, "", status="received"))

    assert other.reference in everything
    assert boiler.reference not in everything
    assert boiler.reference in received
    assert other.reference not in received


def test_an_empty_search_lists_nothing_and_says_how_to_search(client, team, boiler):
    client.force_login(team.allocator)

    text = page_text(client.get(reverse("cases:search")))

    assert boiler.reference not in text
    assert "A reference such as C-2026-7KX-M2Q opens the case." in text


def test_search_takes_the_same_queries_for_5_cases_as_for_50(client, team):
    client.force_login(team.allocator)

    def count() -> int:
        search(client, "boiler")
        with CaptureQueriesContext(connection) as queries:
            response = search(client, "boiler")
        assert "boiler" in response.content.decode()
        return len(queries)

    for _ in range(5):
        receive_complaint(team, datetime(2026, 3, 2, 9, 30, tzinfo=LONDON), summary="Boiler.")
    five = count()
    for _ in range(45):
        receive_complaint(team, datetime(2026, 3, 2, 9, 30, tzinfo=LONDON), summary="Boiler.")
    fifty = count()

    assert five == fifty <= 15


def test_reference_in_reads_references_typed_or_heard():
    assert reference_in("c-2026-7kx-m2q") == "C-2026-7KX-M2Q"
    assert reference_in(" C 2026 7KX M2Q ") == "C-2026-7KX-M2Q"
    assert reference_in("c20267kxm2q") == "C-2026-7KX-M2Q"
    assert reference_in("C-2026-7KX-M2O") == "C-2026-7KX-M20"  # O read as zero
    assert reference_in("boiler") is None
    assert reference_in("07700 900123") is None


def test_person_terms_add_the_phone_digits_and_the_postcode_without_its_space():
    assert person_terms("07700 900123") == ["07700 900123", "07700900123"]
    assert person_terms("bh15 1aa") == ["bh15 1aa", "BH151AA"]
    assert person_terms("Grace") == ["Grace"]


@pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"],
    reason="the GIN indexes are PostgreSQL's",
)
def test_postgresql_answers_a_search_from_the_gin_indexes(team, boiler):
    visible = case_list_visible_to(user=team.allocator)
    cases = case_search(visible, "boiler", organisation_id=team.org.pk)
    sql, params = cases.values("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        # With a handful of rows the planner would rather scan, or use the event kinds' index:
        # take those choices away (inside the test's transaction, so it is all rolled back).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("DROP INDEX event_kind_time")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    for index in ("case_search_words", "event_search_text", "person_search_text"):
        assert index in plan, plan


# Many matches: the page counts at most SEARCH_CAP of them and walks the cases in the list's order.


def copies(case: Case, n: int, *, summary: str | None = None) -> list[Case]:
    """`n` copies of a stored case (as the benchmark's generator makes them), each with its own
    reference, deadline and time received, so that the list's order mixes them; every fifth
    has no deadline (sorted last)."""
    made = []
    for i in range(n):
        copy = Case.objects.get(pk=case.pk)
        copy.pk = None
        copy.reference = f"T-{i:04d}-{case.pk:03d}"
        copy.next_due = None if i % 5 == 0 else date(2026, 3, 5) + timedelta(days=(i * 7) % 23)
        copy.received_at = case.received_at - timedelta(minutes=(i * 13) % 61)
        if summary is not None:
            copy.summary = summary
        made.append(copy)
    return Case.objects.bulk_create(made)


def in_list_order(cases: list[Case]) -> list[str]:
    """References in the list's default order: soonest due first (none last), then received,
    then id."""
    ordered = sorted(
        cases, key=lambda c: (c.next_due is None, c.next_due or date.min, c.received_at, c.pk)
    )
    return [c.reference for c in ordered]


def references_on(response) -> list[str]:
    """The references of the cases listed, in the order shown."""
    table = response.content.decode().partition('data-testid="search-results"')[2]
    return re.findall(r'href="/cases/([A-Z]-[0-9A-Z-]+)/"', table.partition("</table>")[0])


def test_more_than_1000_matches_say_so_and_show_the_first_page_in_order(client, team, boiler):
    many = copies(boiler, 1001)
    fence = receive_complaint(team, NOW - timedelta(days=1), summary="The fence is down.")
    client.force_login(team.allocator)

    response = search(client, "boiler")
    text = page_text(response)

    assert "More than 1,000 cases match: add words or filters to narrow the search." in text
    assert "1,002" not in text
    assert "1002" not in text
    assert references_on(response) == in_list_order([boiler, *many])[:25]
    assert fence.reference not in text
    content = response.content.decode()
    assert 'aria-label="Page 2"' in content
    assert 'rel="next"' in content
    assert 'aria-label="Page 41"' not in content
    assert 'aria-label="Page 40"' not in content


def test_the_pages_of_many_matches_stop_at_the_first_1000(client, team, boiler):
    many = copies(boiler, 1001)
    client.force_login(team.allocator)

    second = search(client, "boiler", page="2")
    last = search(client, "boiler", page="40")
    beyond = search(client, "boiler", page="41")

    ordered = in_list_order([boiler, *many])
    assert references_on(second) == ordered[25:50]
    assert references_on(last) == ordered[975:1000]
    assert "Showing 976 to 1000" in page_text(last)
    assert 'rel="next"' not in last.content.decode()
    assert page_text(beyond) == page_text(last)  # a page past the end is the last one


def test_under_the_cap_the_count_is_exact(client, team, boiler, other):
    many = copies(boiler, 29)
    client.force_login(team.allocator)

    response = search(client, "boiler")
    text = page_text(response)

    assert "Showing 1 to 25 of 30 cases" in text
    assert "More than" not in text
    assert references_on(response) == in_list_order([boiler, *many])[:25]
    assert other.reference not in text


@pytest.mark.parametrize("query", ["boiler", "aquaheat", "hopper", "Lamarr", "07700900123"])
def test_walking_the_cases_in_order_finds_what_the_indexes_find(team, boiler, other, query):
    """The complaint's words, a note's, the complainant's and the representative's details:
    tested case by case (many matches) or looked up (few), the same cases in the same order."""
    s.case_add_note(case=boiler, actor=team.allocator, text="Contractor Aquaheat booked Friday.")
    with_rep = receive_complaint(
        team,
        datetime(2026, 3, 1, 9, 0, tzinfo=LONDON),
        summary="Noise from next door every night.",
        representative=s.PersonDetails(name="Hedy Lamarr", email="hedy@example.org"),
    )
    copies(boiler, 12)
    copies(with_rep, 12)
    copies(other, 12)
    visible = case_list_visible_to(user=team.allocator)

    walked = list(case_list_sorted(case_search_in_order(visible, query), "due"))
    looked_up = list(case_list_sorted(case_search(visible, query), "due"))

    assert walked == looked_up
    assert walked, query
    assert [c.reference for c in walked] == in_list_order(looked_up)


def test_a_case_the_colleague_may_not_see_is_never_counted_or_shown(
    client, team, boiler, monkeypatch
):
    monkeypatch.setattr(search_module, "SEARCH_CAP", 3)
    hidden = receive_complaint(
        team,
        datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
        summary="The allocator never fixed the boiler.",
        about_colleagues=[team.allocator],
    )
    mine = copies(boiler, 2)  # three visible matches with the boiler case: not more than 3
    copies(hidden, 5)  # copies keep nobody "about"; these are visible too ...
    Case.objects.filter(reference__startswith="T-", summary__contains="never fixed").update(
        restricted_access=True  # ... until restricted to the people named on them
    )
    client.force_login(team.allocator)
    visible = case_list_visible_to(user=team.allocator)

    text = page_text(search(client, "boiler"))

    assert case_search_count(visible, "boiler", cap=3) == 3
    assert "3 cases" in text
    assert "More than" not in text
    assert hidden.reference not in text
    assert set(references_on(search(client, "boiler"))) == {
        boiler.reference,
        *(c.reference for c in mine),
    }


def test_the_count_stops_one_past_the_cap_and_is_exact_below_it(team, boiler):
    copies(boiler, 6)  # seven matches
    visible = case_list_visible_to(user=team.allocator)

    assert case_search_count(visible, "boiler", cap=10) == 7
    assert case_search_count(visible, "boiler", cap=7) == 7
    assert case_search_count(visible, "boiler", cap=6) == 7  # more than 6
    assert case_search_count(visible, "boiler", cap=3) == 4
    assert case_search_count(visible, "garden", cap=3) == 0
    # The complainant's name, not the complaint's words: counted the same way.
    assert case_search_count(visible, "hopper", cap=10) == 7
    assert case_search_count(visible, "hopper", cap=3) == 4


def test_the_count_adds_the_ways_to_match_without_counting_a_case_twice(team, boiler, other):
    s.case_add_note(case=other, actor=team.allocator, text="Boiler checked as well.")
    s.case_add_note(case=boiler, actor=team.allocator, text="The boiler again.")
    copies(boiler, 2)  # three with the word in the complaint (one also in a note), one in a note
    visible = case_list_visible_to(user=team.allocator)

    assert case_search_count(visible, "boiler", cap=10) == 4
    assert case_search_count(visible, "boiler", cap=3) == 4  # more than 3
    assert case_search_count(visible, "boiler", cap=4) == 4


@pytest.mark.parametrize("order", ["due", "reference", "-due", "received", "-reference"])
def test_a_page_of_many_matches_is_the_same_as_the_list_of_all_of_them(team, boiler, other, order):
    copies(boiler, 40)
    copies(other, 40, summary="The boiler and the garden fence.")
    visible = case_list_visible_to(user=team.allocator)
    everything = list(case_list_sorted(case_search(visible, "boiler"), order))

    for number, rows in ((1, everything[:25]), (2, everything[25:50])):
        page = case_search_results(visible, "boiler", order=order, number=number, cap=60)
        assert page.paginator.more
        assert list(page.object_list) == rows
    last = case_search_results(visible, "boiler", order=order, number=3, cap=60)
    assert list(last.object_list) == everything[50:60]


def test_the_export_of_a_search_has_every_match_however_many(client, team, boiler, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CAP", 5)
    many = copies(boiler, 9)
    client.force_login(team.allocator)

    page = page_text(search(client, "boiler"))
    export = b"".join(search(client, "boiler", export="csv").streaming_content).decode()

    assert "More than 5 cases match" in page
    for case in (boiler, *many):
        assert case.reference in export


@pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"],
    reason="the ordering index is PostgreSQL's plan",
)
def test_postgresql_walks_many_matches_through_the_list_order_index(team, boiler):
    cases = case_list_sorted(
        case_search_in_order(case_list_visible_to(user=team.allocator), "boiler"), "due"
    )[:25]
    sql, params = cases.query.sql_with_params()

    with connection.cursor() as cursor:
        # A handful of rows: take the scan and the sort away, as a million cases would.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "case_org_due" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"],
    reason="the GIN indexes are PostgreSQL's",
)
def test_postgresql_counts_from_the_gin_indexes(team, boiler):
    # Each way to match, as the count reads it, over every case: with the colleague's access
    # rule on top a handful of rows would rather be found by organisation, which says nothing
    # about whether each way's expression is still its index's.
    first, *rest = _capped_ways(Case.objects.all(), "boiler", cap=1000, organisation_id=team.org.pk)
    sql, params = first.union(*rest).query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("DROP INDEX event_kind_time")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    for index in ("case_search_words", "event_search_text", "person_search_text"):
        assert index in plan, plan
