"""What each colleague is told: one Notification row per person per thing told, their choice of
how to be e-mailed, and the daily digest sent to those who chose it (docs/notifications.md,
docs/adr/ADR-011).

This app sits below cases (cases' immediate notices write here, in the transaction of their
event) and knows colleagues, the outbox and a case only as the row a notification is about: it
never decides who may see a case. The pages that show notifications (fairhear.notifications)
link a case only for a colleague who may see it now (cases.selectors).
"""

from django.db import models
from django.utils import timezone


class NotificationPreference(models.Model):
    """How a colleague wants to be e-mailed of what they are told. Urgent notices (a new
    complaint, a safeguarding or health and safety flag: the priority e-mails) are e-mailed at
    once whatever is chosen here."""

    class Email(models.TextChoices):
        IMMEDIATELY = "immediately", "E-mail me each one as it happens"
        DIGEST = "digest", "One e-mail each working day at 7am"
        APP_ONLY = "app_only", "No e-mail: show them in Fairhear only"

    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email = models.CharField(max_length=12, choices=Email.choices, default=Email.IMMEDIATELY)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.email}"


class Notification(models.Model):
    """One thing one colleague was told. The unique key (user, source) is what makes it once:
    `source` names the event or clock notice it comes from, so a second sweep, a second
    worker or a repeated step cannot tell the same person the same thing twice."""

    class Emailed(models.TextChoices):
        NOW = "now", "E-mailed at once"
        DIGEST = "digest", "In the daily digest"
        NONE = "none", "Not e-mailed"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    source = models.CharField(max_length=150, help_text="The event or notice it comes from")
    kind = models.CharField(max_length=40)
    urgent = models.BooleanField(default=False)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    line = models.CharField(max_length=500, blank=True)
    link = models.CharField(
        max_length=200, blank=True, help_text="Where it opens, when it is about no case"
    )
    emailed = models.CharField(max_length=10, choices=Emailed.choices)
    message_id = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "source"], name="unique_notification_source")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.source}"


class DailyDigest(models.Model):
    """The one digest e-mail a colleague was sent on a working day (none when there was nothing
    to tell; the row still marks the day done). The unique key (user, day) makes it once."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()
    message_id = models.CharField(max_length=250, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_daily_digest")]

    def __str__(self) -> str:
        return f"{self.user_id} digest {self.day}"
