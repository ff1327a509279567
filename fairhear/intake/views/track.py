"""Track my case: ask for a link with the reference and e-mail address, then follow the case
by the link. The answer to a request is the same whether or not the details match."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fairhear.cases.services import CaseInputError, TransitionRejected
from fairhear.intake import tracking as t
from fairhear.intake.forms import NextStageForm, TrackForm, TrackMessageForm
from fairhear.intake.ratelimit import minutes_to_next_window, rate_allows
from fairhear.intake.selectors import organisations_taking_feedback
from fairhear.intake.views.public import _organisation


@login_not_required
def track_index(request: HttpRequest) -> HttpResponse:
    """Straight to the organisation's page when there is one; otherwise a list to choose."""
    orgs = list(organisations_taking_feedback())
    if len(orgs) == 1:
        return redirect("intake:track", slug=orgs[0].slug)
    return render(request, "intake/pages/choose.html", {"orgs": orgs, "track": True})


@login_not_required
@require_http_methods(["GET", "POST"])
def track_request(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for the link. Every valid request gets the same page and takes the same path."""
    org = _organisation(slug)
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limit = settings.FAIRHEAR_TRACK_PER_HOUR
        if rate_allows(request, "track", limit) and rate_allows(
            request, f"track-to:{email.lower()}", limit
        ):
            t.track_link_request(
                organisation=org,
                reference=form.cleaned_data["reference"],
                email=email,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("intake:track_case", args=[org.slug, token])
                ),
            )
            return render(
                request,
                "intake/pages/track_sent.html",
                {
                    "org": org,
                    "organisation": org,
                    "email": email,
                    "hours": settings.FAIRHEAR_TRACK_LINK_HOURS,
                },
            )
        status = 429
        form.add_error(
            None,
            f"Too many links have been asked for in the last hour. Try again in "
            f"{minutes_to_next_window()} minutes, or contact us.",
        )
    return render(
        request,
        "intake/pages/track_request.html",
        {"org": org, "organisation": org, "form": form},
        status=status,
    )


_ACTIONS = {"message", "next_stage", "satisfied"}


@login_not_required
@require_http_methods(["GET", "POST"])
def track_case(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The case as its complainant sees it, and what they can do from here."""
    org = _organisation(slug)
    try:
        case = t.case_from_token(token)
    except t.LinkNotValid:
        case = None
    if case is None or case.organisation_id != org.pk:
        return render(
            request,
            "intake/pages/track_bad_link.html",
            {"org": org, "organisation": org},
            status=404,
        )
    chosen = request.POST.get("action") if request.method == "POST" else None
    message = TrackMessageForm(request.POST if chosen == "message" else None)
    next_stage = NextStageForm(request.POST if chosen == "next_stage" else None)
    if chosen in _ACTIONS:
        done = _act(chosen, case, message, next_stage)
        if done:
            messages.success(request, done)
            return redirect("intake:track_case", slug=org.slug, token=token)
    return render(
        request,
        "intake/pages/track_case.html",
        {
            "org": org,
            "organisation": org,
            "view": t.track_view(case),
            "message_form": message,
            "next_stage_form": next_stage,
        },
    )


def _act(chosen: str, case: object, message: TrackMessageForm, next_stage: NextStageForm) -> str:
    """Carry out the complainant's choice; the sentence saying it was done, or "" when the
    form shows why not."""
    form = message if chosen == "message" else next_stage
    try:
        if chosen == "satisfied":
            t.track_say_satisfied(case=case)
            return "Thank you. We have recorded that you are satisfied."
        if not form.is_valid():
            return ""
        if chosen == "message":
            t.track_send_message(case=case, text=form.cleaned_data["text"])
            return "Your message has been added to your case. We will reply if it needs one."
        t.track_ask_next_stage(case=case, reasons=form.cleaned_data["reasons"])
        return "You have asked for the next stage. We will write to tell you what happens next."
    except (TransitionRejected, CaseInputError) as exc:
        form.add_error(None, str(exc))
        return ""
