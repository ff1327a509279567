"""Putting e-mail in the outbox, and the staff's "retry now". Nothing here talks to a mail
server: the sender (fairhear.outbox.sender) does, outside any request."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fairhear.outbox.models import OutboundAttachment, OutboundMessage

# Pivotal §9 step 5: a new complaint is notified "by priority e-mail".
PRIORITY_HEADERS = {"Importance": "high", "X-Priority": "1"}
MAX_RECIPIENTS = 50
# Headers the outbox writes itself; a caller may not set them through `headers`.
_RESERVED_HEADERS = {
    "bcc",
    "cc",
    "content-transfer-encoding",
    "content-type",
    "date",
    "from",
    "in-reply-to",
    "message-id",
    "mime-version",
    "reply-to",
    "subject",
    "to",
}
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,75}")
_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


class OutboxInputError(ValueError):
    """The message cannot be queued as given; the text says what to change."""


def new_message_id() -> str:
    """A Message-ID no other message has: 128 random bits at Fairhear's mail domain."""
    return f"<{secrets.token_hex(16)}@{_message_id_domain()}>"


def outbox_enqueue(
    *,
    organisation_id: int,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    headers: Mapping[str, str] | None = None,
    kind: str,
    reply_to: str = "",
    in_reply_to: str = "",
    thread: str = "",
    held: bool = False,
) -> OutboundMessage:
    """Queue an e-mail in the caller's transaction: it commits with the change that caused it,
    or not at all, and the sender delivers it afterwards. Returns the message; its
    `message_id` is the Message-ID header. `thread` names what a reply belongs to (a case
    reference), so that e-mail in threads a reply by its headers. A `held` message waits,
    kept but not sent, until `outbox_release` gives it the attachment it is waiting for (a
    letter printed after the transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise OutboxInputError(
            "Queue e-mail inside the transaction of the change that causes it "
            "(transaction.atomic), so that the two commit together."
        )
    files = list(attachments)
    extra = dict(headers or {})
    _check_addresses(to)
    _check_text(subject=subject, body_text=body_text, kind=kind)
    _check_headers(extra)
    if reply_to.strip():
        _check_address(reply_to.strip(), "The reply-to address")
    if in_reply_to and not _MESSAGE_ID.fullmatch(in_reply_to.strip()):
        raise OutboxInputError(
            f"In-Reply-To {in_reply_to!r} is not a Message-ID; give it as <id@domain>."
        )
    _check_attachments(files)
    message = OutboundMessage.objects.create(
        organisation_id=organisation_id,
        message_id=new_message_id(),
        kind=kind.strip(),
        to=[address.strip() for address in to],
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=extra,
        reply_to=reply_to.strip(),
        in_reply_to=in_reply_to.strip(),
        thread=thread.strip()[:60],
        status=OutboundMessage.Status.HELD if held else OutboundMessage.Status.QUEUED,
    )
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(
            message=message,
            position=position,
            filename=filename,
            content_type=content_type,
            content=bytes(content),
        )
        for position, (filename, content, content_type) in enumerate(files)
    )
    return message


def outbox_release(
    *,
    organisation_id: int,
    message_id: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    body_text: str = "",
) -> OutboundMessage | None:
    """Give a held message the attachments it was waiting for (and, if given, the body that
    says they are there) and let the sender deliver it, in the caller's transaction; None when
    it is no longer held (released before, or sent by a colleague's "retry now"), so that a
    repeat does nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise OutboxInputError(
            "Release a held message inside the transaction of the change that completes it."
        )
    message = (
        OutboundMessage.objects.select_for_update()
        .filter(
            organisation_id=organisation_id,
            message_id=message_id,
            status=OutboundMessage.Status.HELD,
        )
        .first()
    )
    if message is None:
        return None
    files = list(attachments)
    _check_attachments(files)
    if body_text:
        _check_text(subject=message.subject, body_text=body_text, kind=message.kind)
        message.body_text = body_text
    start = message.attachments.count()
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(
            message=message,
            position=start + position,
            filename=filename,
            content_type=content_type,
            content=bytes(content),
        )
        for position, (filename, content, content_type) in enumerate(files)
    )
    message.status = OutboundMessage.Status.QUEUED
    message.next_attempt_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "next_attempt_at", "body_text", "last_error"])
    return message


def outbox_hold_problem(*, message_id: str, problem: str, retry_at: datetime) -> None:
    """Say on a held message why its attachment could not be made, and when to try again
    (shown on the staff page; "retry now" sends it without the attachment)."""
    OutboundMessage.objects.filter(
        message_id=message_id, status=OutboundMessage.Status.HELD
    ).update(last_error=problem[:2000], next_attempt_at=retry_at, attempts=F("attempts") + 1)


@transaction.atomic(durable=True)
def outbox_retry_now(*, organisation_id: int, key: str) -> OutboundMessage:
    """Send a waiting or failed message (named by its `key`, the random part of its
    Message-ID) at the sender's next run, whatever its backoff said;
    a sent message, or one being sent, is left as it is and the error says so. A message held
    for its attachment is sent as it is, without it."""
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        raise OutboundMessage.DoesNotExist(key)
    message = OutboundMessage.objects.select_for_update().get(
        organisation_id=organisation_id, message_id__startswith=f"<{key}@"
    )
    if message.status == OutboundMessage.Status.SENT:
        raise OutboxInputError("This message has already been sent; it is not sent again.")
    if message.status == OutboundMessage.Status.SENDING:
        raise OutboxInputError("This message is being sent now; wait a minute and look again.")
    message.status = OutboundMessage.Status.QUEUED
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "next_attempt_at"])
    return message


def _message_id_domain() -> str:
    configured = settings.FAIRHEAR_MESSAGE_ID_DOMAIN
    return configured or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "fairhear.invalid"


def _check_address(address: str, what: str) -> None:
    try:
        validate_email(address)
    except ValidationError:
        raise OutboxInputError(
            f"{what} {address!r} is not an e-mail address; check it for typing errors."
        ) from None


def _check_addresses(to: list[str]) -> None:
    if isinstance(to, str) or not to:
        raise OutboxInputError("Give the recipients as a list of at least one e-mail address.")
    if len(to) > MAX_RECIPIENTS:
        raise OutboxInputError(
            f"A message can go to at most {MAX_RECIPIENTS} people; it has {len(to)}. "
            "Send it in several messages."
        )
    seen: set[str] = set()
    for address in to:
        _check_address(address.strip(), "The recipient")
        if address.strip().lower() in seen:
            raise OutboxInputError(f"{address.strip()} is in the recipients twice; give it once.")
        seen.add(address.strip().lower())


def _check_text(*, subject: str, body_text: str, kind: str) -> None:
    if not subject.strip():
        raise OutboxInputError("The message needs a subject.")
    if "\n" in subject or "\r" in subject:
        raise OutboxInputError("The subject must be one line; remove the line breaks.")
    if len(subject) > OutboundMessage._meta.get_field("subject").max_length:
        raise OutboxInputError("The subject is longer than 500 characters; shorten it.")
    if not body_text.strip():
        raise OutboxInputError("The message needs a plain-text body.")
    if not kind.strip() or len(kind) > OutboundMessage._meta.get_field("kind").max_length:
        raise OutboxInputError("Say what kind of message this is in at most 60 characters.")


def _check_headers(headers: dict[str, str]) -> None:
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise OutboxInputError(
                f"{name!r} is not a header name; use letters, digits and hyphens only."
            )
        if name.lower() in _RESERVED_HEADERS:
            raise OutboxInputError(
                f"The outbox sets {name} itself; pass it as its own argument, not in headers."
            )
        if not isinstance(value, str) or "\n" in value or "\r" in value or len(value) > 900:
            raise OutboxInputError(f"The {name} header must be one line of at most 900 characters.")


def _check_attachments(files: list[tuple[str, bytes, str]]) -> None:
    total = 0
    for item in files:
        if not (isinstance(item, tuple) and len(item) == 3):
            raise OutboxInputError(
                "Give each attachment as (file name, bytes, content type), e.g. "
                "('letter.pdf', pdf_bytes, 'application/pdf')."
            )
        filename, content, content_type = item
        if not isinstance(content, bytes | bytearray):
            raise OutboxInputError(f"The attachment {filename!r} must be bytes.")
        if not filename.strip() or len(filename) > 255 or any(c in filename for c in "/\\\r\n\0"):
            raise OutboxInputError(
                f"The attachment name {filename!r} must be a plain file name of at most 255 "
                "characters, without slashes or line breaks."
            )
        if not _CONTENT_TYPE.fullmatch(content_type):
            raise OutboxInputError(
                f"The content type {content_type!r} of {filename!r} is not a type such as "
                "application/pdf."
            )
        total += len(content)
    limit = settings.FAIRHEAR_OUTBOX_MAX_ATTACHMENT_BYTES
    if total > limit:
        raise OutboxInputError(
            f"The attachments come to {total:,} bytes; a message can carry at most "
            f"{limit:,} bytes. Send a link or several messages instead."
        )
