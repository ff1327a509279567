"""The staff page of outgoing e-mail: what is waiting, what failed and why, what was sent;
a waiting or failed message can be sent at the next run ("retry now"). For the lead officer
and administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fairhear.domain.policy.schema import Capability
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.selectors import SHOWN, outbox_counts_for_org, outbox_list_for_org
from fairhear.outbox.services import OutboxInputError, outbox_retry_now


def _organisation_id(request: HttpRequest) -> int:
    user = request.user
    if not user.organisation_id or not (
        user.can(Capability.LEAD) or user.can(Capability.ADMINISTER)
    ):
        raise PermissionDenied("Only the lead officer and administrators can see outgoing e-mail.")
    return user.organisation_id


def outbox_list(request: HttpRequest) -> HttpResponse:
    """Messages in one status (failed first by default), with counts of each."""
    organisation_id = _organisation_id(request)
    counts = outbox_counts_for_org(organisation_id=organisation_id)
    status = request.GET.get("status") or next(
        (s for s in SHOWN if counts[s]), OutboundMessage.Status.FAILED
    )
    if status not in SHOWN:
        raise Http404("No such list of messages.")
    return render(
        request,
        "outbox/pages/outbox.html",
        {
            "status": OutboundMessage.Status(status),
            "tabs": [(OutboundMessage.Status(s), counts[s]) for s in SHOWN],
            "rows": outbox_list_for_org(organisation_id=organisation_id, status=status),
        },
    )


@require_POST
def outbox_retry(request: HttpRequest, key: str) -> HttpResponse:
    """Send a waiting or failed message at the sender's next run."""
    organisation_id = _organisation_id(request)
    try:
        message = outbox_retry_now(organisation_id=organisation_id, key=key)
    except OutboundMessage.DoesNotExist:
        raise Http404("No such message.") from None
    except OutboxInputError as exc:
        messages.error(request, str(exc))
        return redirect("outbox:list")
    messages.success(
        request, f"“{message.subject}” to {', '.join(message.to)} will be sent at the next run."
    )
    return redirect(reverse("outbox:list") + "?status=queued")
