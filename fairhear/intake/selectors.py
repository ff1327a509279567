"""Reads for the public form and for triage, each scoped as the page needs."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.accounts.selectors import organisation_changed_token
from fairhear.cases.models import Case
from fairhear.cases.queues import untriaged
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.policy.schema import Capability
from fairhear.sql_memo import memo_fetch


def organisations_taking_feedback() -> QuerySet[Organisation]:
    """Organisations whose public form is open: those with a policy in force."""
    return Organisation.objects.filter(active_policy_version__isnull=False).order_by("name")


def organisation_for_feedback(*, slug: str) -> Organisation:
    """The organisation whose form this is; Organisation.DoesNotExist when it takes none. Read on
    every page of the form, by SQL built once (sql_memo): building it took half of the read's
    0.8 ms."""

    def build(values: Mapping[str, object]) -> QuerySet[Organisation]:
        # With its "changed" token, so that its calendar and service areas are kept until
        # they change (accounts.selectors), as on the staff pages.
        return (
            organisations_taking_feedback()
            .select_related("active_policy_version")
            .annotate(changed=organisation_changed_token())
            .filter(slug=values["slug"])[:2]
        )

    found = memo_fetch(("organisation_for_feedback",), build, {"slug": slug[:50]})
    if len(found) != 1:  # slugs are unique
        raise Organisation.DoesNotExist(slug[:50])
    return found[0]


def service_area_for(*, organisation: Organisation, area_id: str) -> ServiceArea | None:
    """One of the organisation's service areas by id; None when none is chosen."""
    if not area_id:
        return None
    return organisation.service_areas.get(pk=int(area_id))


def cases_to_triage(*, user: User) -> QuerySet[Case]:
    """What came in by the public form or e-mail and waits for a colleague to decide what it is
    and whether it is accepted (Pivotal §4.0, §5.2), oldest first; only for colleagues who
    accept or allocate, and only what they may see."""
    if not user.can(Capability.ALLOCATE):
        return Case.objects.none()
    return (
        case_list_visible_to(user=user)
        .filter(untriaged())
        .select_related("complainant", "service_area")
        .order_by("received_at", "pk")
    )
