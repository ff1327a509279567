"""Search at /cases/search/?q=: a reference goes straight to its case; anything else lists the
matching cases the colleague may see, with the same filters, pages and exports as the queues."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fairhear.cases.case_list import case_list_filtered
from fairhear.cases.models import Case
from fairhear.cases.search import case_search, case_search_results, reference_in
from fairhear.cases.selectors import case_get_for_user, case_list_visible_to
from fairhear.cases.views.listing import (
    export_response,
    filter_form,
    filters_panel,
    page_context,
    queue_context,
    wants_export,
)


def case_search_page(request: HttpRequest) -> HttpResponse:
    """Search and filter every case the colleague may see (open or closed)."""
    user = request.user
    if not user.organisation_id:
        raise Http404("No cases without an organisation.")
    form = filter_form(request, with_text=True)
    query = (form.filters().get("q") or "").strip()
    reference = reference_in(query) if query else None
    if reference and not wants_export(request):
        try:
            case = case_get_for_user(user=user, reference=reference)
        except Case.DoesNotExist:
            pass  # not one this colleague may see: searched as words, which find nothing
        else:
            return redirect("cases:detail", reference=case.reference)
    ctx = queue_context(request)
    visible = case_list_visible_to(user=user)
    if fmt := wants_export(request):
        # Every match, streamed, however many (the page counts and shows at most 1,000).
        cases = case_search(visible, query, organisation_id=user.organisation_id)
        return export_response(cases, form, name="search", today=ctx.today, fmt=fmt)
    context = {"form": form, "query": query, "searched": bool(query or form.active)}
    if not context["searched"]:
        context["filters_panel"] = filters_panel(form)
    else:
        filtered = case_list_filtered(visible, form.filters())
        page = case_search_results(
            filtered,
            query,
            order=form.order,
            number=request.GET.get("page"),
            organisation_id=user.organisation_id,
        )
        context.update(page_context(request, page, form, ctx))
    return render(request, "cases/pages/search.html", context)
