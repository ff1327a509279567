"""Search at /cases/search/?q=: by reference (straight to the case), name, e-mail, phone,
postcode and words from the complaint and its notes; only cases the colleague may see."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.search import case_search, person_terms, reference_in
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
    cases = case_search(case_list_visible_to(user=team.allocator), "boiler")
    sql, params = cases.values("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        # With a handful of rows the planner would rather scan, or use the event kinds' index:
        # take those choices away (inside the test's transaction, so it is all rolled back).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("DROP INDEX event_kind_time")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    for index in ("case_search_text", "event_search_text", "person_search_text"):
        assert index in plan, plan
