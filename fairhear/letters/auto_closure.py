"""The automatic closure's letter (Pivotal §10.1 c: the case "will be closed" when nothing more
is heard within 10 working days of the stage 1 response; the complainant is told in writing).

The worker's sweep closes the case (cases/services/closure.py) and then, in its next step, makes
this letter for every case it closed by itself and has not written to yet: the organisation's
"Closure after no reply" letter, printed to PDF and kept on the case as a letter sent, e-mailed
with the PDF attached when the complainant has an e-mail address, otherwise printed for post
(it is on the case's timeline as "Printed for post", like a colleague's letter for post). It is
keyed by the closure: the letter confirms the auto-closure event, and a second one for the same
event is refused under the case's row lock, so there is one letter however often the sweep
runs, or two sweeps run at once. A closure whose letter failed is tried again by the next
sweep, for LETTER_WINDOW after it closed (docs/letters.md, "The automatic closure's letter").
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.files.storage import default_storage

from fairhear.accounts.models import Organisation
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.services.letters import (
    Delivery,
    LetterAlreadySent,
    case_record_letter,
    letter_sent_for,
)
from fairhear.domain.letters import LetterKind
from fairhear.domain.lifecycle import Action
from fairhear.letters.services import email_text, letter_compose, letter_keep

logger = logging.getLogger(__name__)
# How long after an automatic closure the sweep still makes its letter if it is missing (the
# sweep runs every minute; a closure older than this is not written to late).
LETTER_WINDOW = timedelta(days=2)


def auto_closure_letter_make(*, case: Case, closure: CaseEvent) -> str:
    """Print the letter confirming `closure` (the case's auto-closure event), keep it on the
    case and send it: by e-mail with the PDF attached, or for post. Safe to run any number of
    times: what was done, in words."""
    kind = LetterKind.AUTO_CLOSURE
    if letter_sent_for(case, kind.value, closure.sequence):
        return f"{case.reference}: the closure letter had already been made."
    composed = letter_compose(case=case, actor=None, kind=kind, follows=closure)
    delivery = Delivery.EMAIL if composed.to_email else Delivery.POST
    kept, pdf = letter_keep(case, composed)
    try:
        case_record_letter(
            case=case,
            actor=None,
            letter=kept,
            delivery=delivery,
            to=composed.to_email,
            pdf=pdf,
            body_text=email_text(composed),
            follows_sequence=closure.sequence,
            once=True,
        )
    except LetterAlreadySent:
        default_storage.delete(kept.file)
        return f"{case.reference}: the closure letter had already been made."
    except Exception:
        default_storage.delete(kept.file)  # not sent: keep no file for it
        raise
    if delivery == Delivery.EMAIL:
        return f"{case.reference}: closure letter e-mailed."
    return f"{case.reference}: closure letter printed for post."


def auto_closure_letters_due(organisation: Organisation, now: datetime) -> dict:
    """The sweep's part, after it closes cases: the letter of every case of the organisation
    closed by itself within LETTER_WINDOW that has none yet. A failure is logged and tried
    again by the next sweep; the other letters still go."""
    done, failed = [], []
    closures = (
        CaseEvent.objects.select_related("case__organisation", "case__policy_version")
        .filter(
            case__organisation=organisation,
            kind=Action.AUTO_CLOSE,
            recorded_at__gte=now - LETTER_WINDOW,
        )
        .order_by("pk")
    )
    for closure in closures:
        case = closure.case
        if letter_sent_for(case, LetterKind.AUTO_CLOSURE.value, closure.sequence):
            continue
        try:
            auto_closure_letter_make(case=case, closure=closure)
            done.append(case.reference)
        except Exception:
            logger.exception("The closure letter of %s could not be made", case.reference)
            failed.append(case.reference)
    return {"made": done, "failed": failed}
