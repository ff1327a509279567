"""Case references: C-<year>-<six digits>, counted per year of receipt (London time), never
repeated or skipped, even when many colleagues log cases at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection

from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 3, 4, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.mark.django_db
def test_references_count_up_within_a_year_and_start_again_in_the_next():
    team = make_team("pivotal")
    received = [
        datetime(2025, 12, 30, 9, 0, tzinfo=LONDON),
        datetime(2025, 12, 31, 23, 59, tzinfo=LONDON),  # the last minute of 2025
        datetime(2026, 1, 1, 0, 0, tzinfo=LONDON),  # the first minute of 2026
        datetime(2026, 1, 2, 10, 0, tzinfo=LONDON),
        datetime(2025, 11, 3, 10, 0, tzinfo=LONDON),  # a 2025 case logged late takes 2025's next
    ]

    references = [receive_complaint(team, moment).reference for moment in received]

    assert references == [
        "C-2025-000001",
        "C-2025-000002",
        "C-2026-000001",
        "C-2026-000002",
        "C-2025-000003",
    ]


@pytest.mark.django_db
def test_the_year_is_the_london_year_of_receipt():
    team = make_team("pivotal")
    # Written with a +01:00 offset this reads as New Year's Day, but it is 23:30 on 31 Dec 2025
    # in London (GMT), so it is a 2025 case; 00:30 GMT on 1 Jan 2026 is a 2026 case.
    new_year_eve = receive_complaint(team, datetime.fromisoformat("2026-01-01T00:30:00+01:00"))
    new_year = receive_complaint(team, datetime.fromisoformat("2026-01-01T00:30:00+00:00"))

    assert new_year_eve.reference == "C-2025-000001"
    assert new_year.reference == "C-2026-000001"


THREADS = 8
CASES_PER_THREAD = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_and_consecutive_when_logged_at_the_same_moment():
    team = make_team("pivotal")
    start = threading.Barrier(THREADS)
    received = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)

    def log_cases(thread: int) -> list[str]:
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

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        per_thread = list(pool.map(log_cases, range(THREADS)))

    references = [ref for refs in per_thread for ref in refs]
    total = THREADS * CASES_PER_THREAD
    assert len(references) == total
    assert sorted(references) == [f"C-2026-{n:06d}" for n in range(1, total + 1)]
    assert Case.objects.count() == total
    # Each thread's own cases got rising numbers, whatever the others did in between.
    for refs in per_thread:
        assert refs == sorted(refs)
