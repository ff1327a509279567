"""Where an imported case came from: its reference in the system it was moved from."""

from django.db import models

from fairhear.accounts.models import Organisation
from fairhear.cases.models import Case


class ImportedCase(models.Model):
    """A case made by an import, with the reference the organisation's old log gave it. The
    same source reference is one case however often its file is imported (docs/import.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    source_reference = models.CharField(max_length=100)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="imported_from")
    source = models.CharField(max_length=20, help_text="history (JSON) or log (spreadsheet)")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_reference"], name="unique_imported_source_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_reference} → {self.case.reference}"
