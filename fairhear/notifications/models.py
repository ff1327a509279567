"""What the worker keeps about itself: a heartbeat row per worker process, and one row per
sweep, organisation and minute so that two workers never sweep the same minute twice."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One worker process: when it started, when it was last alive, what it last did."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    backend = models.CharField(max_length=20, help_text="Where its task queue is kept")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    last_sweep_at = models.DateTimeField(null=True, blank=True)
    last_outbox_at = models.DateTimeField(null=True, blank=True)
    tasks_run = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["-last_seen_at"], name="heartbeat_last_seen")]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname}"


class SweepRun(models.Model):
    """A sweep of one organisation for one minute, claimed by the worker that inserted it first:
    the unique key makes a second worker (or a second run) in the same minute pass it by."""

    sweep = models.CharField(max_length=40)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    window = models.CharField(max_length=20, help_text="The minute swept, YYYY-MM-DDTHH:MM UTC")
    worker_id = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sweep", "organisation", "window"], name="unique_sweep_window"
            )
        ]
        indexes = [models.Index(fields=["organisation", "-started_at"], name="sweep_org_recent")]

    def __str__(self) -> str:
        return f"{self.sweep} {self.organisation_id} {self.window}"


class ClockNotice(models.Model):
    """A reminder or missed-deadline notice the sweep sent for one clock of one case and one due
    date. The unique key is what makes it once: a second sweep, or a second worker, fails to
    insert it and sends nothing. A due date moved by an extension is a new deadline, reminded
    (and, if missed, recorded) afresh."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        MISSED = "missed", "Deadline missed"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    clock = models.CharField(max_length=60)
    due = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "clock", "due", "kind"], name="unique_clock_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.clock} {self.due} {self.kind}"


class PolicyReviewNotice(models.Model):
    """A reminder that the organisation's policy is due for review, or a notice that the review
    is overdue (Pivotal §24.1), sent once for each due date: the unique key stops a second sweep
    or worker sending it again. A review recorded moves the due date, which is told afresh."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Review due soon"
        OVERDUE = "overdue", "Review overdue"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    due = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "due", "kind"], name="unique_policy_review_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} policy review {self.due} {self.kind}"


class CqcSummaryNotice(models.Model):
    """A reminder that the summary the CQC asked for (CQC Regulation 16(3)) is due soon, or a
    notice that it is overdue, sent once for each request: the unique key stops a second sweep
    or worker sending it again. Nothing is sent once the summary is recorded as sent."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Summary due soon"
        OVERDUE = "overdue", "Summary overdue"

    request = models.ForeignKey("reporting.CqcRequest", on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "due", "kind"], name="unique_cqc_summary_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} CQC summary {self.due} {self.kind}"
