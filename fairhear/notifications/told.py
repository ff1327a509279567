"""Telling colleagues about one of a case's clocks, once: every step of the sweep that tells
someone of a deadline (a reminder, a missed deadline, an agreed update that is due, a decision
due after a behaviour warning) goes through here.

The ClockNotice row's unique key (case, clock, due date, kind) is inserted in the same
transaction as the in-app notifications and the e-mails that each person's preference asks
for (fairhear/alerts: at once, in the daily digest, or none), so a second sweep or a second
worker tells nobody twice, and a notice is kept if and only if its notifications are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.alerts.services import Mail, notify_people
from fairhear.cases.models import Case
from fairhear.notifications.models import ClockNotice


def clock_source(case: Case, clock: str, due: date, kind: str) -> str:
    """What a notice is, as each person's notification names it: the ClockNotice's own key."""
    return f"clock:{case.pk}:{clock}:{due.isoformat()}:{kind}"


def clock_tell(
    *,
    case: Case,
    clock: str,
    due: date,
    kind: str,
    people: list[User],
    what: str,
    title: str,
    line: str,
    mail: Callable[[User], Mail],
) -> None:
    """Record the notice and tell `people`, inside the caller's transaction; IntegrityError
    when it was told already (by another sweep or worker)."""
    ClockNotice.objects.create(
        case=case,
        clock=clock,
        due=due,
        kind=kind,
        sent_at=timezone.now(),
        recipients=[u.email for u in people],
    )
    notify_people(
        people=people,
        organisation_id=case.organisation_id,
        source=clock_source(case, clock, due, kind),
        kind=what,
        title=title,
        line=line,
        mail=mail,
        case_id=case.pk,
    )


def clock_tell_once(**notice: Any) -> bool:
    """`clock_tell` in a transaction of its own; False when it was told already."""
    try:
        with transaction.atomic():
            clock_tell(**notice)
    except IntegrityError:
        return False
    return True
