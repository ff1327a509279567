"""Each work queue as a list: filtered, sorted, a page at a time, and exported as CSV or Excel."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fairhear.cases.queues import queue_cases, queue_counts, queue_get, queue_ids
from fairhear.cases.views.listing import (
    export_response,
    filter_form,
    opening_list_context,
    queue_context,
    queue_navigation,
    wants_export,
)


def queue_list(request: HttpRequest, slug: str) -> HttpResponse:
    """One queue; a queue this colleague does not have is not found."""
    if not request.user.organisation_id:
        raise Http404("No queues without an organisation.")
    try:
        queue = queue_get(user=request.user, slug=slug)
    except KeyError:
        raise Http404(f"No queue called {slug}.") from None
    ctx = queue_context(request)
    form = filter_form(request)
    if fmt := wants_export(request):
        cases = queue_cases(queue=queue, ctx=ctx)
        return export_response(cases, form, name=queue.slug, today=ctx.today, fmt=fmt)
    counts = queue_counts(ctx=ctx)
    # As it opens, its size is its count in the navigation.
    context = opening_list_context(
        request,
        form,
        ctx,
        cases=lambda: queue_cases(queue=queue, ctx=ctx),
        count=counts[queue.slug],
        ids_of=queue_ids(queue=queue, ctx=ctx, order=form.order),
    )
    context.update(
        {"queue": queue, "queues": queue_navigation(ctx, current=queue.slug, counts=counts)}
    )
    return render(request, "cases/pages/queue.html", context)
