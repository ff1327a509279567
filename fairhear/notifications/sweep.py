"""The sweep: once a minute, for each organisation, what the clocks call for: the escalation
windows that closed and the chances to change that ended (windows.py), the automatic
closure of Pivotal §10.1 c and the letter telling the complainant (letters/auto_closure.py), then
reminders and missed deadlines (reminders.py), reminders of
agreed update intervals (updates.py), the reminder
of the policy's own review (policy_review.py, Pivotal §24.1), the reminders of the CQC's
requests for a summary (cqc.py, CQC Regulation 16(3)), then any acknowledgement letter of
the public form still waiting to be printed (intake/letter.py), then the daily digest of those
who chose it (digest.py), then the lead officers' dashboards to count again (dashboards.py).

Each organisation's sweep of a minute is claimed by inserting its SweepRun row; the unique key
(sweep, organisation, minute) lets only one worker have it, so two workers, or a worker run
twice, sweep each minute once. What a sweep does is itself safe to repeat: every change goes
through the case's row lock and is refused if it has already been made, so a sweep that died
half-way is finished by the next minute's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.cases.services import cases_auto_close_sweep
from fairhear.intake.letter import receipt_letters_overdue
from fairhear.letters.auto_closure import auto_closure_letters_due
from fairhear.notifications.cqc import sweep_cqc_requests
from fairhear.notifications.dashboards import sweep_dashboards
from fairhear.notifications.digest import sweep_daily_digest
from fairhear.notifications.models import SweepRun
from fairhear.notifications.policy_review import sweep_policy_review
from fairhear.notifications.reminders import sweep_deadlines
from fairhear.notifications.updates import sweep_updates
from fairhear.notifications.windows import sweep_windows

logger = logging.getLogger(__name__)
SWEEP = "clocks"


@dataclass
class SweepReport:
    """What one sweep of every organisation did."""

    swept: list[int] = field(default_factory=list)  # organisations swept by this call
    passed_by: list[int] = field(default_factory=list)  # already swept this minute
    closed: list[str] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)

    def __str__(self) -> str:
        closed = f"{len(self.closed)} closed automatically"
        return (
            f"{len(self.swept)} organisation{'s' if len(self.swept) != 1 else ''} swept, "
            f"{len(self.passed_by)} already swept this minute, {closed}, "
            f"{len(self.reminded)} reminded, {len(self.missed)} missed deadlines recorded"
            + (f", {len(self.failed)} failed" if self.failed else "")
        )


def _auto_close(organisation: Organisation, now: datetime) -> dict:
    today = timezone.localdate(now)
    return {"closed": cases_auto_close_sweep(today=today, organisation_id=organisation.pk)}


# Each step of the sweep, in order: its name and what it does for one organisation.
STEPS: list[tuple[str, Callable[[Organisation, datetime], dict]]] = [
    ("windows", sweep_windows),  # before auto_close: the window that lets it close is recorded
    ("auto_close", _auto_close),
    # The letter of each case it closed by itself (Pivotal §10.1 c; letters/auto_closure.py).
    ("auto_closure_letters", auto_closure_letters_due),
    ("deadlines", sweep_deadlines),
    ("updates", sweep_updates),
    ("policy_review", sweep_policy_review),
    ("cqc_requests", sweep_cqc_requests),  # CQC Regulation 16(3) (notifications/cqc.py)
    # The public form's acknowledgement letters the task did not make (fairhear/intake/letter.py).
    ("receipt_letters", receipt_letters_overdue),
    ("daily_digest", sweep_daily_digest),  # after the reminders it lists (digest.py)
    # The lead officers' dashboards counted again in the background (reporting/kept.py).
    ("dashboards", sweep_dashboards),
]


def window_of(now: datetime) -> str:
    """The minute a sweep at `now` belongs to, in UTC (so a clock change repeats no minute)."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def sweep_all(*, worker_id: str, now: datetime | None = None) -> SweepReport:
    """Sweep every organisation not yet swept this minute; say what was done."""
    now = now or timezone.now()
    report = SweepReport()
    for organisation in Organisation.objects.order_by("pk"):
        run = _claim(organisation, now, worker_id)
        if run is None:
            report.passed_by.append(organisation.pk)
            continue
        report.swept.append(organisation.pk)
        result: dict = {}
        error = ""
        for name, step in STEPS:
            try:
                result[name] = step(organisation, now)
            except Exception as exc:  # one organisation's failure never stops the others
                logger.exception("The %s sweep of organisation %s failed", name, organisation.pk)
                error = f"{name}: {type(exc).__name__}: {exc}"
                report.failed[organisation.pk] = error
                break
        report.closed += result.get("auto_close", {}).get("closed", [])
        report.reminded += result.get("deadlines", {}).get("reminded", [])
        report.missed += result.get("deadlines", {}).get("missed", [])
        SweepRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), result=result, error=error
        )
    return report


def _claim(organisation: Organisation, now: datetime, worker_id: str) -> SweepRun | None:
    """This minute's sweep of the organisation, if no one has claimed it yet."""
    try:
        with transaction.atomic():
            return SweepRun.objects.create(
                sweep=SWEEP,
                organisation=organisation,
                window=window_of(now),
                worker_id=worker_id,
                started_at=timezone.now(),
            )
    except IntegrityError:
        return None
