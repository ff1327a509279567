"""A colleague's notifications as their pages show them: each one links its case only while the
colleague may see it (need to know is decided by cases.selectors, ADR-006), so a case restricted
since, or a complaint that has come to name them, is never linked, and opening it answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from fairhear.accounts.models import User
from fairhear.alerts.models import Notification
from fairhear.cases.selectors import case_list_visible_to


@dataclass(frozen=True, slots=True)
class NotificationItem:
    """One notification on the list: where it opens ("" when nowhere the colleague may go)."""

    notification: Notification
    opens: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def notification_items(*, user: User, notifications: list[Notification]) -> list[NotificationItem]:
    """The list's items, each linked to its case only if the colleague may see the case now
    (one query for the whole page)."""
    case_ids = {n.case_id for n in notifications if n.case_id}
    visible = (
        set(case_list_visible_to(user=user).filter(pk__in=case_ids).values_list("pk", flat=True))
        if case_ids
        else set()
    )
    items = []
    for n in notifications:
        linked = n.case_id in visible if n.case_id else bool(n.link)
        opens = reverse("inbox:open", args=[n.pk]) if linked else ""
        items.append(NotificationItem(n, opens))
    return items


def notification_target(*, user: User, notification: Notification) -> str | None:
    """Where opening the notification goes: its case if the colleague may see it now, its page
    when it is about no case; None when it may open nothing."""
    if notification.case_id is None:
        return notification.link or None
    case = (
        case_list_visible_to(user=user)
        .filter(pk=notification.case_id)
        .values_list("reference", flat=True)
        .first()
    )
    return reverse("cases:detail", args=[case]) if case else None
