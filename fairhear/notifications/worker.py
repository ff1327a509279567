"""The worker: one process that runs the queued background tasks, sweeps the clocks every
minute and sends the outbox, and says it is alive in its heartbeat row (docs/operations.md,
"The worker"; ADR-009).

The task queue is the one settings.TASKS names: the project's database (django-tasks-db) or
Redis (django-tasks-rq). Several workers may run at once, on one machine or many: a task is
claimed by one of them (SKIP LOCKED on PostgreSQL, the write lock on SQLite, a list pop on
Redis), a minute's sweep by the first to insert its row, an outbox message by one sender.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from fairhear.notifications.models import WorkerHeartbeat
from fairhear.notifications.sweep import sweep_all
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.smtp import SmtpConfigError

logger = logging.getLogger(__name__)
# Tasks run in one go before the worker looks at its sweep and the outbox again.
TASKS_PER_ROUND = 50


def backend_name() -> str:
    """Where the task queue is kept, in the words of FAIRHEAR_TASKS."""
    path = settings.TASKS["default"]["BACKEND"]
    return "redis" if "rq" in path.rsplit(".", 1)[0] else "database"


@dataclass
class Worker:
    worker_id: str = field(default_factory=lambda: get_random_string(16))
    sweep_every: float = field(default_factory=lambda: settings.FAIRHEAR_SWEEP_SECONDS)
    outbox_every: float = field(default_factory=lambda: settings.FAIRHEAR_OUTBOX_SECONDS)
    poll: float = 1.0
    stopping: threading.Event = field(default_factory=threading.Event)
    _next_sweep: float = 0.0
    _next_outbox: float = 0.0
    tasks_run: int = 0

    def stop(self, *_: object) -> None:
        """Finish what is in hand, then stop (SIGTERM from make run or a supervisor)."""
        self.stopping.set()

    def run(self, *, once: bool = False) -> None:
        """Work until stopped; with `once`, do one round of everything and return."""
        self._beat(started=True)
        try:
            while not self.stopping.is_set():
                close_old_connections()
                ran = self.run_tasks()
                self.maybe_sweep(force=once)
                self.maybe_send(force=once)
                self._beat()
                if once:
                    return
                if not ran:
                    self.stopping.wait(self.poll)
        finally:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                stopped_at=timezone.now(), last_seen_at=timezone.now()
            )
            close_old_connections()

    def run_tasks(self) -> int:
        """Run the tasks that are queued now (up to a round's worth); how many ran."""
        runner = _run_redis_tasks if backend_name() == "redis" else _run_database_tasks
        try:
            ran = runner(self.worker_id)
        except Exception as exc:  # the queue is unreachable: say so, keep sweeping and sending
            logger.exception("The worker could not read its task queue")
            self._error(f"The task queue could not be read: {type(exc).__name__}: {exc}")
            return 0
        self.tasks_run += ran
        return ran

    def maybe_sweep(self, *, force: bool = False) -> None:
        if not force and time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + self.sweep_every
        report = sweep_all(worker_id=self.worker_id)
        if report.swept or report.failed:
            logger.info("Sweep: %s", report)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            last_sweep_at=timezone.now()
        )

    def maybe_send(self, *, force: bool = False) -> None:
        if not force and time.monotonic() < self._next_outbox:
            return
        try:
            report = outbox_send_due()
        except SmtpConfigError as exc:
            self._error(f"Outbox: {exc}")
            self._next_outbox = time.monotonic() + self.outbox_every
            return
        if report.sent or report.deferred or report.failed:
            logger.info("Outbox: %s", report)
        # More was waiting than one batch: send the next batch at once.
        more = len(report.sent) >= settings.FAIRHEAR_OUTBOX_BATCH
        self._next_outbox = time.monotonic() + (0 if more else self.outbox_every)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            last_outbox_at=timezone.now()
        )

    def _beat(self, *, started: bool = False) -> None:
        now = timezone.now()
        values = {"last_seen_at": now, "tasks_run": self.tasks_run, "stopped_at": None}
        if started:
            values |= {
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "backend": backend_name(),
                "started_at": now,
                "last_error": "",
            }
        WorkerHeartbeat.objects.update_or_create(worker_id=self.worker_id, defaults=values)

    def _error(self, text: str) -> None:
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(last_error=text[:2000])


def install_signal_handlers(worker: Worker) -> None:
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)


def _run_database_tasks(worker_id: str) -> int:
    """django-tasks-db's own worker, for one round: it claims each task with SELECT … FOR UPDATE
    SKIP LOCKED (PostgreSQL) or an exclusive transaction (SQLite)."""
    from django_tasks_db.management.commands.db_worker import Worker as DbWorker

    runner = DbWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=TASKS_PER_ROUND,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    runner.run()
    return runner._run_tasks


def _run_redis_tasks(worker_id: str) -> int:
    """RQ's worker in burst mode, in this process (no fork per task, so the database
    connection stays this process's own), on the queues settings.TASKS names."""
    import django_rq
    from rq import SimpleWorker

    class _Burst(SimpleWorker):
        ran = 0

        def _install_signal_handlers(self) -> None:
            """Keep the worker's own: a stop request finishes the task in hand."""

        def execute_job(self, job: object, queue: object) -> None:
            super().execute_job(job, queue)
            self.ran += 1

    queues = settings.TASKS["default"].get("QUEUES") or ["default"]
    rq_worker = django_rq.get_worker(
        *queues,
        job_class="django_tasks_rq.backend.Job",
        worker_class=_Burst,
        name=worker_id,
    )
    rq_worker.work(burst=True, max_jobs=TASKS_PER_ROUND, logging_level="WARNING")
    return rq_worker.ran
