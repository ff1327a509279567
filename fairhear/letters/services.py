"""Writing letters: composing one from its template and the case, sending it (kept on the case
exactly as sent), the stage response builder that will not send a response lacking a part the
pack requires, and an organisation's own templates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.selectors import case_events, case_last_sequence
from fairhear.cases.services import CaseInputError, TransitionRejected, case_respond
from fairhear.cases.services.letters import Delivery, KeptLetter, case_record_letter
from fairhear.domain.letters import (
    MAX_SUBJECT_CHARS,
    LetterKind,
    LetterText,
    TemplateProblem,
    check_template,
    fill,
)
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.response_parts import check_response_parts, check_template_parts
from fairhear.letters.fields import letter_fields, response_parts_given
from fairhear.letters.models import LetterTemplate
from fairhear.letters.render import letter_html, pdf_from_html
from fairhear.letters.selectors import draft_approval, latest_draft, letter_wording
from fairhear.policies.selectors import policy_pack_for


@dataclass(frozen=True, slots=True)
class Composed:
    """A letter written out for one case: its text, its page, who it goes to."""

    kind: LetterKind
    text: LetterText
    html: str
    to_name: str
    to_email: str


def letter_compose(
    *,
    case: Case,
    actor: User | None,
    kind: LetterKind,
    follows: CaseEvent | None = None,
    response: dict | None = None,
    extra: dict[str, str] | None = None,
) -> Composed:
    """Write the letter from the organisation's wording (or the default) and the letter's own
    fields; TemplateProblem if the wording has become unusable. `actor` None: Fairhear
    itself writes it (the public form's acknowledgement), signed with the organisation's name."""
    pack = policy_pack_for(case.policy_version)
    wording = letter_wording(organisation=case.organisation, kind=kind)
    check_template(kind, wording.subject, what="The subject")
    check_template(kind, wording.body)
    fields = letter_fields(
        case=case, pack=pack, kind=kind, actor=actor, event=follows, response=response, extra=extra
    )
    text = LetterText(fill(wording.subject, fields)[:MAX_SUBJECT_CHARS], fill(wording.body, fields))
    person = case.representative or case.complainant
    html = letter_html(
        org=case.organisation,
        text=text,
        reference=case.reference,
        today=fields["today"],
        to_name=fields["complainant.name"],
        to_address=fields["complainant.address"],
    )
    return Composed(kind, text, html, fields["complainant.name"], person.email if person else "")


def letter_keep(case: Case, composed: Composed) -> tuple[KeptLetter, bytes]:
    """Print the letter and store the PDF through Django's storage API, before the event that
    points to it is written; the kept letter and its bytes."""
    pdf = pdf_from_html(composed.html)
    sha256 = hashlib.sha256(pdf).hexdigest()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    folder = f"letters/{case.organisation.slug}/{case.reference}"
    wanted = f"{folder}/{stamp}-{composed.kind}-{sha256[:12]}.pdf"
    name = default_storage.save(wanted, ContentFile(pdf))
    kept = KeptLetter(
        kind=composed.kind.value,
        label=composed.kind.label,
        subject=composed.text.subject,
        file=name,
        sha256=sha256,
        size=len(pdf),
    )
    return kept, pdf


def _check_delivery(delivery: str, composed: Composed) -> None:
    if delivery == Delivery.EMAIL and not composed.to_email:
        raise CaseInputError(
            f"We have no e-mail address for {composed.to_name}: print the letter for post, "
            "or record their e-mail address on the case first."
        )
    if delivery not in {Delivery.EMAIL, Delivery.POST}:
        raise CaseInputError("Choose how the letter goes: by e-mail or printed for post.")


def email_text(composed: Composed) -> str:
    """The e-mail a letter goes in: the letter itself as plain text, the PDF attached."""
    body = "\n\n".join(
        (f"{b.heading}\n" if b.heading else "") + "\n".join(b.lines) for b in composed.text.blocks
    )
    return f"{body}\n\nThis letter is also attached as a PDF."


def letter_send(
    *,
    case: Case,
    actor: User,
    kind: LetterKind,
    delivery: str,
    follows: CaseEvent | None = None,
    extra: dict[str, str] | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Send a letter confirming a step (or standing alone), kept on the case as sent."""
    if kind is LetterKind.STAGE_RESPONSE:
        raise TransitionRejected("A stage response is written and sent with the response builder.")
    if follows is not None and Action(follows.kind) not in kind.follows:
        raise TransitionRejected(f"A {kind.label.lower()} letter does not confirm that step.")
    if kind is LetterKind.RESTRICTION_WARNING and not (extra or {}).get("warning.behaviour"):
        raise CaseInputError("Describe the behaviour the warning is about; it is in the letter.")
    composed = letter_compose(case=case, actor=actor, kind=kind, follows=follows, extra=extra)
    _check_delivery(delivery, composed)
    kept, pdf = letter_keep(case, composed)
    try:
        return case_record_letter(
            case=case,
            actor=actor,
            letter=kept,
            delivery=delivery,
            to=composed.to_email,
            pdf=pdf,
            body_text=email_text(composed),
            follows_sequence=follows.sequence if follows else None,
            seen_sequence=seen_sequence,
        )
    except Exception:
        default_storage.delete(kept.file)  # the letter was not sent: keep no file for it
        raise


def response_problems(*, case: Case, pack: PolicyPack, draft: CaseEvent) -> None:
    """Refuse a drafted response that lacks a part the pack requires, or whose letter template
    leaves one out (Pivotal §9 stage 1 step 6, §11.2 g; Code 6.9, 6.19)."""
    given = response_parts_given(case, pack, max(draft.stage, 1), draft.data)
    check_response_parts(pack, given)
    wording = letter_wording(organisation=case.organisation, kind=LetterKind.STAGE_RESPONSE)
    check_template_parts(pack, check_template(LetterKind.STAGE_RESPONSE, wording.body))


def letter_send_response(
    *, case: Case, actor: User, delivery: str, seen_sequence: int | None = None
) -> Case:
    """Send the current stage's drafted response: refused while a part the pack requires is
    missing, and, where the pack asks for the outcome to be agreed (Pivotal §13), until the
    approval recorded after the latest draft. The response is recorded with the draft's content
    and its letter kept on the case as sent."""
    pack = policy_pack_for(case.policy_version)
    draft = latest_draft(case=case)
    if draft is None:
        raise TransitionRejected("Write the response first; there is no draft to send.")
    if seen_sequence is not None and seen_sequence < draft.sequence:
        raise TransitionRejected(
            "The draft changed after this page was drawn; nothing was sent — check the draft "
            "and send it again."
        )
    response_problems(case=case, pack=pack, draft=draft)
    rule = pack.stage(max(case.stage, 1)).response_sign_off
    approved = rule is None or actor.can(rule.by) or draft_approval(case=case, draft=draft)
    if not approved:
        title = pack.role_title(rule.by)
        raise TransitionRejected(
            f"The {title} must approve this draft before it is sent ({rule.cites}). "
            f"Ask the {title} to sign off the outcome of the response; a draft changed "
            "after their approval needs approving again."
        )
    composed = letter_compose(
        case=case, actor=actor, kind=LetterKind.STAGE_RESPONSE, response=draft.data
    )
    _check_delivery(delivery, composed)
    kept, pdf = letter_keep(case, composed)
    d = draft.data
    try:
        case = _respond(case, actor, d, delivery, seen_sequence)
    except Exception:
        default_storage.delete(kept.file)  # nothing was sent: keep no file for it
        raise
    responded = case_events(case=case).filter(kind=Action.RESPOND).order_by("-sequence").first()
    return case_record_letter(
        case=case,
        actor=actor,
        letter=kept,
        delivery=delivery,
        to=composed.to_email,
        pdf=pdf,
        body_text=email_text(composed),
        follows_sequence=responded.sequence if responded else None,
        seen_sequence=case_last_sequence(case=case),
    )


def _respond(case: Case, actor: User, d: dict, delivery: str, seen: int | None) -> Case:
    return case_respond(
        case=case,
        actor=actor,
        outcome=d["outcome"],
        reasons=d["reasons"],
        policy_references=d.get("policy_references", ""),
        outstanding_actions=d.get("outstanding_actions") or [],
        remedy=d.get("remedy", ""),
        means="email" if delivery == Delivery.EMAIL else "letter",
        seen_sequence=seen,
    )


def letter_template_save(
    *, organisation: Organisation, actor: User, kind: LetterKind, subject: str, body: str
) -> LetterTemplate:
    """Save the organisation's own wording for a kind of letter, refused with the reason when
    it uses a field the letter does not have, holds template code, or (a stage response) leaves
    out a part the organisation's policy requires."""
    if not subject.strip() or not body.strip():
        raise TemplateProblem("Give the letter both a subject and a body.")
    if len(subject) > MAX_SUBJECT_CHARS:
        raise TemplateProblem(f"Keep the subject to {MAX_SUBJECT_CHARS} characters.")
    check_template(kind, subject, what="The subject")
    used = check_template(kind, body)
    if kind is LetterKind.STAGE_RESPONSE and organisation.active_policy_version is not None:
        pack = policy_pack_for(organisation.active_policy_version)
        try:
            check_template_parts(pack, used)
        except TransitionRejected as exc:
            raise TemplateProblem(str(exc)) from None
    template, _ = LetterTemplate.objects.update_or_create(
        organisation=organisation,
        kind=kind.value,
        defaults={"subject": subject.strip(), "body": body.strip(), "updated_by": actor},
    )
    return template


def letter_template_reset(*, organisation: Organisation, kind: LetterKind) -> None:
    """Go back to the default wording for a kind of letter."""
    LetterTemplate.objects.filter(organisation=organisation, kind=kind.value).delete()
