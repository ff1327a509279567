"""An organisation's own wording for each kind of letter, edited by its administrators with a
preview, in the placeholder language of fairhear.domain.letters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fairhear.accounts.models import Organisation
from fairhear.domain.letters import LetterKind, LetterText, TemplateProblem, check_template, fill
from fairhear.domain.policy.schema import Capability
from fairhear.letters.forms import TemplateForm
from fairhear.letters.samples import sample_fields
from fairhear.letters.selectors import letter_wording, letter_wordings
from fairhear.letters.services import letter_template_reset, letter_template_save


def _administered(request: HttpRequest) -> Organisation:
    org = request.user.organisation
    if org is None or not request.user.can(Capability.ADMINISTER):
        raise PermissionDenied("Only an administrator can change the organisation's letters.")
    return org


def _kind_or_404(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise Http404("No such kind of letter.") from None


def wording_list(request: HttpRequest) -> HttpResponse:
    """Every kind of letter, and whether the organisation uses its own wording or the default."""
    org = _administered(request)
    return render(
        request, "letters/pages/wording_list.html", {"wordings": letter_wordings(organisation=org)}
    )


def wording_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit one kind's wording; "Preview" shows it with example values, "Save" checks it and
    keeps it. An unknown placeholder is refused in words, and nothing is saved."""
    org = _administered(request)
    chosen = _kind_or_404(kind)
    current = letter_wording(organisation=org, kind=chosen)
    form = TemplateForm(
        request.POST if request.method == "POST" else None,
        initial={"subject": current.subject, "body": current.body},
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        try:
            if "save" in request.POST:
                letter_template_save(
                    organisation=org, actor=request.user, kind=chosen, subject=subject, body=body
                )
                messages.success(request, f"{chosen.label}: your wording is saved.")
                return redirect("letters:wording_list")
            check_template(chosen, subject, what="The subject")
            check_template(chosen, body)
            fields = sample_fields(chosen, org)
            preview = LetterText(fill(subject, fields), fill(body, fields))
        except TemplateProblem as exc:
            form.add_error("body", str(exc))
    return render(
        request,
        "letters/pages/wording_edit.html",
        {
            "kind": chosen,
            "form": form,
            "own": current.own,
            "fields": ["{{ " + f + " }}" for f in chosen.fields],
            "preview": preview,
        },
    )


@require_POST
def wording_reset(request: HttpRequest, kind: str) -> HttpResponse:
    """Go back to the default wording for a kind of letter."""
    org = _administered(request)
    chosen = _kind_or_404(kind)
    letter_template_reset(organisation=org, kind=chosen)
    messages.success(request, f"{chosen.label}: back to the default wording.")
    return redirect("letters:wording_list")
