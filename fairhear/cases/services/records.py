"""Facts recorded on a case without moving it: referrals, feedback, the lead's assessment of
an extension, who was told, communications, notes (restrictions on contact are the person's:
services/restrictions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fairhear.accounts.models import User
from fairhear.cases.attachments import KeptFile
from fairhear.cases.models import Case, CaseAttachment
from fairhear.cases.services.attachments import Upload, transition_with_files
from fairhear.cases.services.transitions import (
    CaseInputError,
    _Context,
    _transition,
)
from fairhear.domain.lifecycle import (
    Action,
    CommunicationChannel,
    Direction,
    TransitionRejected,
)


def case_record_ombudsman_referral(
    *,
    case: Case,
    actor: User,
    body: str,
    referred_on: datetime,
    note: str = "",
    seen_sequence: int | None = None,
) -> Case:
    """Record that the complainant took the complaint to an ombudsman (KPI 21.3 i)."""
    if not body.strip():
        raise CaseInputError("Say which ombudsman or regulator it went to.")
    return _transition(
        case,
        Action.RECORD_OMBUDSMAN_REFERRAL,
        actor=actor,
        occurred_at=referred_on,
        data={"body": body.strip(), "note": note.strip()},
        seen_sequence=seen_sequence,
    )


SATISFACTION = [
    ("very_satisfied", "Very satisfied"),
    ("satisfied", "Satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("dissatisfied", "Dissatisfied"),
    ("very_dissatisfied", "Very dissatisfied"),
]


class FeedbackAlreadyGiven(CaseInputError):
    """The complainant's own answer to the feedback survey, when one is on record already."""


def case_record_feedback(
    *,
    case: Case,
    actor: User | None,
    satisfaction: str,
    comments: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
    through: str = "",
) -> Case:
    """Record the complainant's feedback survey answer after closure (Pivotal §21.2).

    `through` names the page the complainant answered on themselves ("survey", with no
    colleague acting): such an answer is taken once, checked under the case's lock, and
    refused with FeedbackAlreadyGiven when any answer is on record already."""
    if satisfaction not in dict(SATISFACTION):
        raise CaseInputError("Choose how satisfied the complainant said they were.")

    def once(ctx: _Context, when: datetime) -> dict:
        if through and ctx.case.events.filter(kind=Action.RECORD_FEEDBACK).exists():
            raise FeedbackAlreadyGiven("This survey has already been answered.")
        return {"through": through} if through else {}

    return _transition(
        case,
        Action.RECORD_FEEDBACK,
        occurred_at=occurred_at,
        actor=actor,
        data={"satisfaction": satisfaction, "comments": comments.strip()},
        validate=once,
        seen_sequence=seen_sequence,
    )


def case_assess_extension_reason(
    *,
    case: Case,
    actor: User,
    good_reason: bool,
    note: str = "",
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """The lead officer's view of whether the latest extension had good reason (KPI 21.3 g)."""

    def validate(ctx: _Context, when: datetime) -> dict:
        ext = ctx.case.events.filter(kind=Action.EXTEND).order_by("-sequence").first()
        if ext is None:
            raise TransitionRejected("This case has no extension to assess.")
        return {
            "extension_sequence": ext.sequence,
            "good_reason": good_reason,
            "note": note.strip(),
        }

    return _transition(
        case,
        Action.ASSESS_EXTENSION_REASON,
        occurred_at=occurred_at,
        actor=actor,
        validate=validate,
        seen_sequence=seen_sequence,
    )


TOLD_HOW = [
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("in_person", "In person"),
    ("teams", "Teams"),
]


def case_record_managers_told(
    *,
    case: Case,
    actor: User,
    told: str,
    how: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
) -> Case:
    """Record that the people the policy names were told of the complaint: who, how and when
    (Pivotal §9 stage 1, colleague receiving the complaint, step 5: "Inform their Line Manager
    and the Head of Services by priority email"; §13.1)."""
    if not told.strip():
        raise CaseInputError("Say who was told, for example their line manager by name.")
    if how not in dict(TOLD_HOW):
        raise CaseInputError("Choose how they were told: e-mail, phone, in person or Teams.")
    return _transition(
        case,
        Action.RECORD_MANAGERS_TOLD,
        occurred_at=occurred_at,
        actor=actor,
        data={"told": told.strip(), "how": how},
        seen_sequence=seen_sequence,
    )


def case_add_note(
    *,
    case: Case,
    actor: User,
    text: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
    uploads: Sequence[Upload] = (),
) -> Case:
    """Add a note to the timeline (a call, a visit, what was found), with any files the
    colleague adds to it (services/attachments.py: a refused file saves nothing)."""
    if not text.strip():
        raise CaseInputError("The note is empty.")
    return transition_with_files(
        case,
        Action.ADD_NOTE,
        occurred_at=occurred_at,
        actor=actor,
        data={"text": text.strip()},
        seen_sequence=seen_sequence,
        uploads=uploads,
    )


def case_record_communication(
    *,
    case: Case,
    actor: User | None,
    direction: str,
    channel: str,
    summary: str,
    occurred_at: datetime | None = None,
    seen_sequence: int | None = None,
    through: str = "",
    uploads: Sequence[Upload] = (),
    kept: Sequence[KeptFile] = (),
    withheld: Sequence[dict] = (),
) -> Case:
    """Record a call, letter, e-mail, visit or meeting with the complainant, either way (the
    actor None: read from the mailbox by Fairhear itself). One from them stops a clock the
    pack names `communication_received` in (Pivotal §10.1 c: the case closes itself only if
    "no further communications are received"). `through` names the page they used themselves
    ("track": Track my case), when no colleague recorded it. A colleague's `uploads` (a letter
    scanned, a photo) are checked and kept with it; `kept` are an e-mail's attachments, already
    stored, and `withheld` those of its attachments not kept as files, with why
    (mailin/services.py)."""
    if direction not in set(Direction):
        raise CaseInputError("Say whether it came from the complainant or went to them.")
    if channel not in set(CommunicationChannel):
        raise CaseInputError(
            "Choose how it was made: "
            + ", ".join(c.label.lower() for c in CommunicationChannel)
            + "."
        )
    if not summary.strip():
        raise CaseInputError("Summarise what was said.")
    return transition_with_files(
        case,
        Action.RECORD_COMMUNICATION,
        occurred_at=occurred_at,
        actor=actor,
        data={
            "direction": direction,
            "channel": channel,
            "summary": summary.strip(),
            **({"through": through} if through else {}),
        },
        seen_sequence=seen_sequence,
        uploads=uploads,
        kept=kept,
        withheld=withheld,
        source=CaseAttachment.Source.EMAIL if kept or withheld else CaseAttachment.Source.STAFF,
    )
