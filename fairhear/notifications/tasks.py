"""The background tasks the worker runs (Django Tasks). Lower floors enqueue them by name after
their transaction commits, so that `cases` never imports this app (LAYOUT.md)."""

from __future__ import annotations

from django_tasks import task

from fairhear.notifications.sweep import sweep_all


@task()
def sweep_now() -> str:
    """Sweep every organisation not yet swept this minute (as the worker does every minute)."""
    return str(sweep_all(worker_id="task"))
