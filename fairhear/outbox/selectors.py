"""Reading the outbox for the staff page, one organisation at a time."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet

from fairhear.outbox.models import OutboundMessage

Status = OutboundMessage.Status
# The order the page shows them in: what needs a person first.
SHOWN = (Status.FAILED, Status.HELD, Status.QUEUED, Status.SENDING, Status.SENT)


def outbox_counts_for_org(*, organisation_id: int) -> dict[str, int]:
    """How many of the organisation's messages are in each status."""
    counts = dict.fromkeys(SHOWN, 0)
    rows = (
        OutboundMessage.objects.filter(organisation_id=organisation_id)
        .values("status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def outbox_list_for_org(
    *, organisation_id: int, status: str, limit: int = 200
) -> QuerySet[OutboundMessage]:
    """The organisation's messages in one status: the newest first, waiting ones soonest due
    first. Bodies and attachments are not read."""
    order = ("next_attempt_at", "pk") if status == Status.QUEUED else ("-created_at", "-pk")
    return (
        OutboundMessage.objects.filter(organisation_id=organisation_id, status=status)
        .defer("body_text", "body_html")
        .order_by(*order)[:limit]
    )


def outbox_held(
    *, organisation_id: int, kind: str, thread: str = "", due_before: datetime | None = None
) -> list[OutboundMessage]:
    """The organisation's messages of `kind` still waiting for their attachment: those of one
    `thread`, or those whose next try is due before `due_before` (oldest first)."""
    held = OutboundMessage.objects.filter(
        organisation_id=organisation_id, kind=kind, status=Status.HELD
    )
    if thread:
        held = held.filter(thread=thread)
    if due_before is not None:
        held = held.filter(next_attempt_at__lte=due_before)
    return list(held.defer("body_html").order_by("next_attempt_at", "pk")[:200])
