"""The learning register: lessons learned with their remedial actions (Pivotal §22.1, the
debrief after closure, and §22.4, lessons learned in the quarterly reports; MMBM §11), and the
findings and orders of an ombudsman recorded against a case, with the date each order must be
complied with (Pivotal §1.4: "We will comply with recommendations made by the Ombudsman")."""

from django.db import models

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.cases.models import Case


class Lesson(models.Model):
    """What the organisation learned, about a service area, from one or more cases."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    learned = models.TextField()
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cases = models.ManyToManyField(Case, blank=True, related_name="lessons")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.learned[:80]


class RemedialAction(models.Model):
    """Something to be done because of a lesson, by a colleague, by a date."""

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what[:80]


class OmbudsmanFinding(models.Model):
    """An ombudsman's determination on a case that went to it (Pivotal §16.1)."""

    class Finding(models.TextChoices):
        SEVERE_MALADMINISTRATION = "severe_maladministration", "Severe maladministration"
        MALADMINISTRATION = "maladministration", "Maladministration"
        SERVICE_FAILURE = "service_failure", "Service failure"
        REASONABLE_REDRESS = "reasonable_redress", "Reasonable redress"
        NO_MALADMINISTRATION = "no_maladministration", "No maladministration"
        OUTSIDE_JURISDICTION = "outside_jurisdiction", "Outside jurisdiction"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ombudsman_findings")
    body = models.CharField(max_length=200)
    finding = models.CharField(max_length=40, choices=Finding.choices)
    decided_on = models.DateField()
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_finding_display()} on {self.case.reference}"


class OmbudsmanOrder(models.Model):
    """One thing an ombudsman ordered or recommended, with its compliance date."""

    finding = models.ForeignKey(OmbudsmanFinding, on_delete=models.PROTECT, related_name="orders")
    what = models.TextField()
    comply_by = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["comply_by", "pk"]

    def __str__(self) -> str:
        return self.what[:80]


class Debrief(models.Model):
    """The debriefing session held with the colleagues involved after a complaint closed
    (Pivotal §22.1: "to support colleagues and to consider whether lessons can be learned for
    service improvement"): one per case, with the lesson it led to, if any."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="debrief")
    held_on = models.DateField()
    colleagues = models.ManyToManyField(User, related_name="+")
    discussed = models.TextField()
    support_given = models.TextField(blank=True)
    lesson_learned = models.BooleanField()
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.PROTECT, related_name="debriefs"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Debrief on {self.case.reference}"
