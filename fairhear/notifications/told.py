"""Telling colleagues of a deadline, once: every step of the sweep that tells someone of one
(a reminder, a missed deadline, an agreed update that is due, a decision due after a
behaviour warning, the policy's own review, a summary the CQC asked for) goes through here.

The notice's row, whose unique key names the deadline (for a case's clock: ClockNotice's case,
clock, due date and kind), is inserted in the same transaction as the in-app notifications and
the e-mails that each person's preference asks for (fairhear/alerts: at once, in the daily
digest, or none), so a second sweep or a second worker tells nobody twice, and a notice is kept
if and only if its notifications are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import colleague_list_with
from fairhear.alerts.services import Mail, notify_people
from fairhear.cases.models import Case
from fairhear.domain.policy.schema import Capability
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


def told_once(tell: Callable[[], object]) -> bool:
    """Run `tell` (the notice's row, then its notifications) in a transaction of its own;
    False when the row's unique key says it was told already (by another sweep or worker)."""
    try:
        with transaction.atomic():
            tell()
    except IntegrityError:
        return False
    return True


def clock_tell_once(**notice: Any) -> bool:
    """`clock_tell` in a transaction of its own; False when it was told already."""
    return told_once(lambda: clock_tell(**notice))


def notice_told_once(
    *,
    record: Callable[[dict[str, Any]], object],
    people: list[User],
    organisation_id: int,
    source: str,
    kind: str,
    title: str,
    line: str,
    mail: Callable[[User], Mail],
    link: str,
) -> bool:
    """A notice that is not a case's clock's (the policy's review, a CQC summary): its row,
    made by `record(told)` with `told` holding when it was sent and to whom, and each person's
    notification, in a transaction of its own; False when the row's unique key says it was
    told already (by another sweep or worker)."""

    def tell() -> None:
        record({"sent_at": timezone.now(), "recipients": [u.email for u in people]})
        notify_people(
            people=people,
            organisation_id=organisation_id,
            source=source,
            kind=kind,
            title=title,
            line=line,
            mail=mail,
            link=link,
        )

    return told_once(tell)


def leads_to_tell(organisation: Organisation) -> list[User]:
    """The organisation's lead officers who have an e-mail address."""
    return [
        u
        for u in colleague_list_with(organisation=organisation, capability=Capability.LEAD)
        if u.email
    ]
