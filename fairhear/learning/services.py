"""Recording lessons, remedial actions, ombudsman findings and orders. Each change is checked in
plain words and written with its entry in the change log (accounts/audit.py), in one
transaction, so nothing is recorded without saying who recorded it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhear.accounts.audit import admin_change_record, shown
from fairhear.accounts.models import ServiceArea, User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_visible_to
from fairhear.domain.clock import london_date
from fairhear.domain.debrief import DebriefRefused, check_debrief, may_record_debrief
from fairhear.domain.lifecycle import CaseKind, CaseState
from fairhear.learning.models import (
    Debrief,
    Lesson,
    OmbudsmanFinding,
    OmbudsmanOrder,
    RemedialAction,
)
from fairhear.learning.selectors import debrief_case_facts


class LearningInputError(ValueError):
    """A change refused, with a message that says how to put it right, and the form field it
    is about (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _today() -> date:
    return timezone.localdate()


def _check_cases(actor: User, cases: Sequence[Case]) -> None:
    for case in cases:
        if not case_visible_to(user=actor, case=case):
            # The same words as for a case that does not exist: need to know (domain/access.py).
            raise LearningInputError(
                f"There is no case {case.reference} that you can see.", "cases"
            )


def _check_owner(actor: User, owner: User) -> None:
    if owner.organisation_id != actor.organisation_id or not owner.is_active:
        raise LearningInputError(
            "Choose an owner who is an active colleague in your organisation.", "owner"
        )


def lesson_record(
    *,
    actor: User,
    learned: str,
    service_area: ServiceArea | None = None,
    cases: Sequence[Case] = (),
) -> Lesson:
    """Add a lesson to the register: what was learned, about a service area or cases (or both)."""
    learned = learned.strip()
    if not learned:
        raise LearningInputError("Say what was learned.", "learned")
    if service_area is None and not cases:
        raise LearningInputError("Link the lesson to at least one case or a service area.", "cases")
    if service_area is not None and service_area.organisation_id != actor.organisation_id:
        raise LearningInputError("Choose one of your organisation's service areas.", "service_area")
    _check_cases(actor, cases)
    with transaction.atomic():
        lesson = Lesson.objects.create(
            organisation_id=actor.organisation_id,
            learned=learned,
            service_area=service_area,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        lesson.cases.set(cases)
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="lesson",
            summary=f"Recorded a lesson learned: {learned[:200]}",
            after={
                "learned": learned,
                "service_area": shown(service_area),
                "cases": sorted(c.reference for c in cases),
            },
        )
    return lesson


def lesson_link_case(*, actor: User, lesson: Lesson, case: Case) -> bool:
    """Link one more case to a lesson; False when it was linked already."""
    _check_cases(actor, [case])
    with transaction.atomic():
        if lesson.cases.filter(pk=case.pk).exists():
            return False
        lesson.cases.add(case)
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="lesson",
            summary=f"Linked case {case.reference} to lesson {lesson.pk}",
            after={"lesson": lesson.pk, "case": case.reference},
        )
    return True


def remedial_action_add(
    *, actor: User, lesson: Lesson, what: str, owner: User, due_on: date
) -> RemedialAction:
    """Add a remedial action to a lesson: what, who owns it, and by when (not in the past)."""
    what = what.strip()
    if not what:
        raise LearningInputError("Say what is to be done.", "what")
    _check_owner(actor, owner)
    if due_on < _today():
        raise LearningInputError(
            f"The due date must be today ({_today():%-d %B %Y}) or later.", "due_on"
        )
    with transaction.atomic():
        action = RemedialAction.objects.create(
            lesson=lesson, what=what, owner=owner, due_on=due_on, recorded_at=timezone.now()
        )
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="remedial action",
            summary=f"Added a remedial action to lesson {lesson.pk}, owned by {owner}, "
            f"due {due_on:%-d %B %Y}",
            after={"lesson": lesson.pk, "what": what, "owner": str(owner), "due_on": shown(due_on)},
        )
    return action


def _done_on(done_on: date, after: date, after_words: str) -> None:
    if done_on > _today():
        raise LearningInputError("The date it was done cannot be in the future.", "done_on")
    if done_on < after:
        raise LearningInputError(
            f"The date it was done cannot be before {after_words} ({after:%-d %B %Y}).",
            "done_on",
        )


def remedial_action_mark_done(*, actor: User, action: RemedialAction, done_on: date) -> None:
    """Record the day a remedial action was done (once: a second record of it is refused)."""
    with transaction.atomic():
        action = RemedialAction.objects.select_for_update().get(pk=action.pk)
        _remedial_action_mark_done(actor, action, done_on)


def _remedial_action_mark_done(actor: User, action: RemedialAction, done_on: date) -> None:
    if action.done_on is not None:
        raise LearningInputError(f"This action was already done on {action.done_on:%-d %B %Y}.")
    _done_on(done_on, timezone.localtime(action.recorded_at).date(), "the day it was recorded")
    with transaction.atomic():
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="remedial action",
            summary=f"Remedial action {action.pk} of lesson {action.lesson_id} done",
            before={"done_on": None},
            after={"done_on": shown(done_on)},
        )


def finding_record(
    *, actor: User, case: Case, body: str, finding: str, decided_on: date, summary: str = ""
) -> OmbudsmanFinding:
    """Record an ombudsman's finding on a case the colleague may see."""
    _check_cases(actor, [case])
    body = body.strip()
    if not body:
        raise LearningInputError("Say which ombudsman or regulator made the finding.", "body")
    if finding not in OmbudsmanFinding.Finding.values:
        raise LearningInputError("Choose what the ombudsman found.", "finding")
    if decided_on > _today():
        raise LearningInputError("The date of the decision cannot be in the future.", "decided_on")
    if decided_on < timezone.localtime(case.received_at).date():
        raise LearningInputError(
            "The date of the decision cannot be before the complaint was received "
            f"({timezone.localtime(case.received_at):%-d %B %Y}).",
            "decided_on",
        )
    with transaction.atomic():
        row = OmbudsmanFinding.objects.create(
            organisation_id=actor.organisation_id,
            case=case,
            body=body,
            finding=finding,
            decided_on=decided_on,
            summary=summary.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="ombudsman finding",
            summary=f"Recorded {row.get_finding_display().lower()} found by {body} "
            f"on case {case.reference}",
            after={
                "case": case.reference,
                "body": body,
                "finding": finding,
                "decided_on": shown(decided_on),
            },
        )
    return row


def order_add(
    *, actor: User, finding: OmbudsmanFinding, what: str, comply_by: date
) -> OmbudsmanOrder:
    """Add an order (or recommendation) to a finding, with the date to comply by."""
    what = what.strip()
    if not what:
        raise LearningInputError("Say what the ombudsman ordered.", "what")
    if comply_by < finding.decided_on:
        raise LearningInputError(
            "The date to comply by cannot be before the decision "
            f"({finding.decided_on:%-d %B %Y}).",
            "comply_by",
        )
    with transaction.atomic():
        order = OmbudsmanOrder.objects.create(
            finding=finding, what=what, comply_by=comply_by, recorded_at=timezone.now()
        )
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="ombudsman order",
            summary=f"Added an order to comply with by {comply_by:%-d %B %Y} "
            f"on case {finding.case.reference}",
            after={"case": finding.case.reference, "what": what, "comply_by": shown(comply_by)},
        )
    return order


def order_mark_done(*, actor: User, order: OmbudsmanOrder, done_on: date) -> None:
    """Record the day the organisation complied with an order (once)."""
    with transaction.atomic():
        order = (
            OmbudsmanOrder.objects.select_related("finding__case")
            .select_for_update(of=("self",))
            .get(pk=order.pk)
        )
        _order_mark_done(actor, order, done_on)


def _order_mark_done(actor: User, order: OmbudsmanOrder, done_on: date) -> None:
    if order.done_on is not None:
        raise LearningInputError(
            f"This order was already complied with on {order.done_on:%-d %B %Y}."
        )
    _done_on(done_on, order.finding.decided_on, "the decision")
    with transaction.atomic():
        order.done_on = done_on
        order.save(update_fields=["done_on"])
        admin_change_record(
            organisation=actor.organisation,
            actor=actor,
            what="ombudsman order",
            summary=f"Complied with order {order.pk} on case {order.finding.case.reference}",
            before={"done_on": None},
            after={"done_on": shown(done_on)},
        )


_ALREADY = "A debrief is already recorded for {}; it is shown below."


def debrief_record(
    *,
    actor: User,
    case: Case,
    held_on: date,
    colleagues: Sequence[User],
    discussed: str,
    lesson_learned: bool,
    support_given: str = "",
    lesson: Lesson | None = None,
    new_lesson: str = "",
) -> Debrief:
    """Record the debrief held with the colleagues involved after a complaint closed (Pivotal
    §22.1): when, who took part, what was discussed and the support given, and whether a
    lesson was learned: one chosen from the register, or a new one written here (added to the
    register, linked to the case). Once per case; the lead or a colleague who handled or
    closed the complaint records it."""
    _check_cases(actor, [case])
    if case.kind != CaseKind.COMPLAINT or case.state != CaseState.CLOSED:
        raise LearningInputError(f"Case {case.reference} is not a closed complaint.")
    facts, closed_at = debrief_case_facts(user=actor, case=case)
    if not may_record_debrief(facts):
        raise LearningInputError(
            "Only the lead officer, or a colleague who handled or closed the complaint, can "
            "record its debrief."
        )
    if any(c.organisation_id != actor.organisation_id or not c.is_active for c in colleagues):
        raise LearningInputError(
            "Choose colleagues who are active in your organisation.", "colleagues"
        )
    if lesson is not None and lesson.organisation_id != actor.organisation_id:
        raise LearningInputError("Choose a lesson from your organisation's register.", "lesson")
    if lesson is not None and new_lesson.strip():
        raise LearningInputError(
            "Choose a lesson from the register or write a new one, not both.", "new_lesson"
        )
    try:
        check_debrief(
            held_on=held_on,
            today=_today(),
            closed_on=london_date(closed_at) if closed_at else held_on,
            colleagues=len(colleagues),
            discussed=discussed,
            lesson_learned=lesson_learned,
            lesson_given=lesson is not None or bool(new_lesson.strip()),
        )
    except DebriefRefused as exc:
        raise LearningInputError(str(exc), exc.field) from None
    try:
        with transaction.atomic():
            return _debrief_write(
                actor,
                case,
                held_on=held_on,
                colleagues=colleagues,
                discussed=discussed.strip(),
                support_given=support_given.strip(),
                lesson_learned=lesson_learned,
                lesson=lesson,
                new_lesson=new_lesson.strip(),
            )
    except IntegrityError:
        raise LearningInputError(_ALREADY.format(case.reference)) from None


def _debrief_write(
    actor: User, case: Case, *, lesson: Lesson | None, new_lesson: str, **kw: object
) -> Debrief:
    # The case row is locked so that two colleagues recording at once do not both pass the
    # check; the one-per-case constraint stands behind it (SQLite has no row locks).
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    if Debrief.objects.filter(case=case).exists():
        raise LearningInputError(_ALREADY.format(case.reference))
    if new_lesson:
        lesson = lesson_record(
            actor=actor, learned=new_lesson, service_area=case.service_area, cases=[case]
        )
    elif lesson is not None:
        lesson_link_case(actor=actor, lesson=lesson, case=case)
    colleagues = kw.pop("colleagues")
    debrief = Debrief.objects.create(
        organisation_id=actor.organisation_id,
        case=case,
        lesson=lesson,
        recorded_by=actor,
        recorded_at=timezone.now(),
        **kw,
    )
    debrief.colleagues.set(colleagues)
    admin_change_record(
        organisation=actor.organisation,
        actor=actor,
        what="debrief",
        summary=f"Recorded the debrief held on {debrief.held_on:%-d %B %Y} for {case.reference}",
        after={
            "case": case.reference,
            "held_on": shown(debrief.held_on),
            "colleagues": sorted(str(c) for c in colleagues),
            "lesson_learned": debrief.lesson_learned,
            "lesson": lesson.pk if lesson else None,
        },
    )
    return debrief
