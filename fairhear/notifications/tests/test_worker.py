"""The worker runs what is queued, sweeps every minute and says it is alive. A sweep twice in a
minute, or by two workers at once, has the effect of one; a closure the sweep is due to make
is made once (Pivotal §10.1 c)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.notifications.models import SweepRun, WorkerHeartbeat
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tasks import sweep_now
from fairhear.notifications.tests.helpers import london, responded
from fairhear.notifications.worker import Worker

pytestmark = pytest.mark.django_db


def auto_closures(case: Case) -> int:
    return case.events.filter(kind=Action.AUTO_CLOSE).count()


def test_the_worker_runs_a_task_queued_in_the_database_and_records_its_heartbeat():
    make_team()
    result = sweep_now.enqueue()
    Worker(worker_id="first").run(once=True)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids == ["first"]
    assert "1 organisation swept" in row.return_value
    beat = WorkerHeartbeat.objects.get(worker_id="first")
    assert beat.tasks_run == 1
    assert beat.backend == "database"
    assert beat.last_sweep_at is not None
    assert beat.stopped_at is not None  # --once stops after its round


def test_a_second_sweep_in_the_same_minute_passes_the_organisation_by():
    team = make_team()
    with time_machine.travel(london(2026, 12, 1, 9, 30, 5), tick=False):
        first = sweep_all(worker_id="a")
    with time_machine.travel(london(2026, 12, 1, 9, 30, 55), tick=False):
        second = sweep_all(worker_id="b")
    with time_machine.travel(london(2026, 12, 1, 9, 31, 0), tick=False):
        third = sweep_all(worker_id="b")
    assert (first.swept, second.swept, second.passed_by, third.swept) == (
        [team.org.pk],
        [],
        [team.org.pk],
        [team.org.pk],
    )
    assert list(SweepRun.objects.order_by("pk").values_list("worker_id", "window")) == [
        ("a", "2026-12-01T09:30"),
        ("b", "2026-12-01T09:31"),
    ]


def test_the_sweep_closes_a_case_the_day_after_its_auto_close_date_and_only_once():
    team = make_team()
    case = responded(team)
    # Pivotal §10.1 c with §9 stage 2 point 1: still open on Tue 11 Jun 2024, the last day the
    # complainant may appeal; closed by the first sweep of Wed 12 Jun.
    with time_machine.travel(london(2024, 6, 11, 23, 59), tick=False):
        Worker(worker_id="w").run(once=True)
    case.refresh_from_db()
    assert case.state == CaseState.RESPONDED
    with time_machine.travel(london(2024, 6, 12, 0, 0), tick=False):
        Worker(worker_id="w").run(once=True)
    with time_machine.travel(london(2024, 6, 12, 0, 1), tick=False):
        Worker(worker_id="w").run(once=True)
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == (CaseState.CLOSED, "10.1c")
    assert auto_closures(case) == 1
    runs = SweepRun.objects.filter(organisation=team.org).order_by("window")
    assert [r.result["auto_close"]["closed"] for r in runs] == [[], [case.reference], []]


def test_the_worker_command_runs_once(capsys):
    make_team()
    call_command("worker", "--once", "--worker-id", "cmd")
    assert "Worker cmd: 0 tasks run." in capsys.readouterr().out
    assert WorkerHeartbeat.objects.filter(worker_id="cmd").exists()
