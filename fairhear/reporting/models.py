"""The words a lead officer writes: for a board report, one section (trends, systemic issues,
lessons learned, the governing body's response...) of one report kind for one period of one
organisation; for the self-assessment against the Housing Ombudsman Code, one answer per
provision per financial year. The figures, the evidence and the draft answers are never
stored: they are worked out when the page or the report is made."""

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
