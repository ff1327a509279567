"""The worker's status page, for the lead officer and administrators: when each worker last
ran, what the task queue holds or failed, and e-mail that could not be delivered. And each
colleague's own notifications: the list, marking them read, and how they are e-mailed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fairhear.accounts.models import User
from fairhear.alerts import selectors as alerts
from fairhear.alerts.models import Notification
from fairhear.alerts.services import (
    notification_mark_read,
    notification_preference_set,
    notifications_mark_all_read,
)
from fairhear.cases.case_list import page_links
from fairhear.domain.policy.schema import Capability
from fairhear.notifications import selectors
from fairhear.notifications.forms import NotificationPreferenceForm
from fairhear.notifications.inbox import notification_items, notification_target

PAGE_SIZE = 25


def worker_status(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.organisation_id or not (
        user.can(Capability.LEAD) or user.can(Capability.ADMINISTER)
    ):
        raise PermissionDenied("Only the lead officer and administrators can see the worker.")
    failed_count, failed_mail = selectors.outbox_failures_for_org(
        organisation_id=user.organisation_id
    )
    workers = selectors.worker_rows()
    return render(
        request,
        "notifications/pages/status.html",
        {
            "workers": workers,
            "running": [w for w in workers if w.state == "running"],
            "queue": selectors.queue_state(),
            "last_sweep": selectors.last_sweep_for_org(organisation_id=user.organisation_id),
            "failed_count": failed_count,
            "failed_mail": failed_mail,
        },
    )


def _colleague(request: HttpRequest) -> User:
    if not request.user.organisation_id:
        raise PermissionDenied("Notifications are for colleagues of an organisation.")
    return request.user


def notification_list(request: HttpRequest) -> HttpResponse:
    """The colleague's notifications, newest first, 25 a page, the unread marked."""
    user = _colleague(request)
    page = Paginator(alerts.notifications_for(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    base = reverse("inbox:list")
    return render(
        request,
        "notifications/pages/list.html",
        {
            "page": page,
            "items": notification_items(user=user, notifications=list(page.object_list)),
            "pages": page_links(page, lambda n: f"{base}?page={n}"),
            "previous_href": f"{base}?page={page.number - 1}" if page.has_previous() else "",
            "next_href": f"{base}?page={page.number + 1}" if page.has_next() else "",
            "unread": alerts.unread_count(user=user),
            "preference": alerts.email_preference_of(user=user),
        },
    )


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all the colleague's notifications read."""
    done = notifications_mark_all_read(user=_colleague(request))
    if done:
        messages.success(request, f"{done} notification{'s' if done != 1 else ''} marked as read.")
    return redirect("inbox:list")


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: mark it read and go to its case (404 for someone else's, or for
    a case the colleague may no longer see)."""
    user = _colleague(request)
    try:
        notification = alerts.notification_get(user=user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404("No such notification") from None
    target = notification_target(user=user, notification=notification)
    if target is None:
        raise Http404("No such case")
    notification_mark_read(notification=notification)
    return redirect(target)


def notification_preferences(request: HttpRequest) -> HttpResponse:
    """How the colleague wants to be e-mailed: each one at once, a daily digest, or none."""
    user = _colleague(request)
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            notification_preference_set(user=user, email=form.cleaned_data["email"])
            messages.success(request, "How you are e-mailed has been saved.")
            return redirect("inbox:preferences")
    else:
        form = NotificationPreferenceForm(initial={"email": alerts.email_preference_of(user=user)})
    return render(request, "notifications/pages/preferences.html", {"form": form})
