"""Reading the learning register, scoped to the colleague's organisation, and, for anything
about a case, to the cases they may see (cases.selectors.case_list_visible_to)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from fairhear.accounts.models import User
from fairhear.cases.models import Case, CaseEvent, CaseInvolvement
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.debrief import DebriefFacts
from fairhear.domain.lifecycle import CaseKind, CaseState
from fairhear.domain.policy.schema import Capability
from fairhear.learning.models import (
    Debrief,
    Lesson,
    OmbudsmanFinding,
    OmbudsmanOrder,
    RemedialAction,
)
from fairhear.policies.models import PolicyVersion
from fairhear.policies.selectors import policy_pack_for

STATUSES = {"open": "Open", "overdue": "Overdue", "done": "Done"}


def lesson_list(*, user: User, today: date, status: str = "") -> QuerySet[Lesson]:
    """The organisation's lessons, newest first, each with its count of actions and of those
    still to do. `status`: "open" (something still to do, or no action yet), "overdue" (an
    action past its due date and not done), "done" (every action done); anything else: all."""
    undone = RemedialAction.objects.filter(lesson=OuterRef("pk"), done_on__isnull=True)
    lessons = (
        Lesson.objects.filter(organisation_id=user.organisation_id)
        .select_related("service_area")
        .annotate(
            action_count=Count("actions", distinct=True),
            to_do=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True),
        )
    )
    if status == "open":
        lessons = lessons.filter(Q(Exists(undone)) | Q(action_count=0))
    elif status == "overdue":
        lessons = lessons.filter(Exists(undone.filter(due_on__lt=today)))
    elif status == "done":
        lessons = lessons.filter(action_count__gt=0).exclude(Exists(undone))
    return lessons


def lesson_get(*, user: User, pk: int) -> Lesson:
    """One lesson of the colleague's organisation; Lesson.DoesNotExist otherwise."""
    return Lesson.objects.select_related("service_area", "recorded_by").get(
        organisation_id=user.organisation_id, pk=pk
    )


def lesson_cases(*, user: User, lesson: Lesson) -> QuerySet[Case]:
    """The cases linked to the lesson that the colleague may see, and no others."""
    return case_list_visible_to(user=user).filter(lessons=lesson).order_by("reference")


def lesson_actions(*, lesson: Lesson) -> QuerySet[RemedialAction]:
    return lesson.actions.select_related("owner")


def remedial_action_get(*, lesson: Lesson, pk: int) -> RemedialAction:
    return lesson.actions.get(pk=pk)


def overdue_actions(*, user: User, today: date) -> QuerySet[RemedialAction]:
    """Remedial actions not done by their due date, oldest due first."""
    return (
        RemedialAction.objects.filter(
            lesson__organisation_id=user.organisation_id, done_on__isnull=True, due_on__lt=today
        )
        .select_related("owner", "lesson")
        .order_by("due_on", "pk")
    )


def _findings_visible_to(user: User) -> QuerySet[OmbudsmanFinding]:
    return OmbudsmanFinding.objects.filter(
        organisation_id=user.organisation_id, case__in=case_list_visible_to(user=user)
    )


def finding_list(*, user: User) -> QuerySet[OmbudsmanFinding]:
    """Ombudsman findings on the cases the colleague may see, newest decision first."""
    return (
        _findings_visible_to(user)
        .select_related("case")
        .annotate(to_do=Count("orders", filter=Q(orders__done_on__isnull=True)))
    )


def finding_get(*, user: User, pk: int) -> OmbudsmanFinding:
    """One finding on a case the colleague may see; OmbudsmanFinding.DoesNotExist otherwise."""
    return finding_list(user=user).select_related("recorded_by").get(pk=pk)


def finding_orders(*, finding: OmbudsmanFinding) -> QuerySet[OmbudsmanOrder]:
    return finding.orders.all()


def order_get(*, finding: OmbudsmanFinding, pk: int) -> OmbudsmanOrder:
    return finding.orders.select_related("finding__case").get(pk=pk)


def overdue_orders(*, user: User, today: date) -> QuerySet[OmbudsmanOrder]:
    """Orders not complied with by their date, on cases the colleague may see."""
    return (
        OmbudsmanOrder.objects.filter(
            finding__in=_findings_visible_to(user), done_on__isnull=True, comply_by__lt=today
        )
        .select_related("finding__case")
        .order_by("comply_by", "pk")
    )


def debrief_policy_versions(*, organisation_id: int) -> list[int]:
    """The organisation's policy versions whose pack holds a debrief after closure (Pivotal
    §22.1, `[learning] debrief_after_closure`): each case keeps the version it was opened under."""
    return [
        version.pk
        for version in PolicyVersion.objects.filter(organisation_id=organisation_id)
        if policy_pack_for(version).learning.debrief_after_closure
    ]


def _closing_event(case_ref: OuterRef) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case_ref, to_state=CaseState.CLOSED).order_by("-sequence")


def _handled_by(user: User) -> Exists:
    return Exists(
        CaseInvolvement.objects.filter(
            case=OuterRef("pk"), user=user, role=CaseInvolvement.Role.HANDLED
        )
    )


def debriefs_to_hold(*, user: User) -> QuerySet[Case]:
    """Closed complaints the colleague may see, under a pack that holds a debrief, with none
    recorded yet, the longest closed first; each with `closed_at` (the step that closed it
    last). The lead officer sees all of them; anyone else those they handled or closed."""
    last_close = _closing_event(OuterRef("pk"))
    cases = (
        case_list_visible_to(user=user)
        .filter(
            kind=CaseKind.COMPLAINT,
            state=CaseState.CLOSED,
            policy_version_id__in=debrief_policy_versions(organisation_id=user.organisation_id),
            debrief__isnull=True,
        )
        .select_related("handler")
        .annotate(
            closed_at=Subquery(last_close.values("occurred_at")[:1]),
            closed_by=Subquery(last_close.values("actor_id")[:1]),
        )
    )
    if not user.can(Capability.LEAD):
        cases = cases.filter(Q(handler=user) | Q(closed_by=user.pk) | _handled_by(user))
    return cases.order_by("closed_at", "reference")


def debrief_case_facts(*, user: User, case: Case) -> tuple[DebriefFacts, datetime | None]:
    """Who the colleague is to the case, for the debrief rule, and when it closed last."""
    closing = _closing_event(case.pk).values("occurred_at", "actor_id").first()
    handled = case.handler_id == user.pk or (
        CaseInvolvement.objects.filter(
            case=case, user=user, role=CaseInvolvement.Role.HANDLED
        ).exists()
    )
    facts = DebriefFacts(
        is_lead=user.can(Capability.LEAD),
        handled_it=handled,
        closed_it=bool(closing and closing["actor_id"] == user.pk),
    )
    return facts, closing["occurred_at"] if closing else None


def debrief_for(*, case: Case) -> Debrief | None:
    """The debrief recorded for the case, if any."""
    return (
        Debrief.objects.select_related("lesson", "recorded_by")
        .prefetch_related("colleagues")
        .filter(case=case)
        .first()
    )


def debriefs_recorded(*, user: User, limit: int = 20) -> QuerySet[Debrief]:
    """The latest debriefs on the cases the colleague may see, newest first."""
    return (
        Debrief.objects.filter(
            organisation_id=user.organisation_id, case__in=case_list_visible_to(user=user)
        )
        .select_related("case", "lesson")
        .order_by("-held_on", "-pk")[:limit]
    )
