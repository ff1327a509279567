"""The daily digest: one e-mail a working day to each colleague who chose it (the preferences
page), at the first sweep on or after 07:00 London time, listing what is due in the next
FAIRHEAR_DUE_SOON_WORKING_DAYS working days, what is overdue, and what they were told since
their last digest, of the cases they may see.

Working days only (the organisation's calendar: weekends, its nation's bank holidays and its
own closures): deadlines count working days, so nothing falls due on a day off that Friday's
digest did not already show as due, and what is told at a weekend waits for Monday's digest,
which lists everything since Friday's. 07:00 is London's wall-clock time, in GMT and in BST
alike. Once per colleague per day: the DailyDigest row's unique key (user, day) is inserted in
the same transaction as the e-mail, so a second sweep or a second worker sends nothing; a
worker that was stopped at 07:00 sends the digest at its first sweep after it starts, that
same day.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import organisation_calendar
from fairhear.alerts.models import Notification
from fairhear.alerts.selectors import digest_users_waiting, last_digest_of, notifications_since
from fairhear.alerts.services import Mail, daily_digest_send
from fairhear.cases.clock_presenters import due_soon_until
from fairhear.cases.models import Case
from fairhear.cases.queues import QueueContext, queue_cases, queue_get
from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.clock import fmt_day
from fairhear.links import absolute_url, case_url
from fairhear.notifications.inbox import notification_target

DIGEST_AT = time(7, 0)  # London time
LISTED = 50  # cases or notifications named in each part; the rest are counted


def digest_is_due(now: datetime, cal: WorkingDayCalendar) -> bool:
    """It is 07:00 London or later on a working day."""
    local = timezone.localtime(now)
    return local.time() >= DIGEST_AT and cal.is_working_day(local.date())


def sweep_daily_digest(organisation: Organisation, now: datetime) -> dict:
    """Send today's digest to each colleague who chose it and has not had it; who was sent."""
    if timezone.localtime(now).time() < DIGEST_AT:
        return {}
    cal = organisation_calendar(organisation)
    if not digest_is_due(now, cal):
        return {}
    today = timezone.localdate(now)
    sent, nothing = [], []
    for user in digest_users_waiting(organisation_id=organisation.pk, day=today):
        done = _digest(user, today, cal)
        if done is not None:
            (sent if done else nothing).append(str(user))
    return {"sent": sent, "nothing_to_tell": nothing} if sent or nothing else {}


def _digest(user: User, today: date, cal: WorkingDayCalendar) -> bool | None:
    """Send one colleague's digest: True if e-mailed, False if there was nothing to tell,
    None if it was sent already (by another worker)."""
    ctx = QueueContext(user=user, today=today, cal=cal)
    due = _cases(ctx, "due-soon")
    overdue = _cases(ctx, "overdue")
    last = last_digest_of(user=user)
    new = notifications_since(
        user=user,
        chosen_at=user.notification_preference.updated_at,
        last_sent_at=last.sent_at if last is not None else None,
    )
    counts = {"due": len(due), "overdue": len(overdue), "new": len(new)}
    mail = None
    if any(counts.values()):
        mail = Mail(
            subject=f"Your Fairhear digest for {fmt_day(today)}: {len(due)} due, "
            f"{len(overdue)} overdue, {len(new)} new",
            body_text=_text(user, today, cal, due, overdue, new),
        )
    digest = daily_digest_send(
        user=user, organisation_id=user.organisation_id, day=today, counts=counts, mail=mail
    )
    if digest is None:
        return None
    return mail is not None


def _cases(ctx: QueueContext, slug: str) -> list[Case]:
    return list(
        queue_cases(queue=queue_get(user=ctx.user, slug=slug), ctx=ctx)
        .only("reference", "next_due", "next_due_label")
        .order_by("next_due", "reference")
    )


def _case_lines(cases: list[Case]) -> list[str]:
    lines = []
    for case in cases[:LISTED]:
        what = f"{case.next_due_label}, " if case.next_due_label else ""
        lines.append(f"- {case.reference}: {what}due {fmt_day(case.next_due)}")
        lines.append(f"  {case_url(case.reference)}")
    if len(cases) > LISTED:
        lines.append(f"- and {len(cases) - LISTED} more")
    return lines


def _told_lines(user: User, told: list[Notification]) -> list[str]:
    lines = []
    for n in told[:LISTED]:
        lines.append(f"- {n.title}")
        target = notification_target(user=user, notification=n)
        if target:
            lines.append(f"  {absolute_url(target)}")
    if len(told) > LISTED:
        lines.append(f"- and {len(told) - LISTED} more")
    return lines


def _text(
    user: User,
    today: date,
    cal: WorkingDayCalendar,
    due: list[Case],
    overdue: list[Case],
    new: list[Notification],
) -> str:
    parts = [f"Hello {user.first_name or user},", "", f"Your digest for {fmt_day(today)}."]
    until = fmt_day(due_soon_until(today, cal))
    for heading, lines in (
        (f"Due by {until} ({len(due)})", _case_lines(due)),
        (f"Overdue ({len(overdue)})", _case_lines(overdue)),
        (f"New since your last digest ({len(new)})", _told_lines(user, new)),
    ):
        parts += ["", heading, *(lines or ["- Nothing"])]
    parts += [
        "",
        f"Your notifications: {absolute_url(reverse('inbox:list'))}",
        "",
        "You are sent one e-mail each working day because you chose a daily digest. A new "
        "complaint and a case flagged safeguarding or health and safety are still e-mailed "
        f"at once. Change how you are e-mailed: {absolute_url(reverse('inbox:preferences'))}",
    ]
    return "\n".join(parts) + "\n"
