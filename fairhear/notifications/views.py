"""The worker's status page, for the lead officer and administrators: when each worker last
ran, what the task queue holds or failed, and e-mail that could not be delivered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.domain.policy.schema import Capability
from fairhear.notifications import selectors


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
