"""The reports' background task (Django Tasks, ADR-009): counting a lead officer's dashboard
again when the log has moved on and counting takes longer than the page waits (kept.py). It
takes the count's id, never personal data."""

from __future__ import annotations

from django_tasks import task

from fairhear.reporting.kept import count_in_background


@task()
def count_dashboard(count_id: int) -> str:
    """Count one dashboard choice again from the event log, and keep it."""
    return count_in_background(count_id)
