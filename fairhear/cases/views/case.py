"""The case page, the form for each action on it, and logging a new case."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fairhear.accounts.selectors import organisation_calendar
from fairhear.alerts.selectors import organisation_and_unread
from fairhear.cases.actions import ACTIONS, action_form, action_form_kwargs, show_version
from fairhear.cases.clock_presenters import clock_rows, ended_on
from fairhear.cases.confirmation import CHANGE, CONFIRM, answers, carried, letters_after, step_of
from fairhear.cases.forms import LogCaseForm
from fairhear.cases.models import Case
from fairhear.cases.presenters import (
    action_links,
    closure_label,
    repeats_caught,
    routed_out_label,
    stage_label,
    state_label,
    submitted_answers,
    timeline,
)
from fairhear.cases.related import related_cases
from fairhear.cases.restrictions import restriction_banner
from fairhear.cases.selectors import (
    case_about_colleagues,
    case_access_named,
    case_action_offered,
    case_action_refusal,
    case_actions_for,
    case_attachments,
    case_clocks,
    case_get_for_user,
    case_route_prompt,
    case_routed_out,
    case_signposts,
    case_time_limit_verdict,
    case_timeline_events,
    case_visible_to,
)
from fairhear.cases.services import (
    AdditionalComplaintQuestion,
    AlreadyReceived,
    CaseInputError,
    CorrectionNeedsConfirmation,
    PersonMatchUncertain,
    PolicyVersionUnconfirmed,
    TransitionRejected,
    case_access_record,
    case_receive,
)
from fairhear.core.date_input import time_notices
from fairhear.domain.conflicts import Overtaken
from fairhear.domain.lifecycle import Action, CaseKind
from fairhear.domain.restrictions import RestrictionState
from fairhear.policies.selectors import INTAKE_ALARM, policy_pack_for

NO_LONGER_YOURS = (
    "{reference} is no longer one of the cases you have a reason to see, so it is not shown "
    "to you; its handler and the lead officer have it."
)
RESTRICTED_ON_LOGGING = (
    "Access to it is restricted because of what it is about: only the colleagues the lead "
    "officer names, its handler and the lead officer can open it. It is listed here."
)


def case_or_404(request: HttpRequest, reference: str) -> Case:
    """The case, if this colleague may open it; 404 otherwise, exactly as for a reference that
    does not exist. A view of a case whose access is restricted is logged (who, when, which
    page). Every page of a case starts here."""
    try:
        case = case_get_for_user(user=request.user, reference=reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference that you can see.") from None
    if case.restricted_access:
        case_access_record(case=case, user=request.user, page=request.get_full_path())
    return case


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A case: its details, its clocks with their explanations, its timeline and next actions."""
    case = case_or_404(request, reference)
    pack = policy_pack_for(case.policy_version)
    # The case is of the colleague's organisation (need to know): read with its "changed"
    # token, as the header reads it anyway, so its calendar is kept (accounts.selectors).
    cal = organisation_calendar(organisation_and_unread(user=request.user)[0])
    today = timezone.localdate()
    stored_clocks = case_clocks(case=case)
    banner = restriction_banner(case, stored_clocks, today=today)
    actions = case_actions_for(
        case=case,
        user=request.user,
        clocks=stored_clocks,
        restriction=banner.state if banner else RestrictionState(),
    )
    primary, secondary = action_links(actions, case)
    category_labels = {c.code: c.label for c in pack.categories}
    events = case_timeline_events(case=case)
    routed = case_routed_out(case, events)
    context = {
        "case": case,
        "pack": pack,
        "stage": stage_label(case, pack),
        "state": state_label(case),
        "clocks": clock_rows(stored_clocks, pack, today=today, cal=cal, ended=ended_on(events)),
        "timeline": timeline(
            events, case_attachments(case=case, events=events), reference=case.reference
        ),
        "primary_actions": primary,
        "secondary_actions": secondary,
        "categories": [category_labels.get(c, c) for c in case.categories],
        "verdict": case_time_limit_verdict(case) if case.kind == CaseKind.COMPLAINT else None,
        "access_named": case_access_named(case=case) if case.restricted_access else [],
        "restriction": banner,
        "closure": closure_label(case, pack),
        "signposts": case_signposts(case) if case.kind == CaseKind.COMPLAINT else None,
        "routed_out": routed_out_label(routed),
        "route_prompt": case_route_prompt(case, routed),
        "about_colleagues": [str(u) for u in case_about_colleagues(case=case)],
        "related": related_cases(case=case, user=request.user, pack=pack),
        "repeats": repeats_caught(case),
        "submitted": submitted_answers(case),
    }
    return render(request, "cases/pages/case_detail.html", context)


def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Show and carry out one action's form; a refusal says why and keeps what was typed."""
    case = case_or_404(request, reference)
    try:
        chosen = Action(action)
        spec = ACTIONS[chosen]
    except (ValueError, KeyError):
        raise Http404("No such action.") from None
    if not case_action_offered(case=case, user=request.user, action=chosen):
        raise Http404("No such action that you can take.")
    pack = policy_pack_for(case.policy_version)
    kwargs = action_form_kwargs(spec, chosen, case, pack, request.user)
    # Bound on every POST, even an empty one: `request.POST or None` would treat a post with
    # nothing filled in as a GET, neither acting nor saying what is missing.
    posted = request.method == "POST"
    form = action_form(
        spec,
        case,
        request.POST if posted else None,
        kwargs,
        files=request.FILES if posted else None,
    )
    step = step_of(request.POST) if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid() and spec.confirm and step != CONFIRM:
        if step != CHANGE:
            # Nothing is saved yet: the answers come back to be checked (confirmation.py).
            return render(
                request,
                "cases/pages/case_confirm.html",
                {
                    "case": case,
                    "action": chosen,
                    "spec": spec,
                    "stage": stage_label(case, pack),
                    "answers": answers(form),
                    "carried": carried(request.POST),
                    "letters": letters_after(chosen),
                },
            )
    elif request.method == "POST" and form.is_valid():
        try:
            spec.run(case, request.user, form.cleaned_data, form)
        except CorrectionNeedsConfirmation as exc:
            form.ask_to_confirm(str(exc))  # the effects, shown before anything is saved
        except (TransitionRejected, CaseInputError) as exc:
            form.add_error(None, str(exc))
            if isinstance(exc, Overtaken):
                show_version(form, exc.latest)
        else:
            messages.success(request, spec.done)
            for note in time_notices(form):
                messages.info(request, note)
            if not case_visible_to(user=request.user, case=case):
                # A correction into a category that restricts access (Pivotal App. 3 E), or a
                # handler's own hand-over: the case is no longer theirs to open.
                messages.info(request, NO_LONGER_YOURS.format(reference=case.reference))
                return redirect("cases:my_work")
            return redirect("cases:detail", reference=case.reference)
    refusal = case_action_refusal(case=case, user=request.user, action=chosen)
    allowed = not refusal
    return render(
        request,
        "cases/pages/case_action.html",
        {
            "case": case,
            "form": form,
            "action": chosen,
            "spec": spec,
            "allowed": allowed,
            "refusal": refusal,
            "stage": stage_label(case, pack),
        },
        # Not possible now (the case's state, a missing step): the page says why, and the case
        # is one the colleague may see, so this reveals nothing (never 403: security.md).
        status=200 if allowed or request.method == "POST" else 409,
    )


def _to_logged_case(request: HttpRequest, case: Case) -> HttpResponse:
    """The case just logged, or Cases I logged when its category restricts access (Pivotal
    App. 3 E): the colleague who logged it keeps its reference and where it is there."""
    if not case_visible_to(user=request.user, case=case):
        messages.info(request, RESTRICTED_ON_LOGGING)
        return redirect("cases:logged")
    return redirect("cases:detail", reference=case.reference)


def case_log(request: HttpRequest) -> HttpResponse:
    """A colleague logs a complaint, compliment, suggestion or service request they were told."""
    org = request.user.organisation
    if org is None or org.active_policy_version is None:
        raise Http404("Your account is not linked to an organisation with a policy.")
    pack = policy_pack_for(org.active_policy_version, alarm=INTAKE_ALARM)
    form = LogCaseForm(
        request.POST if request.method == "POST" else None, organisation=org, pack=pack
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = case_receive(
                organisation=org,
                logged_by=request.user,
                notify=True,
                **form.case_receive_arguments(),
            )
        except AlreadyReceived as exc:
            messages.info(
                request,
                f"This form was already saved as {exc.case.reference}; it was not saved again. "
                "To log another case, use Log a case again.",
            )
            return _to_logged_case(request, exc.case)
        except PolicyVersionUnconfirmed as exc:
            form.ask_to_confirm_policy_version(str(exc))
        except PersonMatchUncertain as exc:
            form.ask_about_person(exc)
        except AdditionalComplaintQuestion as exc:
            form.ask_about_additional(exc)
        except CaseInputError as exc:
            form.add_error(None, str(exc))
        else:
            if form.cleaned_data.get("additional", "").startswith("take_in:"):
                messages.success(request, f"Taken into the stage 1 response of {case.reference}.")
            else:
                messages.success(request, f"Logged as {case.reference}.")
            for note in time_notices(form):
                messages.info(request, note)
            return _to_logged_case(request, case)
    return render(request, "cases/pages/log_case.html", {"form": form, "pack": pack})
