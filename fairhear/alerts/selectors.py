"""Reading a colleague's notifications and preference. Whether a notification may link its
case is decided above, by cases.selectors (fairhear.notifications.inbox)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db.models import Count, QuerySet, Subquery
from django.db.models.functions import Coalesce

from fairhear.accounts.models import Organisation, User
from fairhear.accounts.selectors import organisation_changed_token
from fairhear.alerts.models import DailyDigest, Notification, NotificationPreference
from fairhear.sql_memo import memo_fetch


def unread_count(*, user: User) -> int:
    """How many of the colleague's notifications are unread: one indexed query."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The colleague's notifications, newest first."""
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def notification_get(*, user: User, pk: int) -> Notification:
    """One of the colleague's own notifications; Notification.DoesNotExist for anyone else's."""
    return Notification.objects.get(user_id=user.pk, pk=pk)


def email_preference_of(*, user: User) -> str:
    """How the colleague chose to be e-mailed (immediately unless they chose otherwise)."""
    chosen = (
        NotificationPreference.objects.filter(user_id=user.pk)
        .values_list("email", flat=True)
        .first()
    )
    return chosen or NotificationPreference.Email.IMMEDIATELY


def digest_users_waiting(*, organisation_id: int, day: date) -> QuerySet[User]:
    """The organisation's active colleagues with an e-mail address who chose the daily digest
    and have not had the digest of `day` yet (one query)."""
    done = DailyDigest.objects.filter(day=day).values("user_id")
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            notification_preference__email=NotificationPreference.Email.DIGEST,
        )
        .exclude(email="")
        .exclude(pk__in=done)
        .select_related("notification_preference")
        .order_by("pk")
    )


def notifications_since(
    *, user: User, chosen_at: datetime, last_sent_at: datetime | None
) -> list[Notification]:
    """What the colleague was told for their next digest, oldest first: since they chose the
    digest (from that moment on) and after their last digest was sent."""
    rows = Notification.objects.filter(user_id=user.pk, created_at__gte=chosen_at)
    if last_sent_at is not None:
        rows = rows.filter(created_at__gt=last_sent_at)
    return list(rows.order_by("created_at", "pk"))


def last_digest_of(*, user: User) -> DailyDigest | None:
    return DailyDigest.objects.filter(user_id=user.pk).order_by("-day").first()


def organisation_and_unread(*, user: User) -> tuple[Organisation | None, int | None]:
    """The colleague's organisation with how many of their notifications are unread, and its
    "changed" token (`changed`, accounts.selectors), read in one query (the header needs the
    first two on every page), and kept as `user.organisation`. When the
    organisation was read already, the count read with it; when it was read otherwise, the
    count is left to unread_count (None here)."""
    if not isinstance(user, User):  # a stand-in (a template rendered in a test)
        return getattr(user, "organisation", None), 0
    if not user.organisation_id:
        return None, 0
    if User.organisation.is_cached(user):
        # Read here before (a list page asks first, for its calendar), or by the ORM.
        return user.organisation, getattr(user.organisation, "unread", None)

    def build(values: Mapping[str, object]) -> QuerySet[Organisation]:
        unread = (
            Notification.objects.filter(user_id=values["user"], read_at__isnull=True)
            .order_by()
            .values("user_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return (
            Organisation.objects.annotate(
                unread=Coalesce(Subquery(unread), 0), changed=organisation_changed_token()
            )
            .filter(pk=values["organisation"])
            .order_by()[:1]
        )

    # Its SQL built once (sql_memo): building the subquery took 1 ms of every page's 10.
    found = memo_fetch(
        ("organisation_and_unread",),
        build,
        {"user": user.pk, "organisation": user.organisation_id},
    )
    if not found:
        return None, 0
    organisation = found[0]
    user.organisation = organisation
    return organisation, organisation.unread
