"""The sweep's part in keeping the lead officers' dashboards (reporting/kept.py): for an
organisation whose dashboard takes longer to count than a page waits,

- the counts the log has moved past are counted again in the background, at most once every
  FAIRHEAR_DASHBOARD_RECOUNT_MINUTES, if someone has opened them in the last 30 days;
- each morning, the dashboard as it first opens (the last 12 months to today) is counted for
  every lead who opened it in the last 30 days, so the first look of the day does not wait;
- counts nobody has opened for 30 days are forgotten (they are counted again if asked for).

Where counting is quick the page counts for itself and nothing here is needed but forgetting.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.reporting.kept import (
    FORGET_AFTER,
    ask_for_count,
    changed_since,
    latest_to_count,
    recount_every,
    slow_to_count,
)
from fairhear.reporting.models import DashboardCount


def sweep_dashboards(organisation: Organisation, now: datetime) -> dict:
    """Ask for the counts that are due; forget the ones nobody opens."""
    counts = DashboardCount.objects.filter(organisation=organisation).defer("references")
    forgotten, _ = counts.filter(viewed_at__lt=now - FORGET_AFTER).delete()
    if not counts.exists() or not slow_to_count(organisation.pk):
        return {"asked": 0, "forgotten": forgotten}
    asked = 0
    due = counts.filter(panels__isnull=False, counted_at__lte=now - recount_every())
    for row in due:
        if changed_since(organisation.pk, row.position):
            asked += ask_for_count(row, now=now)
    for row in _mornings(organisation, now):
        asked += ask_for_count(row, now=now)
    return {"asked": asked, "forgotten": forgotten}


def _mornings(organisation: Organisation, now: datetime) -> list[DashboardCount]:
    """Today's first dashboard, not yet counted, of each lead who opened one lately."""
    today = timezone.localdate(now)
    opened: dict = {}
    earlier = DashboardCount.objects.filter(organisation=organisation, latest=True, end__lt=today)
    for row in earlier.select_related("viewer__organisation").defer("references"):
        last = opened.get(row.viewer)
        opened[row.viewer] = row.viewed_at if last is None else max(last, row.viewed_at)
    made = []
    for viewer, viewed_at in opened.items():
        if viewer.is_active and viewer.organisation_id == organisation.pk:
            row = latest_to_count(viewer, today=today, viewed_at=viewed_at)
            if row is not None:
                made.append(row)
    return made
