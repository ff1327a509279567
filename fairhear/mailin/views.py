"""The mail-in page: e-mail that Fairhear kept but put on no case (quarantined because it
could not be read or added, or an automatic reply), with the reason and the message as
received. For the lead officer only: these messages may be about any case."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.domain.policy.schema import Capability
from fairhear.mailin.models import InboundMessage
from fairhear.mailin.selectors import (
    UNFILED,
    inbound_unfiled_counts,
    inbound_unfiled_for_org,
    inbound_unfiled_get,
)


def _organisation_id(request: HttpRequest) -> int:
    user = request.user
    if not user.organisation_id or not user.can(Capability.LEAD):
        raise PermissionDenied("Only the lead officer can see e-mail that is on no case.")
    return user.organisation_id


def mailin_list(request: HttpRequest) -> HttpResponse:
    """Quarantined messages, or automatic replies, with why each is on no case."""
    organisation_id = _organisation_id(request)
    outcome = request.GET.get("outcome") or InboundMessage.Outcome.QUARANTINED
    if outcome not in UNFILED:
        raise Http404("No such list of messages.")
    counts = inbound_unfiled_counts(organisation_id=organisation_id)
    return render(
        request,
        "mailin/pages/mailin.html",
        {
            "outcome": InboundMessage.Outcome(outcome),
            "tabs": [(InboundMessage.Outcome(o), counts[o]) for o in UNFILED],
            "rows": inbound_unfiled_for_org(organisation_id=organisation_id, outcome=outcome),
        },
    )


def mailin_raw(request: HttpRequest, sha256: str) -> FileResponse:
    """The message exactly as received, to open in a mail program."""
    organisation_id = _organisation_id(request)
    try:
        message = inbound_unfiled_get(organisation_id=organisation_id, sha256=sha256)
    except InboundMessage.DoesNotExist:
        raise Http404("No such message.") from None
    return FileResponse(
        default_storage.open(message.raw.name),
        as_attachment=True,
        filename=f"message-{sha256[:12]}.eml",
        content_type="message/rfc822",
    )
