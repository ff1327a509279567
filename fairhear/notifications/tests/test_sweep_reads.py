"""A sweep with nothing left to do reads no more for more cases: the deadlines already told
(reminded before their due date, or recorded as missed after it) are left out of what it
reads, so each minute's sweep costs the same however many overdue cases the organisation has
(issue "Clocks at work", point 7: it must only touch the clocks that are due). The cases are
those of test_reminders.py: acknowledged Mon 18 Dec 2023, the stage 1 response due Thu 4 Jan
2024, reminded Tue 2 Jan, missed from Fri 5 Jan."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fairhear.cases.due import open_deadlines_due_by
from fairhear.cases.tests.factories import make_team
from fairhear.notifications.reminders import sweep_deadlines
from fairhear.notifications.tests.helpers import london
from fairhear.notifications.tests.test_reminders import acknowledged_on_18_december
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def queries_of_a_sweep(organisation, moment) -> int:
    """The queries of the organisation's deadlines sweep at `moment` (sweep_all's step)."""
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
        sweep_deadlines(organisation, moment)
    return len(queries)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (london(2024, 1, 2, 9, 0), london(2024, 1, 2, 9, 1)),  # reminded; the next minute
        (london(2024, 1, 5, 9, 0), london(2024, 1, 5, 9, 1)),  # missed; the next minute
    ],
)
def test_the_next_minutes_sweep_reads_the_same_for_two_cases_as_for_six(first, then):
    counts = []
    for cases in (2, 6):
        team = make_team()
        for _ in range(cases):
            acknowledged_on_18_december(team)
        sent = OutboundMessage.objects.count()
        queries_of_a_sweep(team.org, first)
        assert OutboundMessage.objects.count() > sent  # it did tell them, the first time
        sent = OutboundMessage.objects.count()
        counts.append(queries_of_a_sweep(team.org, then))
        assert OutboundMessage.objects.count() == sent  # and nothing the next minute
    assert counts[0] == counts[1]


def test_a_deadline_recorded_as_missed_is_no_longer_read():
    """Once the miss of the stage 1 response (due Thu 4 Jan 2024) is recorded on the case, the
    clock is marked so on the case's stored clocks and the sweep's read leaves it out (the
    partial index), without asking the once-only rows."""
    team = make_team()
    case = acknowledged_on_18_december(team)
    friday = london(2024, 1, 5, 9, 0)
    due = open_deadlines_due_by(organisation_id=team.org.pk, by=date(2024, 1, 5))
    assert [c.name for c in due] == ["stage1_response_due"]
    with time_machine.travel(friday, tick=False):
        sweep_deadlines(team.org, friday)
    clock = case.clocks.get(name="stage1_response_due")
    assert clock.missed_recorded is True
    assert case.events.filter(kind="deadline_missed").count() == 1
    assert not open_deadlines_due_by(organisation_id=team.org.pk, by=date(2024, 1, 31)).exists()
