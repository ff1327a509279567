"""E-mail in: keep every message as received, then thread it onto its case or open a new case
waiting for triage; quarantine what cannot be read, with the reason.

A reply finds its case by the threading headers first (In-Reply-To, then References, against
every Message-ID sent or received on a case), then by a case reference in the subject, so that
reply-all and forwarded chains never open a second case. The same message read twice (two
copies of a reply-all, a mailbox read again after a crash) is one record.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.cases.attachments import FileRefused, KeptFile, file_check, size_in_words
from fairhear.cases.models import Case, CaseAttachment
from fairhear.cases.services import (
    CaseInputError,
    PersonDetails,
    TransitionRejected,
    case_receive,
    case_record_communication,
)
from fairhear.domain.files import clean_name
from fairhear.domain.lifecycle import CaseKind, CommunicationChannel, Direction
from fairhear.domain.references import REFERENCE_PATTERN, normalise_reference
from fairhear.domain.text import NAME_LIMIT, TEXT_LIMIT
from fairhear.mailin.models import CaseMailId, InboundMessage
from fairhear.mailin.parsing import ParsedMail, Unreadable, headers_as_written, parse_mail
from fairhear.outbox.models import OutboundMessage

logger = logging.getLogger(__name__)
Outcome = InboundMessage.Outcome
# What a message says while it is being added, and still says if the import stopped half-way.
_UNFINISHED = (
    "Fairhear stopped before this message was added to a case; check whether a case was "
    "opened from it, and add it by hand if not."
)
_CUT = "\n\n[The rest of this e-mail is kept, as received, with the message.]"


def mailin_link_message_id(*, case: Case, message_id: str, direction: str = "out") -> None:
    """Remember that `message_id` was sent (or received) on `case`, so that a reply quoting it
    is added to the case. Call it in the transaction that queued the e-mail."""
    CaseMailId.objects.get_or_create(
        organisation_id=case.organisation_id,
        message_id=message_id[:250],
        defaults={"case": case, "direction": direction},
    )


def mailin_import(
    *,
    organisation: Organisation,
    raw: bytes,
    source: str,
    received_at: datetime | None = None,
) -> tuple[InboundMessage, bool]:
    """Keep one e-mail and act on it; returns the record and whether it is new (False: the same
    message was read before, and nothing more is done)."""
    received = min(received_at or timezone.now(), timezone.now())
    try:
        parsed: ParsedMail | None = parse_mail(raw)
        problem = ""
    except Unreadable as exc:
        parsed, problem = None, str(exc)
    key = parsed.message_id if parsed else _sha_id(raw)
    existing = InboundMessage.objects.filter(organisation=organisation, message_id=key).first()
    if existing is not None:
        return existing, False
    stored_name = _store_raw(organisation, raw)
    record = InboundMessage(
        organisation=organisation,
        message_id=key,
        raw=stored_name,
        raw_sha256=_sha(raw),
        size=len(raw),
        source=source[:300],
        received_at=received,
        outcome=Outcome.QUARANTINED,
        reason=problem or _UNFINISHED,
    )
    if parsed is None:
        record.from_address, record.subject = headers_as_written(raw)
    else:
        record.from_address = parsed.from_address
        record.from_name = parsed.from_name
        record.subject = parsed.subject
        record.sent_at = parsed.sent_at
        record.attachments = list(parsed.attachments)
        record.defects = list(parsed.defects)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # another reader kept the same message a moment ago
        return InboundMessage.objects.get(organisation=organisation, message_id=key), False
    if parsed is not None:
        kept, withheld = _keep_attachments(record, parsed)
        _act(record, parsed, kept, withheld)
    return record, True


def _keep_attachments(
    record: InboundMessage, parsed: ParsedMail
) -> tuple[list[KeptFile], list[dict]]:
    """Keep each attachment's bytes in storage, as the message's own record says
    (`InboundMessage.attachments`), whatever becomes of the message: those Fairhear can offer
    for download (checked by content, domain/files.py) become files of its case; the rest,
    and any larger than settings.FAIRHEAR_MAIL_ATTACHMENT_MAX_BYTES (kept only in the message
    as received), are recorded on the case with why (`withheld`). None is dropped."""
    cap = settings.FAIRHEAR_MAIL_ATTACHMENT_MAX_BYTES
    described, kept, withheld = [], [], []
    for about, payload in zip(parsed.attachments, parsed.payloads, strict=True):
        name = clean_name(about["filename"], fallback="attachment")
        entry = dict(about)
        described.append(entry)
        if len(payload) > cap:
            entry["not_kept"] = (
                f"it is {size_in_words(len(payload))}, larger than the {size_in_words(cap)} "
                "Fairhear keeps as a file of a case; it is kept in the e-mail as received"
            )
            withheld.append({"name": name, "reason": entry["not_kept"]})
            continue
        content = ContentFile(payload, name=name)
        try:
            checked = file_check(content, name=name, size=len(payload), max_bytes=cap)
        except FileRefused as exc:
            checked, refusal = None, exc.what
        entry["sha256"] = _sha(payload)
        entry["stored_as"] = default_storage.save(
            f"mailin/{record.organisation_id}/attachments/{uuid.uuid4().hex}",
            ContentFile(payload),
        )
        if checked is None:
            entry["not_kept"] = (
                f"Fairhear does not offer it for download ({refusal}); it is kept with the "
                "e-mail as received"
            )
            withheld.append({"name": name, "reason": entry["not_kept"]})
            continue
        entry["type"] = checked.type.content_type
        kept.append(
            KeptFile(
                stored_as=entry["stored_as"],
                name=checked.name,
                content_type=checked.type.content_type,
                size=checked.size,
                sha256=entry["sha256"],
            )
        )
    if described:
        record.attachments = described
        record.save(update_fields=["attachments"])
    return kept, withheld


def _act(
    record: InboundMessage, parsed: ParsedMail, kept: list[KeptFile], withheld: list[dict]
) -> None:
    """Thread the kept message onto its case, or open one, with its attachments; quarantine
    it when neither works (its attachments stay with its own record)."""
    if parsed.automatic:
        _finish(record, Outcome.AUTOMATIC, reason=f"Not added to a case: {parsed.automatic}.")
        return
    case, matched_by = _find_case(record.organisation, parsed)
    try:
        if case is not None:
            case_record_communication(
                case=case,
                actor=None,
                direction=Direction.IN,
                channel=CommunicationChannel.EMAIL,
                summary=_summary(parsed),
                occurred_at=max(record.received_at, case.received_at),
                kept=kept,
                withheld=withheld,
            )
            outcome = Outcome.THREADED
        else:
            case = case_receive(
                organisation=record.organisation,
                logged_by=None,
                kind=CaseKind.COMPLAINT,
                channel=Case.Channel.EMAIL,
                summary=_summary(parsed),
                received_at=record.received_at,
                complainant=PersonDetails(
                    name=(parsed.from_name or parsed.from_address)[:NAME_LIMIT],
                    email=parsed.from_address,
                ),
                attachments=kept,
                attachments_withheld=withheld,
                attachment_source=CaseAttachment.Source.EMAIL,
            )
            outcome, matched_by = Outcome.NEW_CASE, ""
    except (CaseInputError, TransitionRejected) as exc:
        _finish(record, Outcome.QUARANTINED, reason=f"It could not be added to a case: {exc}")
        return
    with transaction.atomic():
        mailin_link_message_id(case=case, message_id=parsed.message_id, direction="in")
        _finish(record, outcome, case=case, matched_by=matched_by)


def _finish(
    record: InboundMessage,
    outcome: str,
    *,
    reason: str = "",
    case: Case | None = None,
    matched_by: str = "",
) -> None:
    record.outcome, record.reason, record.case, record.matched_by = (
        outcome,
        reason,
        case,
        matched_by,
    )
    record.save(update_fields=["outcome", "reason", "case", "matched_by"])
    logger.info("Inbound %s: %s %s", record.message_id, outcome, case.reference if case else "")


def _find_case(organisation: Organisation, parsed: ParsedMail) -> tuple[Case | None, str]:
    """The case a reply belongs to: by the Message-IDs it answers, newest first (those
    received on a case, and those the outbox sent about one), then by a case reference in its
    subject."""
    wanted = [*parsed.in_reply_to, *reversed(parsed.references)]
    if wanted:
        links = {
            link.message_id: link.case
            for link in CaseMailId.objects.filter(
                organisation=organisation, message_id__in=wanted
            ).select_related("case")
        }
        sent = dict(
            OutboundMessage.objects.filter(organisation=organisation, message_id__in=wanted)
            .exclude(thread="")
            .values_list("message_id", "thread")
        )
        cases = {
            c.reference: c
            for c in Case.objects.filter(organisation=organisation, reference__in=sent.values())
        }
        for message_id in wanted:
            if message_id in links:
                return links[message_id], "headers"
            if sent.get(message_id) in cases:
                return cases[sent[message_id]], "headers"
    for reference in REFERENCE_PATTERN.findall(normalise_reference(parsed.subject)):
        case = Case.objects.filter(organisation=organisation, reference=reference).first()
        if case is not None:
            return case, "subject"
    return None, ""


def _summary(parsed: ParsedMail) -> str:
    who = f"{parsed.from_name} <{parsed.from_address}>" if parsed.from_name else parsed.from_address
    lines = [f"E-mail from {who}", f"Subject: {parsed.subject or '(no subject)'}"]
    if parsed.attachments:
        names = ", ".join(f"{a['filename']} ({a['size']:,} bytes)" for a in parsed.attachments)
        lines.append(f"Attachments: {names}")
    text = "\n".join(lines) + "\n\n" + (parsed.text or "(no text)")
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - len(_CUT)] + _CUT
    return text


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _sha_id(raw: bytes) -> str:
    return f"sha256:{_sha(raw)}"


def _store_raw(organisation: Organisation, raw: bytes) -> str:
    """The raw bytes through Django's storage, named by their hash (the same bytes, one file)."""
    name = f"mailin/{organisation.pk}/{_sha(raw)}.eml"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(raw))
    return name
