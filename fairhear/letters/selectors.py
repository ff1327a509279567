"""Reading letters: an organisation's templates (or the defaults), the letters kept on a case,
and each kept PDF, checked against the sha256 recorded when it was sent. Every case is reached
through cases.selectors.case_get_for_user first, so nobody reads a letter of a case they may
not see."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.storage import default_storage

from fairhear.accounts.models import Organisation
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.selectors import case_events
from fairhear.domain.letters import LetterKind
from fairhear.domain.lifecycle import Action
from fairhear.letters.defaults import DEFAULTS
from fairhear.letters.models import LetterTemplate


@dataclass(frozen=True, slots=True)
class Wording:
    """The subject and body a kind of letter is written with, and whose they are."""

    kind: LetterKind
    subject: str
    body: str
    own: bool  # the organisation's own wording, not the default


class LetterFileProblem(RuntimeError):
    """A kept letter's file is missing or no longer matches the sha256 recorded when sent."""


def letter_wording(*, organisation: Organisation, kind: LetterKind) -> Wording:
    """The organisation's own wording for this kind of letter, else the default."""
    own = LetterTemplate.objects.filter(organisation=organisation, kind=kind).first()
    if own is not None:
        return Wording(kind, own.subject, own.body, own=True)
    subject, body = DEFAULTS[kind]
    return Wording(kind, subject, body, own=False)


def letter_wordings(*, organisation: Organisation) -> list[Wording]:
    """Every kind of letter with the wording the organisation uses for it."""
    own = {t.kind: t for t in LetterTemplate.objects.filter(organisation=organisation)}
    out = []
    for kind in LetterKind:
        template = own.get(kind.value)
        if template is not None:
            out.append(Wording(kind, template.subject, template.body, own=True))
        else:
            out.append(Wording(kind, *DEFAULTS[kind], own=False))
    return out


def organisation_by_slug(*, slug: str) -> Organisation:
    """The organisation publishing at this address; Organisation.DoesNotExist otherwise."""
    if len(slug) > 50 or "\x00" in slug:
        raise Organisation.DoesNotExist(slug[:50])
    return Organisation.objects.select_related("active_policy_version").get(slug=slug)


def letters_sent(*, case: Case) -> list[CaseEvent]:
    """The letters kept on the case, newest first."""
    return list(case_events(case=case).filter(kind=Action.SEND_LETTER).order_by("-sequence"))


def letter_sent(*, case: Case, sequence: int) -> CaseEvent:
    """One kept letter of the case; CaseEvent.DoesNotExist when there is none."""
    return case_events(case=case).get(kind=Action.SEND_LETTER, sequence=sequence)


def letter_pdf(event: CaseEvent) -> bytes:
    """The kept letter's PDF exactly as sent; LetterFileProblem when it is gone or altered."""
    name = event.data.get("file", "")
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except (OSError, ValueError) as exc:
        raise LetterFileProblem(f"The file of this letter ({name}) cannot be read.") from exc
    if hashlib.sha256(content).hexdigest() != event.data.get("sha256"):
        raise LetterFileProblem(
            "This letter's file no longer matches the fingerprint taken when it was sent; "
            "it has not been shown. Tell your lead officer."
        )
    return content


def letters_followed(*, case: Case) -> dict[int, list[CaseEvent]]:
    """For each event sequence, the letters sent to confirm it."""
    out: dict[int, list[CaseEvent]] = {}
    for event in letters_sent(case=case):
        follows = event.data.get("follows_sequence")
        if follows is not None:
            out.setdefault(follows, []).append(event)
    return out


def steps_with_letters(*, case: Case) -> list[tuple[CaseEvent, LetterKind]]:
    """The case's steps a letter confirms in writing (oldest first) with the kind of letter;
    a stage response is written through the response builder, not here."""
    by_action = {
        action: kind
        for kind in LetterKind
        for action in kind.follows
        if kind is not LetterKind.STAGE_RESPONSE
    }
    events = case_events(case=case).filter(kind__in=list(by_action)).order_by("sequence")
    return [(e, by_action[Action(e.kind)]) for e in events]


def latest_draft(*, case: Case) -> CaseEvent | None:
    """The latest draft of the current stage's response not yet sent."""
    events = case_events(case=case).filter(
        stage=case.stage, kind__in=[Action.DRAFT_RESPONSE, Action.RESPOND]
    )
    latest = events.order_by("-sequence").first()
    return latest if latest is not None and latest.kind == Action.DRAFT_RESPONSE else None


def draft_approval(*, case: Case, draft: CaseEvent) -> CaseEvent | None:
    """The sign-off of the response recorded after this draft at its stage, if any (Pivotal
    §13): an approval counts only for the draft it followed."""
    return (
        case_events(case=case)
        .filter(
            kind=Action.SIGN_OFF,
            stage=draft.stage,
            sequence__gt=draft.sequence,
            data__step="response",
        )
        .order_by("-sequence")
        .first()
    )
