"""The sender: delivers due messages from the outbox over SMTP, outside any request.

Each run claims a batch of due messages in one short transaction (PostgreSQL: SELECT … FOR
UPDATE SKIP LOCKED, so two senders never claim the same row; SQLite: the transaction takes the
write lock when it begins), marks them "sending", commits, and only then talks to the server.
A message is marked sent right after the server accepts it. A sender that dies between the
two leaves the message "sending"; once its lease has run out, the next run sends it again
with the same Message-ID (at least once, never lost: docs/adr/ADR-008-outbox-delivery.md).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.smtp import (
    SmtpConfig,
    SmtpConfigError,
    TokenUnavailable,
    build_message,
    describe_failure,
    open_connection,
    server_problem,
)

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status
# Kept on a message sent again after a sender stopped mid-send, even once it is sent.
STOPPED = "A sender stopped while sending this message"


@dataclass
class SendReport:
    """What one run did, for the command's output and the tests."""

    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.sent)} sent, {len(self.deferred)} to try again later, "
            f"{len(self.failed)} failed"
        )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: the base doubled each time, capped
    (base 60 s, cap 1 hour by default: 1, 2, 4, 8, 16, 32, 60, 60 … minutes)."""
    base = settings.FAIRHEAR_OUTBOX_RETRY_BASE_SECONDS
    cap = settings.FAIRHEAR_OUTBOX_RETRY_CAP_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def outbox_send_due(*, limit: int | None = None) -> SendReport:
    """Deliver the messages that are due now, once each; say what happened to each."""
    report = SendReport()
    config = SmtpConfig.from_settings()
    claim = secrets.token_hex(8)
    messages = _claim_due(claim, limit or settings.FAIRHEAR_OUTBOX_BATCH)
    if not messages:
        return report
    try:
        connection = open_connection(config)
    except (OSError, smtplib.SMTPException, TokenUnavailable, SmtpConfigError) as exc:
        # The server could not be reached or refused to let us in: nothing about the messages
        # themselves, so they wait and are never given up for it.
        text, _ = describe_failure(exc, config)
        for message in messages:
            _defer(message, text, permanent=False, count_against_limit=False, report=report)
        return report
    try:
        for position, message in enumerate(messages):
            if not _send_one(connection, message, config, report):
                # The connection is gone; the rest wait for the next run.
                text = f"Not tried: the connection to {config.server} was lost before it."
                for rest in messages[position + 1 :]:
                    _defer(rest, text, permanent=False, count_against_limit=False, report=report)
                break
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return report


def _claim_due(claim: str, limit: int) -> list[OutboundMessage]:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.FAIRHEAR_OUTBOX_SENDING_LEASE_SECONDS)
    with transaction.atomic(durable=True):
        due = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Status.QUEUED, next_attempt_at__lte=now)
                | Q(status=Status.SENDING, claimed_at__lt=stale)
            )
            .order_by("next_attempt_at", "pk")[:limit]
        )
        messages = list(due)
        for message in messages:
            if message.status == Status.SENDING:
                # A sender stopped after claiming it: the server may or may not have it.
                message.last_error = (
                    f"{STOPPED} (claimed "
                    f"{timezone.localtime(message.claimed_at):%d %b %Y %H:%M}); it is sent again "
                    "with the same Message-ID, so a copy that did arrive can be recognised."
                )
            message.status = Status.SENDING
            message.claim = claim
            message.claimed_at = now
            message.attempts += 1
        OutboundMessage.objects.bulk_update(
            messages, ["status", "claim", "claimed_at", "attempts", "last_error"]
        )
    return messages


def _send_one(
    connection: smtplib.SMTP, message: OutboundMessage, config: SmtpConfig, report: SendReport
) -> bool:
    """Send one message; False when the connection is no longer usable."""
    mail = build_message(message, from_address=config.from_address)
    try:
        refused = connection.send_message(
            mail, from_addr=config.from_address, to_addrs=list(message.to)
        )
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
        text, permanent = describe_failure(exc, config)
        if server_problem(exc):
            # Not this message's fault (sign-in needed, server closing): it and the rest wait.
            _defer(message, text, permanent=False, count_against_limit=False, report=report)
            return False
        # The server answered and said no to this message: the connection is still good.
        _defer(message, text, permanent=permanent, report=report)
        _reset(connection)
        return True
    except OSError as exc:  # disconnected, timed out, reset (SMTPException is an OSError)
        _defer(message, describe_failure(exc, config)[0], permanent=False, report=report)
        return False
    note = message.last_error if message.last_error.startswith(STOPPED) else ""
    if refused:
        note += " Accepted for some recipients only; refused: " + "; ".join(
            f"{address} ({code} {reply.decode('utf-8', 'replace')})"
            for address, (code, reply) in refused.items()
        )
    _mark_sent(message, note.strip())
    report.sent.append(message.message_id)
    return True


def _reset(connection: smtplib.SMTP) -> None:
    try:
        connection.rset()
    except (OSError, smtplib.SMTPException):
        logger.info("The mail server did not answer RSET; the next message will show why.")


def _mark_sent(message: OutboundMessage, note: str) -> None:
    updated = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=note, claim=""
    )
    if not updated:  # pragma: no cover - only if someone retried it by hand meanwhile
        logger.warning("Outbound message %s was changed while it was being sent", message.pk)
    logger.info("Sent %s (%s) to %d recipients", message.message_id, message.kind, len(message.to))


def _defer(
    message: OutboundMessage,
    text: str,
    *,
    permanent: bool,
    report: SendReport,
    count_against_limit: bool = True,
) -> None:
    """Put a message back to wait, or fail it for good, keeping why."""
    now: datetime = timezone.now()
    give_up = permanent or (
        count_against_limit and message.attempts >= settings.FAIRHEAR_OUTBOX_MAX_ATTEMPTS
    )
    if give_up:
        reason = text if permanent else f"{text} Given up after {message.attempts} tries."
        fields = {"status": Status.FAILED, "last_error": reason, "claim": ""}
        report.failed.append(message.message_id)
        logger.warning("Outbound message %s failed: %s", message.message_id, reason)
    else:
        fields = {
            "status": Status.QUEUED,
            "last_error": text,
            "claim": "",
            "next_attempt_at": now + retry_delay(message.attempts),
        }
        report.deferred.append(message.message_id)
        logger.info("Outbound message %s deferred: %s", message.message_id, text)
    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(**fields)
