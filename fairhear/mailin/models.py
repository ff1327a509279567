"""E-mail in: every message read from a mailbox or a .eml file, kept as received, and the
Message-IDs that tie e-mail threads to cases (docs/architecture.md, "E-mail in")."""

from django.db import models
from django.utils import timezone


class InboundMessage(models.Model):
    """One e-mail as it arrived: its raw bytes in storage, what was read from it, and what
    Fairhear did with it. The same message read twice is this one record."""

    class Outcome(models.TextChoices):
        NEW_CASE = "new_case", "New case"
        THREADED = "threaded", "Added to a case"
        AUTOMATIC = "automatic", "Automatic reply, not added"
        QUARANTINED = "quarantined", "Quarantined"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="inbound_messages"
    )
    message_id = models.CharField(
        max_length=250,
        help_text="The Message-ID header, or sha256:… of the raw bytes when it has none",
    )
    raw = models.FileField(upload_to="mailin/", max_length=300)
    raw_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=300, help_text="Where it was read from")
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Its Date header")
    received_at = models.DateTimeField(help_text="When the mailbox received it")
    fetched_at = models.DateTimeField(default=timezone.now)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content_type, size}] as in the message"
    )
    defects = models.JSONField(default=list, blank=True, help_text="What the parser found wrong")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.TextField(blank=True, help_text="Why it was quarantined or not added")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_by = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "message_id"], name="unique_inbound_message"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "outcome", "fetched_at"], name="mailin_org_list")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.outcome}"


class CaseMailId(models.Model):
    """A Message-ID sent or received on a case, so that a reply quoting it in In-Reply-To or
    References finds the case."""

    class Direction(models.TextChoices):
        IN = "in", "Received"
        OUT = "out", "Sent"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    message_id = models.CharField(max_length=250)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "message_id"], name="unique_case_mail_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.case_id}"
