"""Reading the worker's state for the status page: its heartbeats, the task queue (queued,
running, failed) and the organisation's undelivered e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from fairhear.notifications.models import SweepRun, WorkerHeartbeat
from fairhear.notifications.worker import backend_name
from fairhear.outbox.models import OutboundMessage


@dataclass(frozen=True)
class WorkerRow:
    heartbeat: WorkerHeartbeat
    state: str  # "running", "stopped" or "silent" (no heartbeat for too long)


@dataclass(frozen=True)
class FailedTask:
    name: str
    finished_at: datetime | None
    error: str  # the exception's class, never its traceback (it may quote case data)


@dataclass(frozen=True)
class QueueState:
    backend: str
    reachable: bool
    queued: int = 0
    running: int = 0
    failed: int = 0
    recent_failures: tuple[FailedTask, ...] = ()
    problem: str = ""


def worker_rows(*, limit: int = 20) -> list[WorkerRow]:
    """The workers seen most recently, each running, stopped or silent."""
    stale = timezone.now() - timedelta(seconds=settings.FAIRHEAR_WORKER_STALE_SECONDS)
    rows = []
    for beat in WorkerHeartbeat.objects.order_by("-last_seen_at")[:limit]:
        if beat.stopped_at:
            state = "stopped"
        elif beat.last_seen_at < stale:
            state = "silent"
        else:
            state = "running"
        rows.append(WorkerRow(beat, state))
    return rows


def last_sweep_for_org(*, organisation_id: int) -> SweepRun | None:
    return SweepRun.objects.filter(organisation_id=organisation_id).order_by("-started_at").first()


def queue_state() -> QueueState:
    """What the task queue holds now, from whichever backend keeps it."""
    if backend_name() == "redis":
        return _redis_queue_state()
    return _database_queue_state()


def _database_queue_state() -> QueueState:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")))
    failures = tuple(
        FailedTask(row.task_path.rsplit(".", 1)[-1], row.finished_at, _short(row))
        for row in DBTaskResult.objects.failed().order_by("-finished_at")[:10]
    )
    return QueueState(
        backend="database",
        reachable=True,
        queued=counts.get(TaskResultStatus.READY, 0),
        running=counts.get(TaskResultStatus.RUNNING, 0),
        failed=counts.get(TaskResultStatus.FAILED, 0),
        recent_failures=failures,
    )


def _short(row: object) -> str:
    return getattr(row, "exception_class_path", "").rsplit(".", 1)[-1] or "Failed"


def _redis_queue_state() -> QueueState:
    import django_rq
    from redis.exceptions import RedisError

    try:
        queue = django_rq.get_queue("default")
        failed_ids = queue.failed_job_registry.get_job_ids()
        return QueueState(
            backend="redis",
            reachable=True,
            queued=queue.count,
            running=queue.started_job_registry.count,
            failed=len(failed_ids),
            recent_failures=tuple(
                FailedTask(job.func_name.rsplit(".", 1)[-1], job.ended_at, "Failed")
                for job in queue.job_class.fetch_many(failed_ids[:10], connection=queue.connection)
                if job is not None
            ),
        )
    except RedisError as exc:
        return QueueState(backend="redis", reachable=False, problem=str(exc))


def outbox_failures_for_org(*, organisation_id: int, limit: int = 10) -> tuple[int, list]:
    """How many of the organisation's e-mails failed for good, and the latest of them."""
    failed = OutboundMessage.objects.filter(
        organisation_id=organisation_id, status=OutboundMessage.Status.FAILED
    )
    return failed.count(), list(
        failed.defer("body_text", "body_html").order_by("-created_at")[:limit]
    )
