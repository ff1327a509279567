"""A case's categories as rows (`CaseCategory`), kept in step with the case: the case page
finds other cases about the same thing in the same service area through them (related.py).

Written in the transaction of the write that changes what they hold: a case received
(`intake.case_receive`), and every event that sets a case's categories, service area or time
received (`transitions._transition`: a correction of the details, a service request converted
to a complaint). The rows are the case's, so they are replaced whole.
"""

from __future__ import annotations

from fairhear.cases.models import Case, CaseCategory

# The case's fields the rows copy: an event that sets any of them writes the rows again.
KEPT_FROM = frozenset({"categories", "service_area", "service_area_id", "received_at"})


def case_categories_add(case: Case) -> None:
    """The rows of a case just made (it has none yet)."""
    CaseCategory.objects.bulk_create(_rows(case))


def case_categories_replace(case: Case) -> None:
    """The rows of a case whose categories, service area or time received were just set."""
    CaseCategory.objects.filter(case=case).delete()
    CaseCategory.objects.bulk_create(_rows(case))


def _rows(case: Case) -> list[CaseCategory]:
    return [
        CaseCategory(
            case=case,
            organisation_id=case.organisation_id,
            service_area_id=case.service_area_id,
            code=code,
            received_at=case.received_at,
        )
        for code in dict.fromkeys(case.categories or [])
    ]
