"""The words a lead officer writes for a board report: one section (trends, systemic issues,
lessons learned, the governing body's response...) of one report kind for one period of one
organisation. The figures are never stored: they are counted when the report is printed."""

from django.db import models

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
