"""Organisations, their service areas and closure days, and the colleagues who use Fairhear."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from fairhear.domain.calendar import Nation
from fairhear.domain.policy.schema import Capability, ServiceKind


class Organisation(models.Model):
    """A provider running its own complaints policy."""

    class NationChoice(models.TextChoices):
        ENGLAND_AND_WALES = Nation.ENGLAND_AND_WALES.value, "England and Wales"
        SCOTLAND = Nation.SCOTLAND.value, "Scotland"
        NORTHERN_IRELAND = Nation.NORTHERN_IRELAND.value, "Northern Ireland"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    nation = models.CharField(
        max_length=32, choices=NationChoice.choices, default=NationChoice.ENGLAND_AND_WALES
    )
    active_policy_version = models.ForeignKey(
        "policies.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    homes_lcra = models.PositiveIntegerField(default=0, help_text="Low-cost rental homes owned")
    homes_lcho = models.PositiveIntegerField(default=0, help_text="Low-cost home ownership homes")
    # Contact details and branding, printed on letters and shown in the header.
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.FileField(upload_to="logos/", blank=True)
    brand_colour = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    reminder_days = models.JSONField(
        default=dict,
        blank=True,
        help_text="Working days before each clock's due date to remind its owner, where the "
        "organisation wants other than its policy pack says ({clock name: days}; 0: none)",
    )
    require_two_factor = models.BooleanField(
        default=False,
        help_text="Leads and administrators must sign in with a code from an authenticator app.",
    )

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """A part of the organisation's services (a region, scheme or service line)."""

    class Kind(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        HOUSING = ServiceKind.HOUSING.value, "Housing"
        CARE = ServiceKind.CARE.value, "Care"
        SUPPORTED_LIVING = ServiceKind.SUPPORTED_LIVING.value, "Supported living"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_areas"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        blank=True,
        default="",
        help_text="What the service provides; chooses the ombudsman or regulator signposted.",
    )
    cqc_registered = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        help_text="Whether the service is registered with the Care Quality Commission "
        "(empty: not recorded).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_service_area_name"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A day the organisation is closed, which is not a working day for its deadlines."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="closure_days"
    )
    day = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="unique_closure_day")
        ]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d %b %Y} {self.reason}".strip()


class OrganisationChanged(models.Model):
    """A token the database's own triggers change, in the same transaction, whenever what every
    page reads of an organisation besides its own row changes: its closure days, its service
    areas, or its colleagues' names or whether they are active (migration 0006). A page keeps
    the organisation's calendar and its filters' choices until the token changes
    (accounts.selectors, docs/adr/ADR-013-navigation-counts-kept.md). Random, so that a change
    undone never meets an old value; a plain number, not a foreign key, as a trigger writes it
    while an organisation's rows are being deleted."""

    organisation_id = models.BigIntegerField(primary_key=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.token}"


class User(AbstractUser):
    """A colleague. Capabilities are what they may do; the pack names them in its own words."""

    class CapabilityChoice(models.TextChoices):
        LOG = Capability.LOG.value, "Log cases"
        ALLOCATE = Capability.ALLOCATE.value, "Allocate"
        INVESTIGATE = Capability.INVESTIGATE.value, "Investigate"
        REVIEW = Capability.REVIEW.value, "Review"
        DIRECT = Capability.DIRECT.value, "Direct"
        LEAD = Capability.LEAD.value, "Lead officer"
        ADMINISTER = Capability.ADMINISTER.value, "Administer"

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="colleagues"
    )
    job_title = models.CharField(max_length=200, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="colleagues"
    )
    capabilities = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def can(self, capability: Capability) -> bool:
        """True when the colleague holds `capability`, or is the lead officer."""
        held = set(self.capabilities or [])
        return capability.value in held or Capability.LEAD.value in held


class AdministrativeChange(models.Model):
    """One change an administrator made (settings, service areas, colleagues, policy versions):
    who, when, what, and the values before and after. Append-only (a database trigger refuses
    UPDATE and DELETE), like the case log."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="administrative_changes"
    )
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=200, help_text="Who made it, as shown in the list")
    at = models.DateTimeField()
    what = models.CharField(max_length=60, help_text="A code: organisation.settings, ...")
    summary = models.CharField(max_length=500)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-at"], name="admin_change_by_org")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"
