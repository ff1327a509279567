"""The public side's background task (Django Tasks, ADR-009): the form's acknowledgement letter,
printed after the form's transaction (fairhear/intake/letter.py). It takes the case's id,
never personal data."""

from __future__ import annotations

from django_tasks import task

from fairhear.cases.models import Case
from fairhear.intake.letter import receipt_letter_make


@task()
def make_receipt_letter(case_id: int) -> str:
    """Print and send the acknowledgement letter of the case, once however often it runs."""
    case = Case.objects.select_related("organisation", "policy_version").filter(pk=case_id).first()
    if case is None:
        return f"No case {case_id}."
    return receipt_letter_make(case=case)
