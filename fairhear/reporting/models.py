"""The words a lead officer writes: for a board report, one section (trends, systemic issues,
lessons learned, the governing body's response...) of one report kind for one period of one
organisation; for the self-assessment against the Housing Ombudsman Code, one answer per
provision per financial year. The figures, the evidence and the draft answers are never
stored: they are worked out when the page or the report is made."""

from datetime import date

from django.db import models

from fairhear.domain.cqc import cqc_summary_due

# A section is a few paragraphs of plain text, not a document.
NARRATIVE_LIMIT = 5000


class ReportNarrative(models.Model):
    """One narrative section of a board report (reporting/board.py names the kinds, periods
    and sections). Every save is recorded in the administrative change log."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="report_narratives"
    )
    kind = models.CharField(max_length=20, help_text="monthly, quarterly or annual")
    period = models.CharField(max_length=10, help_text="2026-05, 2026-Q2 or 2026 (from April)")
    section = models.CharField(max_length=40)
    text = models.TextField(max_length=NARRATIVE_LIMIT, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "period", "section"],
                name="unique_report_narrative_section",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.period} {self.section}"


# An answer is a few paragraphs of plain text, not a document.
ANSWER_LIMIT = 5000


class SelfAssessmentAnswer(models.Model):
    """The lead's answer to one provision (domain/self_assessment.py PROVISIONS) for the
    financial year from 1 April `year`. Every save is recorded in the administrative change
    log (reporting/self_assessment.py)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="self_assessment_answers"
    )
    year = models.PositiveSmallIntegerField(help_text="The financial year from 1 April")
    provision = models.CharField(max_length=10, help_text="The Code's paragraph, such as 6.3")
    text = models.TextField(max_length=ANSWER_LIMIT, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "provision"],
                name="unique_self_assessment_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} {self.provision}"


# The notes on a request are a few lines, not a document.
CQC_NOTES_LIMIT = 2000


class CqcRequest(models.Model):
    """A request from the Care Quality Commission for a summary of complaints, responses and
    correspondence (CQC Regulation 16(3)), due 28 days after the day it was received
    (domain/cqc.py). The summary itself is never stored: it is counted from the case events
    when it is shown or printed. Recording it, and recording it as sent, are each written in
    the administrative change log (reporting/cqc.py)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cqc_requests"
    )
    received_on = models.DateField(help_text="The London date the request was received")
    period_from = models.DateField(help_text="The first day of the period asked about")
    period_to = models.DateField(help_text="The last day of the period asked about")
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The registered service asked about (empty: every service)",
    )
    cqc_reference = models.CharField(max_length=100, blank=True)
    notes = models.TextField(max_length=CQC_NOTES_LIMIT, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(null=True, blank=True, help_text="Empty until it is sent")
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "sent_on"], name="cqc_request_open")]

    def __str__(self) -> str:
        return f"{self.organisation_id} CQC request {self.received_on}"

    @property
    def due(self) -> date:
        """The last day to send the summary (day 28 after the day of receipt)."""
        return cqc_summary_due(self.received_on)


class CustomerReport(models.Model):
    """One published version of the annual report to customers (Pivotal 21.1 and 21.4) for
    the financial year from 1 April `year`: the figures, the charts' numbers and the lead's
    words as they were when published (reporting/customers.py), never counted again. A
    correction is a new version; the earlier ones stay on record, and triggers in the
    migration refuse UPDATE and DELETE."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="customer_reports"
    )
    year = models.PositiveSmallIntegerField(help_text="The financial year from 1 April")
    version = models.PositiveSmallIntegerField()
    snapshot = models.JSONField(help_text="What the public page and the PDF show")
    correction = models.TextField(blank=True, help_text="What a later version corrected")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "version"], name="unique_customer_report_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} v{self.version}"


class DashboardCount(models.Model):
    """The dashboard's figures for one lead officer and one choice of period and filters, as
    counted from the case event log (reporting/kept.py, ADR-012). Nothing here is a record:
    every row can be deleted and is counted again from the events. `position` is the log's
    highest event id when the count began; an event of the organisation after it means the
    figures may have changed, and they are counted again."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    viewer = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=64, help_text="The period, filters and their names")
    start = models.DateField()
    end = models.DateField()
    service_area = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=100, blank=True)
    latest = models.BooleanField(
        default=False, help_text="The dashboard as it first opens: the last 12 months"
    )
    position = models.BigIntegerField(default=0, help_text="The last event id counted")
    counted_at = models.DateTimeField(null=True, blank=True, help_text="Empty until counted")
    took_ms = models.PositiveIntegerField(default=0)
    panels = models.JSONField(null=True, blank=True, help_text="The charts and tables' numbers")
    references = models.BinaryField(
        null=True, blank=True, help_text="The cases behind each number (JSON, compressed)"
    )
    asked_at = models.DateTimeField(
        null=True, blank=True, help_text="When a count in the background was last asked for"
    )
    viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["viewer", "choice"], name="unique_dashboard_count")
        ]
        indexes = [models.Index(fields=["organisation", "viewed_at"], name="dashboard_count_seen")]

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.start}–{self.end} {self.service_area} {self.category}"
