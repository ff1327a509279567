"""The e-mails the public side sends, put in the outbox inside the transaction of what caused
them: the acknowledgement of a form, and the Track my case link (or the note that no case
matched, which goes to the same address by the same path, so the page never tells)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from fairhear.accounts.models import Organisation
from fairhear.cases.models import Case
from fairhear.domain.policy.schema import PolicyPack
from fairhear.intake.letter import ACKNOWLEDGEMENT
from fairhear.intake.presenters import what_happens_next
from fairhear.intake.tasks import make_receipt_letter
from fairhear.outbox.services import outbox_enqueue

logger = logging.getLogger(__name__)
TRACK_LINK = "track_link"
__all__ = ["ACKNOWLEDGEMENT", "TRACK_LINK", "acknowledgement_enqueue", "track_link_enqueue"]


def contact_address(case: Case) -> str:
    """Where the case's own e-mails go: the representative's, else the complainant's."""
    for person in (case.representative, case.complainant):
        if person is not None and person.email:
            return person.email
    return ""


def acknowledgement_enqueue(*, case: Case, pack: PolicyPack, track_url: str) -> None:
    """Queue the form's acknowledgement, with a copy of what was sent, when there is an
    address to send it to (an anonymous sender gave none). It is held in the outbox until its
    PDF letter is attached by the task queued here (fairhear/intake/letter.py): on the
    database task queue the task commits with the case; on Redis it is queued once the case
    has committed. Either way the sweep makes any letter the task did not."""
    to = contact_address(case)
    if not to:
        return
    person = case.representative or case.complainant
    lines = [
        f"Dear {person.name},",
        "",
        f"Thank you for contacting {case.organisation.name}. We have your message and its "
        f"reference is {case.reference}. Please give it if you contact us about this.",
        "",
        "What you told us:",
        "",
        case.summary,
        "",
        "What happens next:",
        "",
        *what_happens_next(pack, case.kind),
        "",
        f"You can follow it online at {track_url} with your reference and this e-mail address.",
        "",
        case.organisation.name,
    ]
    outbox_enqueue(
        organisation_id=case.organisation_id,
        to=[to],
        subject=f"We have your message: {case.reference}",
        body_text="\n".join(lines),
        kind=ACKNOWLEDGEMENT,
        thread=case.reference,
        held=True,
    )
    if settings.FAIRHEAR_TASKS == "database":
        make_receipt_letter.enqueue(case.pk)
    else:
        transaction.on_commit(lambda: _enqueue_after_commit(case.pk))


def _enqueue_after_commit(case_id: int) -> None:
    try:
        make_receipt_letter.enqueue(case_id)
    except Exception:  # the queue is unreachable: the sweep makes the letter instead
        logger.exception("The acknowledgement letter of case %s could not be queued", case_id)


def track_link_enqueue(
    *, organisation: Organisation, to: str, reference: str, link: str, hours: int
) -> None:
    """Queue the Track my case link; `link` is "" when no case of this organisation has that
    reference and address, and the e-mail then says so, to the address that was typed."""
    if link:
        body = [
            f"Here is the link to follow case {reference} with {organisation.name}:",
            "",
            link,
            "",
            f"It works for {hours} hours, on this case only. If you did not ask for it, you "
            "can ignore this e-mail.",
        ]
    else:
        body = [
            f"Someone asked {organisation.name} for a link to follow case {reference} with "
            "this e-mail address, but we have no case with that reference for this address.",
            "",
            "Check the reference in our acknowledgement, or contact us. If you did not ask, "
            "you can ignore this e-mail.",
        ]
    outbox_enqueue(
        organisation_id=organisation.pk,
        to=[to],
        subject=f"Following case {reference} with {organisation.name}",
        body_text="\n".join(body),
        kind=TRACK_LINK,
    )
