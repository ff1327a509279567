"""Case references: C-<year>-<three>-<three>, e.g. C-2026-7KX-M2Q. Each organisation counts its
own cases per London year of receipt, and the count is shuffled with the organisation's own key,
so a reference reveals neither how many cases anyone logged nor a gap where a case the reader
may not see sits (docs/security.md, "Case references"). Never repeated, even when many
colleagues log cases at the same moment."""

from __future__ import annotations

import itertools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from fairhear.cases.models import Case, ReferenceCounter
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.references import case_reference

CODE = "[0-9A-HJKMNP-TV-Z]"  # Crockford's base 32: no I, L, O or U


def shape(year: int) -> re.Pattern:
    return re.compile(rf"C-{year}-{CODE}{{3}}-{CODE}{{3}}")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 3, 4, 10, 0, tzinfo=LONDON), tick=False):
        yield


def counter(team, year: int) -> ReferenceCounter:
    return ReferenceCounter.objects.get(organisation=team.org, year=year)


@pytest.mark.django_db
def test_each_organisation_counts_its_own_cases_per_year():
    ours, theirs = make_team("pivotal"), make_team("mmbm")
    received = [
        datetime(2025, 12, 30, 9, 0, tzinfo=LONDON),
        datetime(2025, 12, 31, 23, 59, tzinfo=LONDON),  # the last minute of 2025
        datetime(2026, 1, 1, 0, 0, tzinfo=LONDON),  # the first minute of 2026
        datetime(2026, 1, 2, 10, 0, tzinfo=LONDON),
        datetime(2025, 11, 3, 10, 0, tzinfo=LONDON),  # a 2025 case logged late is a 2025 case
    ]
    for moment in received:
        receive_complaint(theirs, moment)

    mine = [receive_complaint(ours, moment).reference for moment in received]

    years = [2025, 2025, 2026, 2026, 2025]
    assert all(shape(y).fullmatch(r) for y, r in zip(years, mine, strict=True)), mine
    assert len(set(mine)) == 5
    # Three 2025 cases and two 2026 cases each, counted apart: the other organisation's five
    # cases are not in our count.
    assert (counter(ours, 2025).last, counter(ours, 2026).last) == (3, 2)
    assert (counter(theirs, 2025).last, counter(theirs, 2026).last) == (3, 2)
    assert counter(ours, 2026).key != counter(theirs, 2026).key


@pytest.mark.django_db
def test_a_reference_does_not_tell_how_many_cases_another_organisation_logged():
    busy, quiet = make_team("pivotal"), make_team("pivotal")
    received = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
    for n in range(30):
        receive_complaint(busy, received + timedelta(minutes=n))

    first = receive_complaint(quiet, received + timedelta(hours=1))

    # One shared counter made this C-2026-000031: the 31st case anyone logged this year.
    assert shape(2026).fullmatch(first.reference)
    # Its code is its own organisation's number 1 under its own key, exactly what it would be
    # had nobody else logged anything: the other organisation's 30 cases leave no trace in it.
    assert first.reference == case_reference("C", 2026, bytes.fromhex(counter(quiet, 2026).key), 1)
    assert counter(quiet, 2026).last == 1
    assert counter(busy, 2026).last == 30


@pytest.mark.django_db
def test_a_code_another_organisation_already_has_is_passed_over():
    """Two organisations whose counters share a key (only here, to force the same code)."""
    first, second = make_team("pivotal"), make_team("pivotal")
    for team in (first, second):
        ReferenceCounter.objects.create(organisation=team.org, prefix="C", year=2026, key="ab" * 32)
    received = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
    taken = receive_complaint(first, received).reference

    mine = receive_complaint(second, received + timedelta(minutes=1)).reference

    # Its number 1 gives the code the first organisation already has, so it takes number 2.
    # References are unique everywhere: a page address carries only the reference.
    assert shape(2026).fullmatch(mine)
    assert mine != taken
    assert counter(second, 2026).last == 2


@pytest.mark.django_db
def test_references_in_the_order_logged_are_not_in_order_and_show_no_gaps():
    """A colleague who sees cases 1, 2 and 4 of a year must not learn that a case 3 exists
    (a complaint about them, which they may not see)."""
    team = make_team("pivotal")
    received = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)

    references = [
        receive_complaint(team, received + timedelta(minutes=n)).reference for n in range(20)
    ]

    assert len(set(references)) == 20
    assert all(shape(2026).fullmatch(r) for r in references)
    assert references != sorted(references)
    assert references != sorted(references, reverse=True)
    # Counting up changed only the last digit or two (000041, 000042, 000044); these codes
    # change all through from one case to the next.
    assert not any(a[:-1] == b[:-1] for a, b in itertools.pairwise(references))


@pytest.mark.django_db
def test_the_year_is_the_london_year_of_receipt():
    team = make_team("pivotal")
    # Written with a +01:00 offset this reads as New Year's Day, but it is 23:30 on 31 Dec 2025
    # in London (GMT), so it is a 2025 case; 00:30 GMT on 1 Jan 2026 is a 2026 case.
    new_year_eve = receive_complaint(team, datetime.fromisoformat("2026-01-01T00:30:00+01:00"))
    new_year = receive_complaint(team, datetime.fromisoformat("2026-01-01T00:30:00+00:00"))

    assert shape(2025).fullmatch(new_year_eve.reference)
    assert shape(2026).fullmatch(new_year.reference)


@pytest.mark.django_db
def test_a_reference_heard_over_the_phone_finds_the_case(client):
    team = make_team("pivotal")
    case = receive_complaint(team, datetime(2026, 3, 2, 9, 0, tzinfo=LONDON))
    client.force_login(team.allocator)
    # Typed in small letters, with the letter O for each zero and the letter I for each one.
    heard = case.reference.lower().replace("0", "o").replace("1", "i")

    response = client.get(reverse("cases:detail", args=[heard]))

    assert response.status_code == 200
    assert case.reference in response.content.decode()


@pytest.mark.django_db
def test_a_case_logged_before_references_were_per_organisation_keeps_its_reference(client):
    team = make_team("pivotal")
    old = receive_complaint(team, datetime(2026, 3, 2, 9, 0, tzinfo=LONDON))
    # As the shared counter numbered it before; a case's reference never changes.
    Case.objects.filter(pk=old.pk).update(reference="C-2026-000042")
    client.force_login(team.allocator)

    page = client.get(reverse("cases:detail", args=["C-2026-000042"]))
    new = receive_complaint(team, datetime(2026, 3, 3, 9, 0, tzinfo=LONDON))

    assert page.status_code == 200
    assert shape(2026).fullmatch(new.reference)
    assert new.reference != "C-2026-000042"


THREADS = 8
CASES_PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_when_logged_at_the_same_moment(committed_db):
    """8 colleagues in each of two organisations log 5 cases each at once (SQLite and
    PostgreSQL): 80 cases, 80 references, and each organisation counted to 40."""
    teams = [make_team("pivotal"), make_team("pivotal")]
    start = threading.Barrier(THREADS * 2)
    received = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)

    def log_cases(thread: int) -> list[str]:
        team = teams[thread % 2]
        try:
            start.wait(timeout=30)  # every thread logs its first case at the same moment
            return [
                receive_complaint(
                    team, received + timedelta(minutes=thread * CASES_PER_THREAD + n)
                ).reference
                for n in range(CASES_PER_THREAD)
            ]
        finally:
            connection.close()  # each thread had its own connection

    with ThreadPoolExecutor(max_workers=THREADS * 2) as pool:
        per_thread = list(pool.map(log_cases, range(THREADS * 2)))

    references = [ref for refs in per_thread for ref in refs]
    total = THREADS * 2 * CASES_PER_THREAD  # 2 × 8 × 5 = 80
    assert len(references) == total
    assert len(set(references)) == total
    assert Case.objects.count() == total
    for team in teams:
        assert counter(team, 2026).last == THREADS * CASES_PER_THREAD  # 8 × 5 = 40
        assert Case.objects.filter(organisation=team.org).count() == 40
