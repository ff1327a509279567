"""The lead officer's learning register: lessons learned and their remedial actions, and the
ombudsman's findings and orders with their compliance dates (Pivotal §22, §16.1, §1.4).
A case the lead may not see is never linked, listed or opened here (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_get_for_user
from fairhear.domain.debrief import may_record_debrief
from fairhear.domain.lifecycle import CaseState
from fairhear.domain.policy.schema import Capability
from fairhear.learning import selectors as sel
from fairhear.learning import services
from fairhear.learning.forms import (
    DebriefForm,
    DoneForm,
    FindingForm,
    LessonForm,
    LinkCaseForm,
    OrderForm,
    RemedialActionForm,
)
from fairhear.learning.models import Lesson, OmbudsmanFinding, OmbudsmanOrder, RemedialAction
from fairhear.learning.services import LearningInputError


def _lead(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated or not user.organisation_id or not user.can(Capability.LEAD):
        raise PermissionDenied("Only the lead officer can use the learning register.")
    return user


def _refused(form: Form, exc: LearningInputError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


def _page(request: HttpRequest, template: str, context: dict, forms: list[Form]) -> HttpResponse:
    status = 400 if any(f.is_bound and f.errors for f in forms) else 200
    return render(request, f"learning/{template}", context, status=status)


def register(request: HttpRequest) -> HttpResponse:
    """Lessons (filtered open, overdue or done), and what is overdue: actions and orders."""
    user = _lead(request)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status not in sel.STATUSES:
        status = ""
    return render(
        request,
        "learning/register.html",
        {
            "lessons": sel.lesson_list(user=user, today=today, status=status),
            "status": status,
            "statuses": sel.STATUSES,
            "overdue_actions": sel.overdue_actions(user=user, today=today),
            "overdue_orders": sel.overdue_orders(user=user, today=today),
            "findings": sel.finding_list(user=user),
            "debriefs": sel.debriefs_to_hold(user=user),
            "today": today,
        },
    )


def lesson_new(request: HttpRequest) -> HttpResponse:
    user = _lead(request)
    form = LessonForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_record(
                actor=user,
                learned=form.cleaned_data["learned"],
                service_area=form.cleaned_data["service_area"],
                cases=form.cleaned_data["cases"],
            )
        except LearningInputError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The lesson is in the register. Add its remedial actions.")
            return redirect("learning:lesson", pk=lesson.pk)
    return _page(request, "lesson_new.html", {"form": form}, [form])


def _lesson_or_404(user: User, pk: int) -> Lesson:
    try:
        return sel.lesson_get(user=user, pk=pk)
    except Lesson.DoesNotExist:
        raise Http404("No lesson with that number in your organisation.") from None


def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    """A lesson: its cases (those the lead may see), its actions, and forms to add to both."""
    user = _lead(request)
    item = _lesson_or_404(user, pk)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    action_form = RemedialActionForm(posted if which == "action" else None, user=user)
    link_form = LinkCaseForm(posted if which == "link" else None, user=user)
    if which == "action" and action_form.is_valid():
        try:
            services.remedial_action_add(actor=user, lesson=item, **action_form.cleaned_data)
        except LearningInputError as exc:
            _refused(action_form, exc)
        else:
            messages.success(request, "The remedial action is added.")
            return redirect("learning:lesson", pk=item.pk)
    if which == "link" and link_form.is_valid():
        try:
            added = services.lesson_link_case(
                actor=user, lesson=item, case=link_form.cleaned_data["reference"]
            )
        except LearningInputError as exc:
            _refused(link_form, exc)
        else:
            messages.success(
                request, "The case is linked." if added else "That case was linked already."
            )
            return redirect("learning:lesson", pk=item.pk)
    form = action_form if action_form.errors else link_form
    return _page(
        request,
        "lesson.html",
        {
            "lesson": item,
            "cases": sel.lesson_cases(user=user, lesson=item),
            "actions": sel.lesson_actions(lesson=item),
            "action_form": action_form,
            "link_form": link_form,
            "form": form,
            "today": timezone.localdate(),
        },
        [action_form, link_form],
    )


@require_POST
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    user = _lead(request)
    item = _lesson_or_404(user, pk)
    try:
        action = sel.remedial_action_get(lesson=item, pk=action_pk)
    except RemedialAction.DoesNotExist:
        raise Http404("No such action on this lesson.") from None
    form = DoneForm(request.POST)
    try:
        if not form.is_valid():
            raise LearningInputError(form.errors["done_on"][0], "done_on")
        services.remedial_action_mark_done(
            actor=user, action=action, done_on=form.cleaned_data["done_on"]
        )
    except LearningInputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The action is marked as done.")
    return redirect("learning:lesson", pk=item.pk)


def finding_new(request: HttpRequest) -> HttpResponse:
    user = _lead(request)
    initial = {"reference": request.GET.get("case", "")[:50]}
    form = FindingForm(
        request.POST if request.method == "POST" else None, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.finding_record(
                actor=user,
                case=data["reference"],
                body=data["body"],
                finding=data["finding"],
                decided_on=data["decided_on"],
                summary=data["summary"],
            )
        except LearningInputError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The finding is recorded. Add what the ombudsman ordered.")
            return redirect("learning:finding", pk=finding.pk)
    return _page(request, "finding_new.html", {"form": form}, [form])


def _finding_or_404(user: User, pk: int) -> OmbudsmanFinding:
    try:
        return sel.finding_get(user=user, pk=pk)
    except OmbudsmanFinding.DoesNotExist:
        raise Http404("No finding with that number on a case you can see.") from None


def finding(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding on a case the lead may see, its orders and their compliance dates."""
    user = _lead(request)
    item = _finding_or_404(user, pk)
    form = OrderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_add(actor=user, finding=item, **form.cleaned_data)
        except LearningInputError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The order is added.")
            return redirect("learning:finding", pk=item.pk)
    return _page(
        request,
        "finding.html",
        {
            "finding": item,
            "orders": sel.finding_orders(finding=item),
            "form": form,
            "today": timezone.localdate(),
        },
        [form],
    )


@require_POST
def order_done(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    user = _lead(request)
    item = _finding_or_404(user, pk)
    try:
        order = sel.order_get(finding=item, pk=order_pk)
    except OmbudsmanOrder.DoesNotExist:
        raise Http404("No such order on this finding.") from None
    form = DoneForm(request.POST)
    try:
        if not form.is_valid():
            raise LearningInputError(form.errors["done_on"][0], "done_on")
        services.order_mark_done(actor=user, order=order, done_on=form.cleaned_data["done_on"])
    except LearningInputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The order is marked as complied with.")
    return redirect("learning:finding", pk=item.pk)


def _colleague(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated or not user.organisation_id:
        raise PermissionDenied("Sign in as a colleague of an organisation.")
    return user


def debriefs(request: HttpRequest) -> HttpResponse:
    """Debriefs to hold (Pivotal §22.1): the lead's, or the complaints this colleague handled
    or closed; and the debriefs recorded lately."""
    user = _colleague(request)
    return render(
        request,
        "learning/debriefs.html",
        {
            "debriefs": sel.debriefs_to_hold(user=user),
            "recorded": sel.debriefs_recorded(user=user),
        },
    )


def debrief(request: HttpRequest, reference: str) -> HttpResponse:
    """The debrief of one closed complaint: as recorded, or the form to record it."""
    user = _colleague(request)
    try:
        case = case_get_for_user(user=user, reference=reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference that you can see.") from None
    recorded = sel.debrief_for(case=case)
    form = DebriefForm(
        request.POST if request.method == "POST" and recorded is None else None,
        user=user,
        initial={"held_on": timezone.localdate()},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.debrief_record(actor=user, case=case, **data)
        except LearningInputError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"The debrief for {case.reference} is recorded.")
            return redirect("learning:debrief", reference=case.reference)
    facts, closed_at = sel.debrief_case_facts(user=user, case=case)
    return _page(
        request,
        "debrief.html",
        {
            "case": case,
            "recorded": recorded,
            "form": form,
            "may_record": may_record_debrief(facts) and case.state == CaseState.CLOSED,
            "closed_at": closed_at,
        },
        [form],
    )
