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


class PolicyReview(models.Model):
    """A review of the organisation's policy recorded as done (Pivotal §24.1: reviewed annually
    by the Senior Leadership Team), whether or not it changed the policy. Never edited: a
    review recorded by mistake is followed by the right one, which counts from its own date."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="policy_reviews"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(help_text="The London date the review was done")
    note = models.TextField(help_text="What the review found or decided")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-reviewed_on"], name="policy_review_latest")
        ]

    def __str__(self) -> str:
        return f"{self.version} reviewed on {self.reviewed_on}"
