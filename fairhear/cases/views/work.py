"""My work: what this colleague should act on next, soonest due first; and the log check."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.cases.queues import my_work_and_queue_counts, my_work_ids
from fairhear.cases.selectors import integrity_report_for, my_work_for
from fairhear.cases.views.listing import (
    filter_form,
    opening_list_context,
    queue_context,
    queue_navigation,
)


def my_work(request: HttpRequest) -> HttpResponse:
    """The landing page: the next thing to do on top, then the colleague's open cases (soonest
    due first, nothing due last, a page at a time) and their queues with counts."""
    user = request.user
    # The organisation first, read with the header's unread count (queue_context).
    ctx = queue_context(request) if user.organisation_id else None
    context: dict = {"integrity": integrity_report_for(user=user), "rows": []}
    if ctx is not None:
        # The total, overdue and due soon, and the queues' counts, in one query; the total is
        # also the list's size.
        counts, queue_sizes = my_work_and_queue_counts(ctx=ctx)
        form = filter_form(request, choices=False)
        context.update(
            opening_list_context(
                request,
                form,
                ctx,
                cases=lambda: my_work_for(user=user),
                count=counts["total"],
                ids_of=my_work_ids(ctx=ctx, order=form.order),
            )
        )
        context["counts"] = counts
        context["queues"] = queue_navigation(ctx, counts=queue_sizes)
        first = context["rows"][0] if context["rows"] else None
        if first is not None and context["page"].number == 1 and context["form"].order == "due":
            context["next_row"] = first
    return render(request, "cases/pages/my_work.html", context)


def log_check(request: HttpRequest) -> HttpResponse:
    """For the lead officer: what the latest check of the case log found (docs/adr/ADR-005)."""
    integrity = integrity_report_for(user=request.user)
    if integrity is None:
        raise Http404("Only the lead officer can see the log check.")
    return render(request, "cases/pages/log_check.html", {"integrity": integrity})
