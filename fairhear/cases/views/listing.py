"""What every list page (My work, the queues, search) shares: the filters, the order, one page
of rows, the pager, the queue navigation and the export of the same cases (CSV or Excel)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import lru_cache

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from fairhear.accounts.selectors import (
    colleague_choices,
    organisation_calendar,
    service_area_choices,
)
from fairhear.alerts.selectors import organisation_and_unread
from fairhear.cases.case_list import (
    SORTS,
    case_list_filtered,
    case_list_page,
    case_list_page_of_ids,
    case_list_sorted,
    case_rows,
    page_links,
)
from fairhear.cases.export import XLSX_TYPE, case_csv_lines, case_xlsx_write
from fairhear.cases.list_forms import CaseListFilterForm
from fairhear.cases.models import Case
from fairhear.cases.queues import QueueContext, queue_by_slug, queue_counts, queues_for
from fairhear.kept import Kept
from fairhear.links import urls_key
from fairhear.policies.selectors import policy_packs_by_id


def queue_context(request: HttpRequest) -> QueueContext:
    """Who is asking, today (London) and their organisation's working days. The organisation
    is read with the header's count of unread notifications, in one query whose SQL is built
    once (alerts.selectors.organisation_and_unread), as every list page shows both."""
    user = request.user
    organisation, _ = organisation_and_unread(user=user)
    return QueueContext(
        user=user, today=timezone.localdate(), cal=organisation_calendar(organisation)
    )


def queue_navigation(
    ctx: QueueContext, current: str = "", counts: dict[str, int] | None = None
) -> SafeString:
    """The navigation above each list: the colleague's queues with their counts (`counts`,
    when counted already), the current one marked."""
    counts = queue_counts(ctx=ctx) if counts is None else counts
    items = tuple((q.slug, counts[q.slug]) for q in queues_for(user=ctx.user))
    urls = urls_key()
    return _queue_nav(urls, items, current)


@lru_cache(maxsize=1024)
def _queue_nav(
    urls: tuple[object, str], items: tuple[tuple[str, int], ...], current: str
) -> SafeString:
    """The navigation's markup, made once per process for the same queues, counts and current
    queue (in the template it reversed an address and resolved some twenty names a queue, 0.6
    ms of every list page). Nothing in it is about a case: only the queues' names and sizes."""
    del urls  # part of the key: reverse() answers from this URLconf, under this prefix
    if not items:
        return mark_safe("")
    rows = []
    for slug, count in items:
        queue = queue_by_slug(slug)
        here = slug == current
        rows.append(
            (
                " fh-queue-nav__item--current" if here else "",
                reverse(queue.page) if queue.page else reverse("cases:queue", args=[slug]),
                mark_safe(' aria-current="page"') if here else "",
                queue.title,
                slug,
                count,
                "" if count == 1 else "s",
            )
        )
    return format_html(
        '<nav class="fh-queue-nav" aria-label="Queues"><ul class="fh-queue-nav__list">{}</ul>'
        "</nav>",
        format_html_join(
            "",
            '<li class="fh-queue-nav__item{}"><a class="govuk-link govuk-link--no-visited-state '
            'fh-queue-nav__link" href="{}"{}>{} <span class="fh-queue-nav__count" '
            'data-testid="queue-count-{}">{}<span class="govuk-visually-hidden"> case{}</span>'
            "</span></a></li>",
            rows,
        ),
    )


# The filter forms made, by everything one is made from (filter_form); each is checked as it is
# made and only read afterwards. A few hundred is every combination of filters in use at once.
_FORMS: Kept[CaseListFilterForm] = Kept(256)


def filter_form(
    request: HttpRequest, *, with_text: bool = False, choices: bool = True
) -> CaseListFilterForm:
    """The filters from the query string, with the organisation's own choices (`choices=False`:
    only the order, for a page that shows no filters), checked. Made once per process for the
    same query string (but the page number, which no filter reads) and the same choices: the
    form's thirteen fields, copied for every form, and their two hundred colleagues and other
    choices took 1.5 ms of every list page to make and check. The form holds nothing of the
    colleague asking; a renamed colleague or a new service area is a new key."""
    data = request.GET.copy()
    data.pop("page", None)
    asked = tuple(sorted((name, tuple(values)) for name, values in data.lists()))
    if not choices:
        key: tuple = ("order only", asked)
        options: dict = {"pack": None, "service_areas": (), "colleagues": ()}
    else:
        org = request.user.organisation
        version = org.active_policy_version_id
        pack = policy_packs_by_id([version]).get(version) if version is not None else None
        options = {
            "pack": pack,
            "service_areas": tuple(service_area_choices(organisation=org)),
            # Names only: two hundred whole users cost 2.5 ms a page.
            "colleagues": tuple(colleague_choices(organisation=org)),
            "with_text": with_text,
        }
        key = (
            asked,
            with_text,
            version,
            pack is None,
            options["service_areas"],
            options["colleagues"],
        )
    return _FORMS.get(key, lambda: _checked(CaseListFilterForm(data, **options)))


def _checked(form: CaseListFilterForm) -> CaseListFilterForm:
    form.is_valid()
    return form


# The filter panels made, by everything one is made from (_filters_key); a few hundred is
# every combination of filters in use at once.
_PANELS: Kept[SafeString] = Kept(256)


def filters_panel(form: CaseListFilterForm, clear_href: str = "") -> SafeString:
    """The filters above a list (cases/partials/_filters.html), made once per process for the
    same filters chosen and the same choices offered. The panel holds no case and nothing of
    the colleague asking, only the organisation's service areas, colleagues and policy words,
    which are part of the key: a renamed colleague is in the next page's panel. Its ten GOV.UK
    fields took 4 ms of every queue and search page to render."""
    key = _filters_key(form, clear_href)
    return _PANELS.get(
        key,
        lambda: mark_safe(  # noqa: S308 - rendered by our own template, escaped there
            render_to_string(
                "cases/partials/_filters.html", {"form": form, "clear_href": clear_href}
            )
        ),
    )


def _filters_key(form: CaseListFilterForm, clear_href: str) -> tuple:
    made = getattr(form, "_panel_key", None)
    if made is None:  # once per form: the same form serves many pages (filter_form)
        choices = tuple(
            (name, tuple((str(v), str(label)) for v, label in getattr(field, "choices", ())))
            for name, field in form.fields.items()
        )
        data = tuple(sorted((name, tuple(values)) for name, values in form.data.lists()))
        made = form._panel_key = (choices, data)
    return (*made, clear_href)


def _query(request: HttpRequest, **changes: str | None) -> str:
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (again: the other way) and its
    aria-sort state."""
    links = {}
    for key in SORTS:
        if current == key:
            state, target = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, target = "descending", key
        else:
            state, target = "none", key
        links[key] = {"href": _query(request, sort=target, page=None), "aria_sort": state}
    return links


def list_context(
    request: HttpRequest, cases: QuerySet[Case], form: CaseListFilterForm, ctx: QueueContext
) -> dict:
    """The filtered, sorted page of cases with everything the list template shows."""
    filtered = case_list_sorted(case_list_filtered(cases, form.filters()), form.order)
    page = case_list_page(filtered, request.GET.get("page"))
    return page_context(request, page, form, ctx)


def opening_list_context(
    request: HttpRequest,
    form: CaseListFilterForm,
    ctx: QueueContext,
    *,
    cases: Callable[[], QuerySet[Case]],
    count: int,
    ids_of: Callable[[int, int], list[int]],
) -> dict:
    """A list (My work, a queue) whose size is counted already (`count`) and whose page's ids
    `ids_of` reads by remembered SQL (queues.my_work_ids, queues.queue_ids), as it opens; with
    a filter chosen, `cases()` filtered, counted and cut as any list is (list_context)."""
    if form.active:
        return list_context(request, cases(), form, ctx)
    page = case_list_page_of_ids(count=count, ids_of=ids_of, number=request.GET.get("page"))
    return page_context(request, page, form, ctx)


def page_context(
    request: HttpRequest, page: Page, form: CaseListFilterForm, ctx: QueueContext
) -> dict:
    """A page of cases already cut (list_context, or the search's CappedPaginator) with
    everything the list template shows; `more_than` is the cap, as words, when the list holds
    more cases than it counted."""
    rows = case_rows(list(page.object_list), today=ctx.today, cal=ctx.cal)
    more = getattr(page.paginator, "more", False)
    clear_href = _query(
        request, **{name: None for name in form.fields if name not in {"q", "sort"}}, page=None
    )
    return {
        "form": form,
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "more_than": f"{page.paginator.cap:,}" if more else "",
        "pages": page_links(page, lambda n: _query(request, page=str(n))),
        "previous_href": _query(request, page=str(page.number - 1)) if page.has_previous() else "",
        "next_href": _query(request, page=str(page.number + 1)) if page.has_next() else "",
        "sort_links": _sort_links(request, form.order),
        "export_href": _query(request, export="csv", page=None),
        "export_xlsx_href": _query(request, export="xlsx", page=None),
        "clear_href": clear_href,
        "filters_panel": filters_panel(form, clear_href),
        "today": ctx.today,
    }


EXPORTS = ("csv", "xlsx")


def wants_export(request: HttpRequest) -> str | None:
    """The format asked for (?export=csv or ?export=xlsx), or None for the page itself."""
    wanted = request.GET.get("export")
    return wanted if wanted in EXPORTS else None


def export_response(
    cases: QuerySet[Case], form: CaseListFilterForm, *, name: str, today: object, fmt: str
) -> HttpResponse:
    """The filtered list as CSV or Excel, in the list's order. The CSV is streamed as it is
    read; the workbook is written to a temporary file (openpyxl's write-only mode, flat memory)
    and then streamed from it."""
    filtered = case_list_sorted(case_list_filtered(cases, form.filters()), form.order)
    filename = f"fairhear-{name}-{today}.{fmt}"
    if fmt == "xlsx":
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        case_xlsx_write(filtered, out)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response = StreamingHttpResponse(case_csv_lines(filtered), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
