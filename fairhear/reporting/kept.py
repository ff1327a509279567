"""The dashboard's figures, kept (docs/adr/ADR-012-dashboard-figures-kept.md).

Counting the dashboard's figures from the case event log takes a fraction of a second for a
small organisation and minutes at a million cases. So each lead officer's figures for each
choice of period and filters are kept (models.DashboardCount) with the position in the log
they were counted at, and the page is drawn from them:

- nothing has been recorded for the organisation since the count: the figures are the log's
  as it is now, and are shown;
- something has, and the last count took no longer than FAIRHEAR_DASHBOARD_WAIT_MS: they are
  counted again before the page is shown, so a smaller organisation always sees its log as it
  is now;
- otherwise the figures kept are shown, saying when they were counted, and they are counted
  again in the background (tasks.count_dashboard), at most once every
  FAIRHEAR_DASHBOARD_RECOUNT_MINUTES;
- a choice never counted before, in an organisation whose counts take longer than that (or,
  before its first count, with more than FAIRHEAR_DASHBOARD_WAIT_CASES cases), is counted in
  the background, and the page says so.

The worker's sweep (notifications/dashboards.py) asks for the counts that are due, makes
ready each morning the dashboard as it first opens (the last 12 months) for every lead who
opened it in the last 30 days, and forgets the counts nobody has looked at for 30 days. The
figures themselves are the dashboard's (dashboard.py), counted by the same code whichever way;
the cases behind each number are kept with them, so a number leads to exactly the cases it
counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import service_area_list
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.policy.schema import Capability
from fairhear.policies.selectors import policy_pack_for
from fairhear.reporting.dashboard import Panel, dashboard
from fairhear.reporting.events import Scope
from fairhear.reporting.forms import last_twelve_months
from fairhear.reporting.models import DashboardCount

logger = logging.getLogger(__name__)

# A count nobody has opened for this long is forgotten by the sweep.
FORGET_AFTER = timedelta(days=30)
# When a count was last opened is written down at most this often (not on every view).
VIEWED_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Kept:
    """What the dashboard shows for one choice: its charts (None while they are counted for
    the first time), when they were counted, and whether the log has moved on since."""

    panels: list[Panel] | None
    counted_at: datetime | None
    current: bool
    took_ms: int
    count_id: int

    @classmethod
    def of(cls, row: DashboardCount, *, current: bool) -> Kept:
        panels = None if row.panels is None else [Panel.from_kept(p) for p in row.panels]
        return cls(panels, row.counted_at, current, row.took_ms, row.pk)

    def references(self, panel: str, column: str, row: str) -> list[str]:
        """The references kept behind one number: the cases it counted."""
        found = (
            DashboardCount.objects.filter(pk=self.count_id)
            .values_list("references", flat=True)
            .first()
        )
        if not found:
            return []
        return json.loads(zlib.decompress(found)).get(panel, {}).get(f"{column}|{row}", [])


def organisation_categories(organisation: Organisation) -> list[tuple[str, str]]:
    """The active pack's categories, as (code, label)."""
    pack = policy_pack_for(organisation.active_policy_version)
    return [(c.code, c.label) for c in pack.categories]


def _choice(
    organisation: Organisation, start: date, end: date, service_area: str, category: str
) -> str:
    """The key of a choice: the period and filters, and the names of the categories and
    service areas the charts show (renaming one counts again)."""
    names = [
        organisation_categories(organisation),
        list(service_area_list(organisation=organisation).values_list("name", flat=True)),
    ]
    text = json.dumps([start.isoformat(), end.isoformat(), service_area, category, names])
    return hashlib.sha256(text.encode()).hexdigest()


def _wait_ms() -> int:
    return settings.FAIRHEAR_DASHBOARD_WAIT_MS


def recount_every() -> timedelta:
    return timedelta(minutes=settings.FAIRHEAR_DASHBOARD_RECOUNT_MINUTES)


def log_position() -> int:
    """The highest event id of the whole log (one step down its primary key index)."""
    return CaseEvent.objects.aggregate(last=Max("pk"))["last"] or 0


def changed_since(organisation_id: int, position: int) -> bool:
    """Whether any event of the organisation was recorded after `position`: the read walks
    only the events after it."""
    return CaseEvent.objects.filter(pk__gt=position, case__organisation_id=organisation_id).exists()


def slow_to_count(organisation_id: int) -> bool:
    """Whether a count of this organisation's dashboard has taken longer than the page waits,
    or, before any count, whether it has more cases than FAIRHEAR_DASHBOARD_WAIT_CASES (about
    what is counted in that time; a count at 100,000 cases takes several seconds)."""
    counts = DashboardCount.objects.filter(
        organisation_id=organisation_id, counted_at__isnull=False
    )
    if counts.filter(took_ms__gt=_wait_ms()).exists():
        return True
    if counts.exists():
        return False
    most = settings.FAIRHEAR_DASHBOARD_WAIT_CASES
    cases = Case.objects.filter(organisation_id=organisation_id).values("pk")[: most + 1]
    return cases.count() > most


def dashboard_kept(
    *,
    viewer: User,
    start: date,
    end: date,
    service_area: str = "",
    category: str = "",
    latest: bool = False,
    now: datetime | None = None,
) -> Kept:
    """The dashboard for the choice, as the rules at the top of this module say."""
    now = now or timezone.now()
    row = _row(viewer, start, end, service_area, category, latest, now)
    if row.panels is not None and not changed_since(row.organisation_id, row.position):
        return Kept.of(row, current=True)
    if (row.panels is None and not slow_to_count(row.organisation_id)) or (
        row.panels is not None and row.took_ms <= _wait_ms()
    ):
        count_now(row, now=now)
        return Kept.of(row, current=True)
    if row.panels is None or row.counted_at <= now - recount_every():
        ask_for_count(row, now=now)
    return Kept.of(row, current=False)


def latest_to_count(viewer: User, *, today: date, viewed_at: datetime) -> DashboardCount | None:
    """The viewer's dashboard as it first opens today (the last 12 months, no filters), made
    ready to count, keeping when they last opened one; None if it already exists."""
    period = last_twelve_months(today)
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    key = _choice(viewer.organisation, start, end, "", "")
    if DashboardCount.objects.filter(viewer=viewer, choice=key).exists():
        return None
    return _made(viewer, key, start, end, "", "", latest=True, viewed_at=viewed_at)


def _made(
    viewer: User,
    key: str,
    start: date,
    end: date,
    service_area: str,
    category: str,
    *,
    latest: bool,
    viewed_at: datetime,
) -> DashboardCount | None:
    """A new row for the choice, not yet counted; None if another request or worker made it
    a moment ago."""
    try:
        with transaction.atomic():
            return DashboardCount.objects.create(
                organisation_id=viewer.organisation_id,
                viewer=viewer,
                choice=key,
                start=start,
                end=end,
                service_area=service_area,
                category=category,
                latest=latest,
                viewed_at=viewed_at,
            )
    except IntegrityError:
        return None


def _row(
    viewer: User,
    start: date,
    end: date,
    service_area: str,
    category: str,
    latest: bool,
    now: datetime,
) -> DashboardCount:
    key = _choice(viewer.organisation, start, end, service_area, category)
    rows = DashboardCount.objects.defer("references")
    row = rows.filter(viewer=viewer, choice=key).first()
    if row is None:
        made = _made(viewer, key, start, end, service_area, category, latest=latest, viewed_at=now)
        return made or rows.get(viewer=viewer, choice=key)
    if row.viewed_at <= now - VIEWED_EVERY or (latest and not row.latest):
        row.viewed_at, row.latest = now, row.latest or latest
        DashboardCount.objects.filter(pk=row.pk).update(viewed_at=now, latest=row.latest)
    return row


def _scope(row: DashboardCount) -> Scope:
    return Scope(
        row.viewer.organisation,
        service_area=row.service_area or None,
        category=row.category or None,
        cases=case_list_visible_to(user=row.viewer),
    )


def count_now(row: DashboardCount, *, now: datetime | None = None) -> None:
    """Count the row's figures from the log as it is, and keep them with their references."""
    started = time.monotonic()
    position = log_position()  # before counting: an event after it is counted again
    names = dict(organisation_categories(row.viewer.organisation))
    panels = dashboard(_scope(row), row.start, row.end, names)
    kept = [p.kept() for p in panels]
    references = {p.key: refs for p, (_, refs) in zip(panels, kept, strict=True)}
    row.panels = [data for data, _ in kept]
    row.position = position
    row.counted_at = now or timezone.now()
    row.took_ms = round((time.monotonic() - started) * 1000)
    row.asked_at = None
    DashboardCount.objects.filter(pk=row.pk).update(
        panels=row.panels,
        references=zlib.compress(json.dumps(references).encode()),
        position=row.position,
        counted_at=row.counted_at,
        took_ms=row.took_ms,
        asked_at=None,
    )


def ask_for_count(row: DashboardCount, *, now: datetime) -> bool:
    """Queue a count of the row in the background, unless one was asked for recently."""
    from fairhear.reporting.tasks import count_dashboard

    asked = DashboardCount.objects.filter(pk=row.pk).exclude(asked_at__gt=now - recount_every())
    if not asked.update(asked_at=now):
        return False
    row.asked_at = now
    try:
        count_dashboard.enqueue(row.pk)
    except Exception:  # the queue is unreachable: the sweep asks again after the interval
        logger.exception("The dashboard count %s could not be queued", row.pk)
    return True


def count_in_background(count_id: int) -> str:
    """The task's work: count one row again, if its viewer may still see the dashboard."""
    row = DashboardCount.objects.select_related("viewer__organisation").filter(pk=count_id).first()
    if row is None:
        return f"No dashboard count {count_id}."
    viewer = row.viewer
    if not viewer.is_active or viewer.organisation_id != row.organisation_id:
        row.delete()
        return f"Dashboard count {count_id} forgotten: its viewer no longer sees it."
    if not viewer.can(Capability.LEAD):
        row.delete()
        return f"Dashboard count {count_id} forgotten: its viewer is no longer the lead."
    count_now(row)
    return f"Dashboard count {count_id}: {row.took_ms} ms."
