"""Letters on the case: a stage response drafted for approval, and every letter kept exactly as
sent. The letter's PDF is written through Django's storage API before the event that points to
it (its name and sha256), so the event never names a file that is not there."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.services.stages import Outcome, _check_action_dates
from fairhear.cases.services.transitions import CaseInputError, _Context, _transition
from fairhear.domain.clock import london_date
from fairhear.domain.lifecycle import Action, TransitionRejected
from fairhear.outbox.services import OutboxInputError, outbox_enqueue, outbox_release


class Delivery:
    """How a letter reaches the complainant."""

    EMAIL = "email"
    POST = "post"
    CHOICES = [(EMAIL, "By e-mail"), (POST, "Printed for post")]


@dataclass(frozen=True, slots=True)
class KeptLetter:
    """A letter's PDF as stored: where, its sha256 and size, and what it says it is."""

    kind: str
    label: str
    subject: str
    file: str
    sha256: str
    size: int


def case_record_letter(
    *,
    case: Case,
    actor: User | None,
    letter: KeptLetter,
    delivery: str,
    to: str = "",
    pdf: bytes = b"",
    body_text: str = "",
    follows_sequence: int | None = None,
    seen_sequence: int | None = None,
    attach_to: str = "",
    once: bool = False,
) -> Case:
    """Record that a letter was sent, pointing to its PDF exactly as sent (name and sha256):
    by e-mail to `to` (queued in the outbox in the same transaction, with `body_text` as the
    message and the PDF attached), or printed for post. `attach_to` is the Message-ID of a
    message already queued and held for this letter (the public form's acknowledgement): the
    PDF goes with that message instead of a new one, and LetterAlreadySent is raised if it has
    gone already (the letter was made before, or a colleague sent the e-mail without it).
    `once`: this kind of letter confirms the step `follows_sequence` once only; checked under
    the case's row lock, LetterAlreadySent if it is there already (the automatic closure's
    letter, made by the sweep however often it runs). `actor` None is Fairhear itself."""
    if delivery not in {Delivery.EMAIL, Delivery.POST}:
        raise CaseInputError("Choose how the letter goes: by e-mail or printed for post.")
    if delivery == Delivery.EMAIL and not to.strip():
        raise CaseInputError(
            "There is no e-mail address to send the letter to; print it for post instead, "
            "or record the complainant's e-mail address first."
        )
    words = f"By e-mail to {to.strip()}" if delivery == Delivery.EMAIL else "Printed for post"

    def validate(ctx: _Context, when: datetime) -> dict:
        if (
            follows_sequence is not None
            and not ctx.case.events.filter(sequence=follows_sequence).exists()
        ):
            raise TransitionRejected("The step this letter confirms is not on this case.")
        if once and letter_sent_for(ctx.case, letter.kind, follows_sequence):
            raise LetterAlreadySent(f"The {letter.label.lower()} letter has already been sent.")
        data = {
            "letter_kind": letter.kind,
            "letter_label": letter.label,
            "subject": letter.subject,
            "file": letter.file,
            "sha256": letter.sha256,
            "size": letter.size,
            "delivery": delivery,
            "to": to.strip() if delivery == Delivery.EMAIL else "",
            "delivery_words": words,
            "follows_sequence": follows_sequence,
        }
        if attach_to:
            data["message_id"] = _attach(ctx.case, letter, attach_to, pdf, body_text)
        elif delivery == Delivery.EMAIL:
            data["message_id"] = _queue(ctx.case, letter, to.strip(), pdf, body_text)
        return data

    return _transition(
        case,
        Action.SEND_LETTER,
        actor=actor,
        validate=validate,
        seen_sequence=seen_sequence,
    )


def letter_sent_for(case: Case, kind: str, follows_sequence: int | None) -> bool:
    """Is a letter of this kind, confirming the step `follows_sequence`, kept on the case?"""
    return case.events.filter(
        kind=Action.SEND_LETTER, data__letter_kind=kind, data__follows_sequence=follows_sequence
    ).exists()


class LetterAlreadySent(TransitionRejected):
    """The held message this letter was for has already gone; nothing was recorded."""


def _attach(case: Case, letter: KeptLetter, message_id: str, pdf: bytes, body_text: str) -> str:
    """Release the held message with the letter's PDF attached (under the case's row lock)."""
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        raise CaseInputError("The letter to attach is not the letter kept; nothing was sent.")
    try:
        released = outbox_release(
            organisation_id=case.organisation_id,
            message_id=message_id,
            attachments=[(f"{case.reference}-{letter.kind}.pdf", pdf, "application/pdf")],
            body_text=body_text,
        )
    except OutboxInputError as exc:
        raise CaseInputError(f"The letter cannot be e-mailed: {exc}") from None
    if released is None:
        raise LetterAlreadySent("The e-mail this letter was for has already gone.")
    return message_id


def _queue(case: Case, letter: KeptLetter, to: str, pdf: bytes, body_text: str) -> str:
    """Queue the letter's e-mail with its PDF attached; the Message-ID, for threading replies."""
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        raise CaseInputError("The letter to attach is not the letter kept; nothing was sent.")
    try:
        message = outbox_enqueue(
            organisation_id=case.organisation_id,
            to=[to],
            subject=letter.subject,
            body_text=body_text,
            attachments=[(f"{case.reference}-{letter.kind}.pdf", pdf, "application/pdf")],
            kind=f"letter:{letter.kind}",
            thread=case.reference,
        )
    except OutboxInputError as exc:
        raise CaseInputError(f"The letter cannot be e-mailed: {exc}") from None
    return message.message_id


def case_draft_response(
    *,
    case: Case,
    actor: User,
    outcome: str,
    reasons: str,
    policy_references: str = "",
    outstanding_actions: list[dict] | None = None,
    nothing_outstanding: bool = False,
    remedy: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Write the stage response for approval before it is sent (Pivotal §13, "the outcome
    agreed with the Head of Services"). A later draft replaces an earlier one, and an
    approval counts only for the draft it followed."""
    if outcome not in {c for c, _ in Outcome.CHOICES}:
        raise CaseInputError("Choose whether the complaint is upheld, partly upheld or not upheld.")
    actions = []
    for i, item in enumerate(outstanding_actions or [], start=1):
        if not str(item.get("action", "")).strip() or not item.get("due"):
            raise CaseInputError(
                f"Outstanding action {i} needs both what will be done and by when."
            )
        actions.append({"action": str(item["action"]).strip(), "due": str(item["due"])})
    if actions and nothing_outstanding:
        raise CaseInputError(
            "You listed outstanding actions and also said nothing is outstanding; "
            "remove the actions or untick “nothing is outstanding”."
        )

    def validate(ctx: _Context, when: datetime) -> dict:
        _check_action_dates(actions, london_date(when))
        return {
            "outcome": outcome,
            "reasons": reasons.strip(),
            "policy_references": policy_references.strip(),
            "outstanding_actions": actions,
            "nothing_outstanding": nothing_outstanding,
            "remedy": remedy.strip(),
        }

    return _transition(
        case,
        Action.DRAFT_RESPONSE,
        actor=actor,
        validate=validate,
        seen_sequence=seen_sequence,
    )
