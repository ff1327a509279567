"""An organisation's own wording for each kind of letter. Without one, the kind's default
wording (fairhear.letters.defaults) is used."""

from django.db import models

from fairhear.domain.letters import MAX_SUBJECT_CHARS, MAX_TEMPLATE_CHARS, LetterKind


class LetterTemplate(models.Model):
    """The subject and body an organisation writes for one kind of letter, in the placeholder
    language of fairhear.domain.letters (checked when saved)."""

    KIND_CHOICES = [(k.value, k.label) for k in LetterKind]

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="letter_templates"
    )
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    subject = models.CharField(max_length=MAX_SUBJECT_CHARS)
    body = models.TextField(max_length=MAX_TEMPLATE_CHARS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="unique_letter_template_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind}"
