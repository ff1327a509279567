"""Published policy versions: immutable pack text, pinned by every case opened under them."""

from django.db import models


class PolicyVersion(models.Model):
    """One published version of an organisation's policy pack. Never edited once saved."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="policy_versions"
    )
    name = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    source_toml = models.TextField()
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="unique_policy_text")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
