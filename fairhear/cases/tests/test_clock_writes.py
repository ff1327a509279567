"""An event writes only the clock rows it changes: a note on a case whose clocks do not move
writes none, and a step that moves one clock updates that row in place; what is stored stays
what the events give (`manage.py verify_log`)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fairhear.cases.models import Case, CaseClock, LogCheck
from fairhear.cases.services import (
    case_accept,
    case_acknowledge,
    case_add_note,
    case_allocate,
    case_record_managers_told,
)
from fairhear.cases.services.verification import cases_verify_log
from fairhear.cases.tests.factories import Team, make_team, receive_complaint

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MON = datetime(2026, 3, 2, 10, tzinfo=LONDON)  # Mon 2 Mar 2026
WED = datetime(2026, 3, 4, 10, tzinfo=LONDON)  # Wed 4 Mar 2026
TABLE = CaseClock._meta.db_table


def clock_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if TABLE in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def stored(case: Case) -> dict[str, tuple]:
    return {
        c.name: (c.pk, c.status, c.start, c.due, c.met_on)
        for c in CaseClock.objects.filter(case=case)
    }


def handled(team: Team) -> Case:
    """A Pivotal complaint received, its managers told, accepted, allocated and acknowledged on
    Mon 2 Mar 2026 (Pivotal §9 stage 1 steps 1 to 5)."""
    case = receive_complaint(team, MON)
    case_record_managers_told(case=case, actor=team.colleague, told="Line manager", how="email")
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    return case_acknowledge(case=case, actor=team.investigator)


def test_a_note_on_a_case_whose_clocks_do_not_move_writes_no_clock_row():
    with time_machine.travel(MON, tick=False):
        team = make_team("pivotal")
        case = handled(team)
        for n in range(5):
            case_add_note(case=case, actor=team.investigator, text=f"Called the resident ({n}).")
        before = stored(case)
        next_due = Case.objects.get(pk=case.pk).next_due

        with CaptureQueriesContext(connection) as captured:
            case_add_note(case=case, actor=team.investigator, text="Called the contractor.")

    assert clock_writes(captured) == []
    assert stored(case) == before
    # The response is still due 10 working days from Mon 2 Mar: Tue 3 to Fri 6 (4), Mon 9 to
    # Fri 13 (9), Mon 16 Mar (10).
    assert next_due == date(2026, 3, 16)
    assert Case.objects.get(pk=case.pk).next_due == date(2026, 3, 16)
    assert cases_verify_log().clean


def test_a_reallocation_updates_the_acknowledgement_clock_in_place():
    with time_machine.travel(MON, tick=False) as traveller:
        team = make_team("pivotal")
        case = handled(team)
        case_add_note(case=case, actor=team.investigator, text="Called the resident.")
        before = stored(case)
        assert before["acknowledgement_due"][1] == "met"

        traveller.move_to(WED)
        with CaptureQueriesContext(connection) as captured:
            case_allocate(case=case, actor=team.allocator, handler=team.investigator2)

    after = stored(case)
    # The new Service Manager acknowledges within 2 working days of Wed 4 Mar: Thu 5 (1),
    # Fri 6 Mar (2). The same row is updated; every other clock is left as it was.
    assert after["acknowledgement_due"][0] == before["acknowledgement_due"][0]
    assert after["acknowledgement_due"][1:4] == ("running", date(2026, 3, 4), date(2026, 3, 6))
    assert {n: v for n, v in after.items() if n != "acknowledgement_due"} == {
        n: v for n, v in before.items() if n != "acknowledgement_due"
    }
    writes = clock_writes(captured)
    assert len(writes) == 1
    assert writes[0].lstrip().upper().startswith("UPDATE")
    assert Case.objects.get(pk=case.pk).next_due == date(2026, 3, 6)
    check = cases_verify_log()
    assert check.clean, check.problems
    assert LogCheck.objects.filter(clean=True).count() == 1
