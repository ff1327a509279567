"""Two worker processes at once, on each task backend: every queued task runs once, each
minute is swept once, each case due to close itself closes once (Pivotal §10.1 c) after its
appeal window is recorded closed once (§9 stage 2 point 1), and an agreed update that is due
is reminded once (§11.2 e).

The Redis queue is the real server at 127.0.0.1:6379; without it the Redis case is skipped,
except in CI, where it must run.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from fairhear.cases.tests.factories import make_team
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.notifications.models import ClockNotice, SweepRun, WorkerHeartbeat
from fairhear.notifications.tests.helpers import responded, run_python, start_worker
from fairhear.notifications.tests.test_updates import agreed_every_5
from fairhear.outbox.models import OutboundMessage

REDIS = "redis://127.0.0.1:6379"
TASKS = 12


def redis_url_or_skip() -> str:
    redis = pytest.importorskip("redis")
    # One of Redis's numbered databases, so that runs on other checkouts rarely share a queue;
    # the test reads and removes only its own jobs either way.
    url = f"{REDIS}/{1 + os.getpid() % 15}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis at {REDIS}; nothing answers there.")
        pytest.skip(f"No Redis at {REDIS}")
    return url


def backend_env(backend: str) -> dict[str, str]:
    env = {"FAIRHEAR_TASKS": backend, "FAIRHEAR_SWEEP_SECONDS": "1", "FAIRHEAR_OUTBOX_SECONDS": "1"}
    if backend == "redis":
        env["FAIRHEAR_REDIS_URL"] = redis_url_or_skip()
    return env


ENQUEUE = f"""
from fairhear.notifications.tasks import sweep_now
for _ in range({TASKS}):
    print(sweep_now.enqueue().id)
"""

RESULTS = """
import json
from fairhear.notifications.tasks import sweep_now
backend = sweep_now.get_backend()
out = {}
for task_id in IDS:
    result = backend.get_result(task_id)
    out[task_id] = [str(result.status), list(result.worker_ids)]
print(json.dumps(out))
"""


def task_results(ids: list[str], env: dict[str, str]) -> dict[str, list]:
    import json

    return json.loads(run_python(f"IDS = {ids!r}\n" + RESULTS, **env))


def forget_jobs(ids: list[str], env: dict[str, str]) -> None:
    if env.get("FAIRHEAR_TASKS") != "redis":
        return
    import redis

    connection = redis.Redis.from_url(env["FAIRHEAR_REDIS_URL"])
    for task_id in ids:
        connection.delete(f"rq:job:{task_id}", f"rq:results:{task_id}")


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_two_workers_at_once_run_each_task_once_and_close_each_case_once(committed_db, backend):
    env = backend_env(backend)
    team = make_team()
    cases = [responded(team) for _ in range(3)]
    # Every 5 working days from Mon 18 Dec 2023: long due, reminded once (Pivotal §11.2 e).
    updated = agreed_every_5(team)
    workers = [start_worker(f"{backend}-{n}", **env) for n in (1, 2)]
    ids: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while WorkerHeartbeat.objects.filter(stopped_at=None).count() < 2:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        ids = run_python(ENQUEUE, **env).split()
        assert len(ids) == TASKS
        while True:
            results = task_results(ids, env)
            if all(status in {"SUCCESSFUL", "FAILED"} for status, _ in results.values()):
                break
            assert time.monotonic() < deadline, f"tasks still waiting: {results}"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [worker.communicate(timeout=60) for worker in workers]
        forget_jobs(ids, env)
    assert [w.returncode for w in workers] == [0, 0], outputs
    # Every task ran once, by one worker.
    assert {status for status, _ in results.values()} == {"SUCCESSFUL"}
    assert all(len(worker_ids) == 1 for _, worker_ids in results.values()), results
    # Each case closed itself once, whoever swept.
    for case in cases:
        case.refresh_from_db()
        assert case.state == CaseState.CLOSED
        assert case.events.filter(kind=Action.AUTO_CLOSE).count() == 1
        # Its appeal window (§9 stage 2 point 1) was recorded closed once, before the closure.
        [window] = case.events.filter(kind=Action.RECORD_WINDOW_CLOSED)
        assert window.sequence < case.events.get(kind=Action.AUTO_CLOSE).sequence
    assert ClockNotice.objects.filter(case=updated, clock="updates_due").count() == 1
    assert OutboundMessage.objects.filter(kind="update_due").count() == 1
    closed = [
        ref
        for result in SweepRun.objects.filter(organisation=team.org).values_list(
            "result", flat=True
        )
        for ref in result.get("auto_close", {}).get("closed", [])
    ]
    assert sorted(closed) == sorted(c.reference for c in cases)
    beats = WorkerHeartbeat.objects.filter(worker_id__startswith=backend)
    assert {b.backend for b in beats} == {backend}
    assert all(b.stopped_at for b in beats)
