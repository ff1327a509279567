"""Reading kept e-mail for the mail-in page: only messages that are on no case."""

from __future__ import annotations

from django.db.models import QuerySet

from fairhear.mailin.models import InboundMessage

Outcome = InboundMessage.Outcome
# Messages a person must look at because Fairhear put them on no case.
UNFILED = (Outcome.QUARANTINED, Outcome.AUTOMATIC)


def inbound_unfiled_for_org(*, organisation_id: int, outcome: str) -> QuerySet[InboundMessage]:
    """The organisation's quarantined (or automatic) messages, newest first."""
    return InboundMessage.objects.filter(
        organisation_id=organisation_id, outcome=outcome, case__isnull=True
    ).order_by("-fetched_at", "-pk")[:200]


def inbound_unfiled_counts(*, organisation_id: int) -> dict[str, int]:
    """How many messages of each unfiled kind the organisation has."""
    return {
        outcome: InboundMessage.objects.filter(
            organisation_id=organisation_id, outcome=outcome, case__isnull=True
        ).count()
        for outcome in UNFILED
    }


def inbound_unfiled_get(*, organisation_id: int, sha256: str) -> InboundMessage:
    """One unfiled message by the hash of its bytes; DoesNotExist when it is not one."""
    found = InboundMessage.objects.filter(
        organisation_id=organisation_id,
        raw_sha256=sha256,
        outcome__in=UNFILED,
        case__isnull=True,
    ).first()
    if found is None:
        raise InboundMessage.DoesNotExist(sha256)
    return found
