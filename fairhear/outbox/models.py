"""The outbox: every e-mail Fairhear sends, committed with the change that caused it and
delivered afterwards by the sender (`manage.py send_outbox`, docs/adr/ADR-008).

The outbox knows addresses, bodies and attachments, not cases: a caller that wants replies
threaded names what they belong to in `thread` (a case reference, a plain string), and e-mail
in finds it there by the Message-ID a reply answers.
"""

from django.db import models
from django.utils import timezone


class OutboundMessage(models.Model):
    """One e-mail, from queued to sent (or failed for good, with the reason kept)."""

    class Status(models.TextChoices):
        HELD = "held", "Waiting for its attachment"
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="outbound_messages"
    )
    message_id = models.CharField(
        max_length=250, unique=True, help_text="The Message-ID header, with its angle brackets"
    )
    kind = models.CharField(max_length=60, help_text="What the message is, e.g. acknowledgement")
    to = models.JSONField(help_text="The recipients' addresses")
    subject = models.CharField(max_length=500)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    reply_to = models.CharField(max_length=320, blank=True)
    in_reply_to = models.CharField(max_length=250, blank=True)
    thread = models.CharField(
        max_length=60,
        blank=True,
        help_text="What a reply to this message belongs to, as the caller names it "
        "(a case reference)",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(
        max_length=32, blank=True, help_text="Which sender run is delivering it now"
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
            models.Index(fields=["organisation", "status", "created_at"], name="outbox_org_list"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status}"

    @property
    def key(self) -> str:
        """The random part of the Message-ID, which names the message in URLs."""
        return self.message_id[1:].partition("@")[0]


class OutboundAttachment(models.Model):
    """A file sent with a message, kept in the database so that it commits (or not) with the
    message and every sender sees exactly the bytes that were queued."""

    message = models.ForeignKey(
        OutboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField()
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["message", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="unique_outbound_attachment_position"
            )
        ]

    def __str__(self) -> str:
        return self.filename
