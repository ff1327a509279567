"""The case page shows every clock with its due date, the working days left (or overdue by) and
a state in words: on track, due soon, overdue, met, missed, stopped.

Every date below is worked out by hand on the Pivotal pack, across the Easter weekend of 2026
(Good Friday 3 April and Easter Monday 6 April are bank holidays in England and Wales). The
complaint is received on Wednesday 1 April 2026 at 09:30:

- "Log the complaint and tell…": 1 working day (§9 stage 1 steps 3 and 5) → Thu 2 Apr;
- "Allocate a Service Manager": 2 working days (§9 stage 1, Head of Services step 1) → Thu 2 Apr
  is the first, Fri 3 to Mon 6 are not working days, so Tue 7 Apr;
- "Send the stage 1 response": 10 working days (§9 stage 1 step 6) → Thu 2, Tue 7, Wed 8,
  Thu 9, Fri 10, Mon 13, Tue 14, Wed 15, Thu 16, Fri 17 Apr.

"Due soon" is today or within the next 2 working days, as in the "Due in the next 2 working
days" queue.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 4, 1, 9, 30, tzinfo=LONDON)  # Wednesday 1 April 2026


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 4, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def team():
    return make_team("pivotal")


def clocks_on_page(client, user, case) -> dict[str, tuple[str, str, str]]:
    """Each clock row of the case page as (due, working days, state), by clock name."""
    client.force_login(user)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    rows = {}
    for name, row in re.findall(r'<tr [^>]*data-clock="([^"]+)"[^>]*>(.*?)</tr>', body, re.S):
        cells = re.findall(r'<td [^>]*data-label="[^"]+">(.*?)</td>', row, re.S)
        rows[name] = tuple(" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells)
    return rows


def test_before_the_easter_weekend_the_clocks_count_only_working_days(client, team):
    case = receive_complaint(team, RECEIVED)

    with time_machine.travel(at(2), tick=False):  # Thursday 2 April
        rows = clocks_on_page(client, team.allocator, case)

    assert rows["log_and_notify_due"] == ("Thu 2 Apr 2026", "Due today", "Due soon")
    # Tue 7 Apr is the only working day after Thu 2 up to it (Fri 3 and Mon 6 are bank holidays).
    assert rows["allocation_due"] == ("Tue 7 Apr 2026", "1 working day left", "Due soon")
    assert rows["stage1_response_due"] == ("Fri 17 Apr 2026", "9 working days left", "On track")


def test_over_the_weekend_a_day_passed_but_no_working_day(client, team):
    case = receive_complaint(team, RECEIVED)

    with time_machine.travel(at(4), tick=False):  # Saturday 4 April, between the bank holidays
        rows = clocks_on_page(client, team.allocator, case)

    # Due Thu 2 Apr and not met: overdue, though no working day has passed since (Fri 3 is
    # Good Friday).
    assert rows["log_and_notify_due"] == ("Thu 2 Apr 2026", "Overdue", "Overdue")
    assert rows["allocation_due"] == ("Tue 7 Apr 2026", "1 working day left", "Due soon")


def test_after_easter_overdue_due_today_and_on_track(client, team):
    case = receive_complaint(team, RECEIVED)

    with time_machine.travel(at(7), tick=False):  # Tuesday 7 April
        rows = clocks_on_page(client, team.allocator, case)

    # From Thu 2 Apr: Fri 3 and Mon 6 are bank holidays, so Tue 7 is the one working day.
    assert rows["log_and_notify_due"] == ("Thu 2 Apr 2026", "Overdue by 1 working day", "Overdue")
    assert rows["allocation_due"] == ("Tue 7 Apr 2026", "Due today", "Due soon")
    # Wed 8 to Fri 17: 8 working days, past the 2-working-day reach (Thu 9).
    assert rows["stage1_response_due"] == ("Fri 17 Apr 2026", "8 working days left", "On track")


def test_a_clock_met_on_its_due_date_is_met_and_one_met_after_it_is_missed(client, team):
    case = receive_complaint(team, RECEIVED)
    case = s.case_accept(case=case, actor=team.allocator, occurred_at=at(2))
    # Allocated on the due date itself, Tue 7 Apr: met.
    case = s.case_allocate(
        case=case, actor=team.allocator, handler=team.investigator, occurred_at=at(7)
    )
    # The line manager told on Wed 8 Apr, due Thu 2: two working days late (Tue 7, Wed 8).
    case = s.case_record_managers_told(
        case=case, actor=team.colleague, told="Line manager", how="email", occurred_at=at(8)
    )

    with time_machine.travel(at(8, 15), tick=False):
        rows = clocks_on_page(client, team.allocator, case)

    assert rows["allocation_due"] == ("Tue 7 Apr 2026", "Met on Tue 7 Apr 2026", "Met")
    assert rows["log_and_notify_due"] == (
        "Thu 2 Apr 2026",
        "Met on Wed 8 Apr 2026, 2 working days late",
        "Missed",
    )
    # Acknowledgement: 2 working days after the allocation on Tue 7 → Thu 9 Apr, due soon.
    assert rows["acknowledgement_due"] == ("Thu 9 Apr 2026", "1 working day left", "Due soon")


def test_a_case_closed_after_a_due_date_missed_it_and_stopped_the_others(client, team):
    case = receive_complaint(team, RECEIVED)
    case = s.case_accept(case=case, actor=team.allocator, occurred_at=at(2))
    # Closed on Thu 9 Apr (§10.1 e), never allocated: the allocation was due Tue 7 Apr.
    case = s.case_close(case=case, actor=team.lead, reason_code="10.1e", occurred_at=at(9))

    with time_machine.travel(at(10), tick=False):
        rows = clocks_on_page(client, team.lead, case)

    assert rows["allocation_due"] == (
        "Tue 7 Apr 2026",
        "Not met by its due date; the case ended on Thu 9 Apr 2026",
        "Missed",
    )
    # The stage 1 response was due Fri 17 Apr, after the case ended: no longer needed.
    assert rows["stage1_response_due"] == ("Fri 17 Apr 2026", "No longer needed", "Stopped")


def test_each_state_is_a_tag_with_words_and_the_clocks_come_before_the_details(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    with time_machine.travel(at(7), tick=False):
        response = client.get(reverse("cases:detail", args=[case.reference]))

    body = response.content.decode()
    assert '<strong class="govuk-tag fh-clock-tag fh-clock-tag--overdue">Overdue</strong>' in body
    assert '<strong class="govuk-tag fh-clock-tag fh-clock-tag--due-soon">Due soon</strong>' in body
    assert '<strong class="govuk-tag fh-clock-tag fh-clock-tag--on-track">On track</strong>' in body
    text = page_text(response)
    assert text.index("Deadlines") < text.index("Details") < text.index("History")


def test_an_accepted_complaint_awaiting_allocation_no_longer_offers_do_not_accept(client, team):
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)
    with time_machine.travel(at(2), tick=False):
        before = page_text(client.get(reverse("cases:detail", args=[case.reference])))
        case = s.case_accept(case=case, actor=team.allocator, occurred_at=at(2))
        after = page_text(client.get(reverse("cases:detail", args=[case.reference])))
        direct = client.get(reverse("cases:action", args=[case.reference, "refused"]))

    assert "Do not accept the complaint" in before
    assert "Do not accept the complaint" not in after
    assert "Allocate" in after
    # Typed in directly, the action's page says why it no longer applies.
    assert direct.status_code == 409
    assert "is not possible while the case is “Awaiting allocation”" in page_text(direct)
