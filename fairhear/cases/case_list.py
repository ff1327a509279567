"""Lists of cases (My work, the queues, search): filters, sorting, pages and the rows shown.

A list always starts from cases the colleague may see (`selectors.case_list_visible_to`); this
module only narrows, orders and cuts it. The queries per page are constant in the number of
cases: a count, the page's ids, those rows with their complainant and handler, and the policy
versions of those rows, each read once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from fairhear.cases.clock_presenters import DueTag, due_tag
from fairhear.cases.models import Case
from fairhear.cases.presenters import stage_label, state_label
from fairhear.domain.calendar import WorkingDayCalendar
from fairhear.domain.clock import fmt_day
from fairhear.kept import Kept
from fairhear.links import path_maker
from fairhear.policies.selectors import policy_packs_by_id
from fairhear.sql_memo import memo_fetch

PAGE_SIZE = 25
STOPPED = "Stopped: its policy version failed its integrity check"

# Flags a list can be narrowed to; the field on Case and the words for it.
FLAGS: dict[str, str] = {
    "safeguarding": "Safeguarding",
    "health_and_safety": "Health and safety",
    "anti_social_behaviour": "Anti-social behaviour",
    "anonymous": "Anonymous",
    "restricted_access": "Restricted access",
}

# Sort keys: the column, and whether it is the deadline (nothing due always sorts last).
SORTS: dict[str, str] = {
    "due": "next_due",
    "received": "received_at",
    "reference": "reference",
}
DEFAULT_SORT = "due"


# Filters that compare one field with the chosen value.
_EQUALS = {
    "status": "state",
    "kind": "kind",
    "outcome": "closure_reason",
    "due_from": "next_due__gte",
    "due_to": "next_due__lte",
}


def case_list_filtered(cases: QuerySet[Case], filters: dict[str, Any]) -> QuerySet[Case]:
    """Narrow a list by the cleaned values of a CaseListFilterForm (empty values ignored)."""
    for name, lookup in _EQUALS.items():
        if filters.get(name):
            cases = cases.filter(**{lookup: filters[name]})
    if filters.get("stage") not in (None, ""):
        cases = cases.filter(stage=int(filters["stage"]))
    if filters.get("service_area"):
        cases = cases.filter(service_area_id=int(filters["service_area"]))
    if filters.get("category"):
        cases = cases.filter(category_q(filters["category"]))
    if filters.get("handler") == "none":
        cases = cases.filter(handler__isnull=True)
    elif filters.get("handler"):
        cases = cases.filter(handler_id=int(filters["handler"]))
    for flag in filters.get("flags") or ():
        if flag in FLAGS:
            cases = cases.filter(**{flag: True})
    return cases


def category_q(code: str) -> Q:
    """Cases whose categories (a JSON list of codes) include `code`."""
    if connection.vendor == "postgresql":
        return Q(categories__contains=[code])
    # SQLite has no JSON containment: match the quoted code in the stored list's text.
    return Q(categories__icontains=f'"{code}"')


def case_list_sorted(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    """Order a list by a key of SORTS, `-key` for descending; nothing due sorts last either
    way (SQLite and PostgreSQL put empty dates at opposite ends by default)."""
    descending = sort.startswith("-")
    field = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    column = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    tie = F("received_at").asc()
    if field == "next_due":
        return cases.order_by(column, tie, "pk")
    return cases.order_by(column, F("next_due").asc(nulls_last=True), "pk")


# What a row shows (case_rows and the list templates), and no more: 25 whole cases with their
# complainant and handler took 2.0 ms to make, these 1.4 ms.
ROW_FIELDS = (
    "reference",
    "kind",
    "stage",
    "state",
    "anonymous",
    "received_at",
    "next_due",
    "next_due_label",
    "restricted_access",
    "policy_version_id",
    "complainant__name",
    "handler__first_name",
    "handler__last_name",
    "handler__username",
)


class IdsFirstPaginator(Paginator):
    """Pages whose rows are read in two steps: the page's ids, by the list's own query (its
    conditions and order, on the cases alone, cut to the page), and then those cases by id
    with their complainant and handler.

    Read in one query, the join came before the cut: for the lead's My work at 100,000 cases
    PostgreSQL joined all 1,612 matching cases to their complainants and sorted the wide rows
    to keep 25 (10 ms); the ids alone take 2.0 ms and the 25 rows 0.5 ms (docs/performance.md,
    "Open cases counted from one index"). `count` is the list's size when it is counted
    already, and `ids_of(bottom, top)` reads the ids when the list's SQL is remembered
    (sql_memo); `object_list` is then not read."""

    def __init__(
        self,
        object_list: QuerySet[Case] | tuple,
        per_page: int,
        *,
        count: int | None = None,
        ids_of: Callable[[int, int], list[int]] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count
        self._ids_of = ids_of

    @cached_property
    def count(self) -> int:
        """The list's size: as counted already with other figures (My work), or counted now."""
        return self._known_count if self._known_count is not None else super().count

    def page(self, number: object) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self._ids_of is not None:
            ids = self._ids_of(bottom, top)
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        by_id = {case.pk: case for case in cases_of_rows(ids)}
        # A case cannot leave the list between the two reads (cases are never deleted), but
        # if one ever did, the page is one row short rather than an error.
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


def cases_of_rows(ids: list[int]) -> list[Case]:
    """The cases with these ids, with what their rows show (ROW_FIELDS), in no order: by SQL
    built once per number of ids (sql_memo), as every list page reads its 25 rows this way
    and building the join took 1 ms of it."""

    def build(values: Mapping[str, object]) -> QuerySet[Case]:
        return (
            Case.objects.select_related("complainant", "handler")
            .only(*ROW_FIELDS)
            .filter(pk__in=[values[f"id{n}"] for n in range(len(ids))])
            .order_by()
        )

    if not ids:
        return []
    values = {f"id{n}": pk for n, pk in enumerate(ids)}
    return memo_fetch(("cases_of_rows", len(ids)), build, values)


def case_list_page(cases: QuerySet[Case], number: object, size: int = PAGE_SIZE) -> Page:
    """One page of a list (the last page for a number past the end, the first for nonsense)."""
    return IdsFirstPaginator(cases, size).get_page(number)


def case_list_page_of_ids(
    *, count: int, ids_of: Callable[[int, int], list[int]], number: object, size: int = PAGE_SIZE
) -> Page:
    """One page of a list counted already (`count`) whose ids `ids_of(bottom, top)` reads."""
    return IdsFirstPaginator((), size, count=count, ids_of=ids_of).get_page(number)


class CappedPaginator(IdsFirstPaginator):
    """Pages over the first `cap` rows of a list that may hold many more (`counted`: its size
    counted up to `cap + 1`). `more` says it holds more than `cap`; its pages then stop at the
    cap, and the number of its true last page is not known."""

    def __init__(
        self, object_list: QuerySet[Case], per_page: int, *, counted: int, cap: int
    ) -> None:
        super().__init__(object_list, per_page, count=min(counted, cap))
        self.cap = cap
        self.more = counted > cap


def case_list_capped_page(
    cases: QuerySet[Case], number: object, *, counted: int, cap: int, size: int = PAGE_SIZE
) -> Page:
    """One page of the first `cap` rows of a list counted up to `cap + 1` (case_list_page)."""
    paginator = CappedPaginator(cases, size, counted=counted, cap=cap)
    return paginator.get_page(number)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as a list shows it, each cell's words worked out here rather than in the template
    (its filters and `{% url %}` for 25 rows took 3.4 ms of every list page; 2.1 ms this way).
    The row's markup (`html`) is made from these words alone, never from `case`."""

    case: Case
    stage: str
    state: str
    tag: DueTag
    href: str = ""
    kind: str = ""
    sender: str = ""
    handler: str = ""
    received: str = ""
    due: str = ""
    reference: str = ""
    due_label: str = ""

    @property
    def html(self) -> SafeString:
        """The row as the table shows it (cases/partials/_case_row.html), made once per process
        for the same words: a list's rows are mostly the ones shown a moment before, and their
        25 rows' template took 2 to 3 ms of every list page to render."""
        key = tuple(getattr(self, name) for name in _ROW_WORDS)
        return _ROWS.get(
            key,
            lambda: mark_safe(  # noqa: S308 - rendered by our own template, escaped there
                render_to_string("cases/partials/_case_row.html", {"row": self})
            ),
        )


# Everything a row's markup is made from: every field but the case itself.
_ROW_WORDS = tuple(name for name in CaseRow.__dataclass_fields__ if name != "case")
# The rows made, by their words; a few thousand is every row a busy process shows in a day.
_ROWS: Kept[SafeString] = Kept(4096)


# Each kind's words (Case.get_kind_display() made a dict of every choice for each row).
_KIND_WORDS = {value: str(label) for value, label in Case.Kind.choices}


def case_rows(cases: list[Case], *, today: date, cal: WorkingDayCalendar) -> list[CaseRow]:
    """The rows of a page: each case's stage in its own pack's words, state and due tag.

    The rows' policy versions are read in one query and each checked once, however many rows
    share them (a version failing its check stops only its own rows)."""
    packs = policy_packs_by_id(c.policy_version_id for c in cases)
    case_path = path_maker("cases:detail")  # one reverse() for the page, not one a row
    rows = []
    for case in cases:
        pack = packs.get(case.policy_version_id)
        handler = case.handler
        rows.append(
            CaseRow(
                case=case,
                stage=stage_label(case, pack) if pack is not None else STOPPED,
                state=state_label(case),
                tag=due_tag(case.next_due, today=today, cal=cal),
                href=case_path(case.reference),
                kind=_KIND_WORDS.get(case.kind, case.kind),
                sender="Anonymous"
                if case.anonymous
                else (case.complainant.name if case.complainant else "") or "Not given",
                handler=str(handler) if handler else "",
                received=_day_month_year(case.received_at),
                due=fmt_day(case.next_due) if case.next_due else "",
                reference=case.reference,
                due_label=case.next_due_label,
            )
        )
    return rows


def _day_month_year(moment: datetime | None) -> str:
    """'6 Mar 2026', the day in London (the template's `date:"j M Y"`, without its cost)."""
    if moment is None:
        return ""
    day = localtime(moment)
    return f"{day.day} {day:%b %Y}"


def page_links(page: Page, href: Callable[[int], str]) -> list[dict]:
    """The GOV.UK pagination items: first, last, current and its neighbours, with ellipses
    between; `href(number)` gives each page's address. A list that holds more than its pages
    show (CappedPaginator) has no last page to offer: only the pages around the current one."""
    last = page.paginator.num_pages
    around = {1, page.number - 1, page.number, page.number + 1}
    if not getattr(page.paginator, "more", False):
        around.add(last)
    wanted = sorted(n for n in around if 1 <= n <= last)
    items: list[dict] = []
    previous = 0
    for number in wanted:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    return items
