"""The public form's acknowledgement letter (issue 8: "an acknowledgement e-mail with a PDF
letter"), printed after the form's transaction has committed.

The form's transaction stores the case and its acknowledgement e-mail, held in the outbox
until its letter is attached, and queues `make_receipt_letter` (fairhear.intake.tasks). The
task prints the organisation's acknowledgement-of-receipt letter to PDF, keeps it on the case
as a letter sent (like a letter a colleague sends) and releases the held e-mail with the PDF
attached, in one transaction under the case's row lock. It is keyed by the case: a repeat
finds the e-mail already released and does nothing, so there is one letter however often it
runs. Should the task be lost, the sweep makes the letter for any e-mail held longer than
HELD_GRACE; should printing fail, the e-mail says why on the staff outbox page and is tried
again later (docs/letters.md, "The public form's acknowledgement").
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.cases.models import Case
from fairhear.cases.services.letters import Delivery, LetterAlreadySent, case_record_letter
from fairhear.domain.letters import LetterKind
from fairhear.intake.presenters import what_happens_next
from fairhear.letters.services import letter_compose, letter_keep
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.selectors import outbox_held
from fairhear.outbox.sender import retry_delay
from fairhear.outbox.services import outbox_hold_problem
from fairhear.policies.selectors import policy_pack_for

logger = logging.getLogger(__name__)
ACKNOWLEDGEMENT = "intake_acknowledgement"
ATTACHED = "Our letter acknowledging it is attached as a PDF."
# How long the task has to print the letter before the sweep does it instead.
HELD_GRACE = timedelta(minutes=2)


def receipt_letter_make(*, case: Case) -> str:
    """Print the case's acknowledgement-of-receipt letter, keep it on the case and send it with
    the held acknowledgement e-mail; what was done, in words. Safe to run any number of times."""
    held = outbox_held(
        organisation_id=case.organisation_id, kind=ACKNOWLEDGEMENT, thread=case.reference
    )
    if not held:
        return f"{case.reference}: no acknowledgement is waiting for its letter."
    message = held[0]
    pack = policy_pack_for(case.policy_version)
    kept = None
    try:
        composed = letter_compose(
            case=case,
            actor=None,
            kind=LetterKind.RECEIPT,
            extra={"next_steps": "\n\n".join(what_happens_next(pack, case.kind))},
        )
        kept, pdf = letter_keep(case, composed)
        case_record_letter(
            case=case,
            actor=None,
            letter=kept,
            delivery=Delivery.EMAIL,
            to=message.to[0],
            pdf=pdf,
            body_text=f"{message.body_text.rstrip()}\n\n{ATTACHED}",
            attach_to=message.message_id,
        )
    except LetterAlreadySent:
        default_storage.delete(kept.file)
        return f"{case.reference}: the acknowledgement had already gone."
    except Exception as exc:
        if kept is not None:
            default_storage.delete(kept.file)  # not sent: keep no file for it
        logger.exception("The acknowledgement letter of %s could not be made", case.reference)
        _problem(message, f"{type(exc).__name__}: {exc}")
        raise
    return f"{case.reference}: acknowledgement letter sent."


def _problem(message: OutboundMessage, error: str) -> None:
    with transaction.atomic():
        outbox_hold_problem(
            message_id=message.message_id,
            problem=f"Its letter could not be printed ({error}); it is tried again later.",
            retry_at=timezone.now() + retry_delay(message.attempts + 1),
        )


def receipt_letters_overdue(organisation: Organisation, now: datetime) -> dict:
    """The sweep's part: make the letter of every acknowledgement held longer than the task
    should have taken (the task was lost, or printing failed and its wait is over)."""
    done, failed = [], []
    for message in outbox_held(
        organisation_id=organisation.pk, kind=ACKNOWLEDGEMENT, due_before=now - HELD_GRACE
    ):
        case = (
            Case.objects.select_related("organisation", "policy_version")
            .filter(organisation=organisation, reference=message.thread)
            .first()
        )
        if case is None:
            continue
        try:
            receipt_letter_make(case=case)
            done.append(case.reference)
        except Exception:  # said on the message; the other letters still go
            failed.append(case.reference)
    return {"made": done, "failed": failed}
