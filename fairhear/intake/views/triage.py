"""Triage: what came in by the public form or e-mail, waiting for a colleague to decide what it
is and whether it is accepted (Pivotal §4.0, §5.2). Each case opens on its own page, where the
actions are (change what it is, accept, refuse with the policy's reasons)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.cases.views.listing import queue_context, queue_navigation
from fairhear.domain.policy.schema import Capability
from fairhear.intake.selectors import cases_to_triage

# Enough for a morning's post; the rest are counted and the oldest come first.
_SHOWN = 50


def triage_list(request: HttpRequest) -> HttpResponse:
    """The oldest untriaged submissions first, with how many there are."""
    if not request.user.can(Capability.ALLOCATE):
        raise Http404("Triage is for colleagues who accept or allocate cases.")
    waiting = cases_to_triage(user=request.user)
    return render(
        request,
        "intake/pages/triage.html",
        {
            "cases": list(waiting[:_SHOWN]),
            "count": waiting.count(),
            "shown": _SHOWN,
            "queues": queue_navigation(queue_context(request), current="to-triage"),
        },
    )
