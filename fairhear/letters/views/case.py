"""A case's letters: those kept as sent, the steps a letter confirms, the stage response
builder (draft, approval, send) and each kept PDF. Every view reaches the case through
cases.selectors.case_get_for_user, so a case the colleague may not see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.selectors import (
    case_action_refusal,
    case_events,
    case_get_for_user,
    case_last_sequence,
)
from fairhear.cases.services import CaseInputError, TransitionRejected
from fairhear.cases.services.letters import case_draft_response
from fairhear.domain.conflicts import Overtaken
from fairhear.domain.letters import LetterKind, TemplateProblem
from fairhear.domain.lifecycle import Action
from fairhear.letters.forms import (
    SEEN,
    DraftResponseForm,
    SendLetterForm,
    WarningLetterForm,
)
from fairhear.letters.selectors import (
    LetterFileProblem,
    draft_approval,
    latest_draft,
    letter_pdf,
    letter_sent,
    letters_followed,
    letters_sent,
    steps_with_letters,
)
from fairhear.letters.services import (
    letter_compose,
    letter_send,
    letter_send_response,
    response_problems,
)
from fairhear.policies.selectors import policy_pack_for

_PROBLEMS = (TransitionRejected, CaseInputError, TemplateProblem)


def _case_or_404(request: HttpRequest, reference: str) -> Case:
    try:
        return case_get_for_user(user=request.user, reference=reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference that you can see.") from None


def _email_of(case: Case) -> str:
    """The address a letter e-mail goes to: the representative's, else the complainant's."""
    person = case.representative or case.complainant
    return person.email if person else ""


def _kind_or_404(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise Http404("No such kind of letter.") from None


def _step_or_404(case: Case, kind: LetterKind, sequence: int | None) -> CaseEvent | None:
    if sequence is None:
        if kind.follows:
            raise Http404("This letter confirms a step; choose the step.")
        return None
    try:
        event = case_events(case=case).get(sequence=sequence)
    except CaseEvent.DoesNotExist:
        raise Http404("No such step on this case.") from None
    if Action(event.kind) not in kind.follows:
        raise Http404("That letter does not confirm that step.")
    return event


def case_letters(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's letters: kept as sent, and the steps still to confirm in writing."""
    case = _case_or_404(request, reference)
    followed = letters_followed(case=case)
    steps = [
        {"event": e, "kind": k, "sent": followed.get(e.sequence, [])}
        for e, k in steps_with_letters(case=case)
    ]
    draft = latest_draft(case=case)
    may_draft = not case_action_refusal(case=case, user=request.user, action=Action.DRAFT_RESPONSE)
    return render(
        request,
        "letters/pages/case_letters.html",
        {
            "case": case,
            "sent": letters_sent(case=case),
            "steps": steps,
            "draft": draft,
            "may_draft": may_draft,
            "warning_kind": LetterKind.RESTRICTION_WARNING,
            "survey_kind": LetterKind.FEEDBACK_SURVEY,
            "closed": case.state == "closed",
            "seen": case_last_sequence(case=case),
        },
    )


def letter_write(
    request: HttpRequest, reference: str, kind: str, sequence: int | None = None
) -> HttpResponse:
    """Preview a letter as it will be sent, and send it (kept on the case exactly as sent)."""
    case = _case_or_404(request, reference)
    chosen = _kind_or_404(kind)
    if chosen is LetterKind.STAGE_RESPONSE:
        return redirect("letters:response", reference=case.reference)
    step = _step_or_404(case, chosen, sequence)
    form_class = WarningLetterForm if chosen is LetterKind.RESTRICTION_WARNING else SendLetterForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial={SEEN: case_last_sequence(case=case), "delivery": "post"},
        email=_email_of(case),
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        extra = {"warning.behaviour": form.cleaned_data.get("behaviour", "")}
        if "send" in request.POST:
            try:
                letter_send(
                    case=case,
                    actor=request.user,
                    kind=chosen,
                    delivery=form.cleaned_data["delivery"],
                    follows=step,
                    extra=extra,
                    seen_sequence=form.cleaned_data[SEEN],
                )
            except _PROBLEMS as exc:
                form.add_error(None, str(exc))
                if isinstance(exc, Overtaken):
                    form.data = form.data.copy()
                    form.data[SEEN] = str(exc.latest)
            else:
                messages.success(request, f"{chosen.label} letter kept on the case as sent.")
                return redirect("letters:case", reference=case.reference)
    preview, problem = None, ""
    try:
        preview = letter_compose(
            case=case, actor=request.user, kind=chosen, follows=step, extra=extra
        )
    except TemplateProblem as exc:
        problem = str(exc)
    return render(
        request,
        "letters/pages/letter_write.html",
        {
            "case": case,
            "kind": chosen,
            "step": step,
            "form": form,
            "preview": preview,
            "problem": problem,
        },
    )


def letter_preview_pdf(
    request: HttpRequest, reference: str, kind: str, sequence: int | None = None
) -> HttpResponse:
    """The letter as a PDF before it is sent (nothing is kept)."""
    from fairhear.letters.render import pdf_from_html

    case = _case_or_404(request, reference)
    chosen = _kind_or_404(kind)
    step = _step_or_404(case, chosen, sequence) if chosen is not LetterKind.STAGE_RESPONSE else None
    response = None
    if chosen is LetterKind.STAGE_RESPONSE:
        draft = latest_draft(case=case)
        if draft is None:
            raise Http404("There is no draft response to preview.")
        response = draft.data
    try:
        composed = letter_compose(
            case=case, actor=request.user, kind=chosen, follows=step, response=response
        )
    except TemplateProblem as exc:
        raise Http404(str(exc)) from None
    return _pdf_response(pdf_from_html(composed.html), f"{case.reference}-{chosen}-preview.pdf")


def letter_download(request: HttpRequest, reference: str, sequence: int) -> HttpResponse:
    """A kept letter's PDF exactly as sent, checked against its sha256."""
    case = _case_or_404(request, reference)
    try:
        event = letter_sent(case=case, sequence=sequence)
    except CaseEvent.DoesNotExist:
        raise Http404("No letter with that number on this case.") from None
    try:
        content = letter_pdf(event)
    except LetterFileProblem as exc:
        return render(
            request,
            "letters/pages/letter_problem.html",
            {"case": case, "problem": str(exc)},
            status=409,
        )
    return _pdf_response(
        content, f"{case.reference}-{event.sequence}-{event.data['letter_kind']}.pdf"
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def response_builder(request: HttpRequest, reference: str) -> HttpResponse:
    """Write the stage response as a draft; see what the pack still needs and whether it is
    approved; send it (Pivotal §9 stage 1 step 6; §13)."""
    case = _case_or_404(request, reference)
    pack = policy_pack_for(case.policy_version)
    draft = latest_draft(case=case)
    initial = DraftResponseForm.initial_from(draft.data) if draft else {}
    initial[SEEN] = case_last_sequence(case=case)
    form = DraftResponseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case_draft_response(
                case=case,
                actor=request.user,
                outcome=d["outcome"],
                reasons=d["reasons"],
                policy_references=d["policy_references"],
                outstanding_actions=form.outstanding_actions(),
                nothing_outstanding=d["nothing_outstanding"],
                remedy=d["remedy"],
                seen_sequence=d[SEEN],
            )
        except _PROBLEMS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Draft saved. Check it below before it is sent.")
            return redirect("letters:response", reference=case.reference)
    refusal = case_action_refusal(case=case, user=request.user, action=Action.DRAFT_RESPONSE)
    missing, approval, rule = "", None, pack.stage(max(case.stage, 1)).response_sign_off
    if draft is not None:
        try:
            response_problems(case=case, pack=pack, draft=draft)
        except (TransitionRejected, TemplateProblem) as exc:
            missing = str(exc)
        approval = draft_approval(case=case, draft=draft)
    return render(
        request,
        "letters/pages/response_builder.html",
        {
            "case": case,
            "form": form,
            "draft": draft,
            "refusal": refusal,
            "missing": missing,
            "approval": approval,
            "approver": pack.role_title(rule.by) if rule else "",
            "approval_cites": rule.cites if rule else "",
            "send_form": SendLetterForm(
                initial={SEEN: case_last_sequence(case=case), "delivery": "post"},
                email=_email_of(case),
            ),
            "stage_name": pack.stage(max(case.stage, 1)).name,
        },
    )


@require_POST
def response_send(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the drafted response: refused, with the reason, while a required part is missing
    or the approval the pack asks for is not recorded."""
    case = _case_or_404(request, reference)
    form = SendLetterForm(request.POST, email=_email_of(case))
    if not form.is_valid():
        messages.error(request, "Choose how the letter goes, then send it again.")
        return redirect("letters:response", reference=case.reference)
    try:
        letter_send_response(
            case=case,
            actor=request.user,
            delivery=form.cleaned_data["delivery"],
            seen_sequence=form.cleaned_data[SEEN],
        )
    except _PROBLEMS as exc:
        messages.error(request, f"The response was not sent. {exc}")
        return redirect("letters:response", reference=case.reference)
    messages.success(request, "Response sent; its letter is kept on the case as sent.")
    return redirect("letters:case", reference=case.reference)
