"""Cases related to a case, for the case page: Pivotal §9 stage 1 step 4, "consideration should
be given to any previous reports".

Three lists, each only of cases the colleague may see (every one starts from
`selectors.case_list_visible_to`, so a case they may not see is neither listed nor counted,
a complaint about them included), newest first, at most RELATED_SHOWN each with a search for
the rest:

- the same person: complainant or representative of another case;
- the same address: another person whose postcode and first address line (domain/people.py
  `first_address_line`) are this complainant's;
- the same category in the same service area, received in the 12 months before this case was
  received or since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from fairhear.accounts.models import User
from fairhear.cases.access import access_memo_key
from fairhear.cases.models import Case
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.clock import fmt_day
from fairhear.domain.lifecycle import CaseState
from fairhear.domain.people import first_address_line
from fairhear.domain.policy.schema import PolicyPack
from fairhear.links import path_maker
from fairhear.sql_memo import memo_fetch

RELATED_SHOWN = 10
# The person's cases and those at their postcode read to find the ones at the same first line:
# a postcode holds some 15 addresses, so this many covers years of them.
_CANDIDATES = 200
# What a row reads of a case, in this order (then the list's own fields).
_ROW = ("reference", "kind", "state", "received_at")


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """One related case as the case page lists it."""

    reference: str
    kind: str
    state: str
    received: str
    note: str  # their part in it, or whose case it is
    href: str = ""  # the case's page (related_cases)


@dataclass(frozen=True, slots=True)
class RelatedList:
    """One list of related cases: its heading, the rows shown and where to search for more."""

    key: str
    title: str
    rows: list[RelatedRow]
    more: bool  # more than RELATED_SHOWN exist
    search_url: str


def _row(row: tuple, note: str = "") -> RelatedRow:
    reference, kind, state, received_at = row[:4]
    return RelatedRow(
        reference=reference,
        kind=Case.Kind(kind).label,
        state=CaseState(state).label,
        received=fmt_day(timezone.localtime(received_at).date()),
        note=note,
    )


def _search(**params: str) -> str:
    return f"{reverse('cases:search')}?{urlencode({k: v for k, v in params.items() if v})}"


def _cut(rows: list[tuple]) -> tuple[list[tuple], bool]:
    return rows[:RELATED_SHOWN], len(rows) > RELATED_SHOWN


def _people_and_address(case: Case, user: User) -> list[RelatedList | None]:
    """The person's other cases and the other cases at their address, read in one query: the
    person's, and every case whose complainant has their postcode."""
    person = case.complainant
    if person is None:
        return []
    line = first_address_line(person.address) if person.postcode_key else ""

    def build(values: Mapping[str, Any]) -> QuerySet[Case]:
        # The ids of the person's cases and of those at their postcode, as one UNION through
        # the indexes on complainant, representative and (organisation, postcode): with an OR
        # across the join instead, PostgreSQL reads every case of the organisation (1.4 s at
        # 1M cases).
        ids = Case.objects.filter(complainant_id=values["person"]).values("pk")
        ids = ids.union(Case.objects.filter(representative_id=values["person"]).values("pk"))
        if line:
            ids = ids.union(
                Case.objects.filter(
                    complainant__organisation_id=values["organisation"],
                    complainant__postcode_key=values["postcode"],
                ).values("pk")
            )
        return (
            case_list_visible_to(user=user)
            .filter(pk__in=ids)
            .exclude(pk=values["case"])
            # Only what a row and the address match read, of up to 200 cases and people.
            .values_list(
                *_ROW,
                "complainant_id",
                "representative_id",
                "complainant__name",
                "complainant__address",
            )
            .order_by("-received_at", "-pk")[:_CANDIDATES]
        )

    values = {"person": person.pk, "case": case.pk}
    if line:
        values |= {"organisation": person.organisation_id, "postcode": person.postcode_key}
    # Built once per colleague (sql_memo), as the case itself is.
    key = ("related_people", *access_memo_key(user), bool(line))
    candidates = memo_fetch(key, build, values)
    mine = [c for c in candidates if person.pk in (c[4], c[5])]
    found, more = _cut(mine)
    same_person = RelatedList(
        "person",
        "Other cases of this person",
        [_row(c, "" if c[4] == person.pk else "As representative") for c in found],
        more,
        _search(q=person.email or person.phone or person.name),
    )
    at_address = [
        c for c in candidates if c not in mine and line and first_address_line(c[7]) == line
    ]
    found, more = _cut(at_address)
    same_address = RelatedList(
        "address",
        "Other cases at this address",
        [_row(c, c[6]) for c in found],
        more,
        _search(q=person.postcode_key),
    )
    return [same_person, same_address]


def _year_before(case: Case) -> datetime:
    received = timezone.localtime(case.received_at)
    try:
        return received.replace(year=received.year - 1)
    except ValueError:  # 29 February: a year before is 28 February
        return (received - timedelta(days=1)).replace(year=received.year - 1)


def _same_category(case: Case, user: User, pack: PolicyPack) -> RelatedList | None:
    codes = list(dict.fromkeys(case.categories or []))
    if not codes:
        return None

    def build(values: Mapping[str, Any]) -> QuerySet[Case]:
        return (
            case_list_visible_to(user=user)
            .filter(
                category_rows__organisation_id=values["organisation"],
                category_rows__service_area_id=values["service_area"],
                category_rows__code=values["code"],
                category_rows__received_at__gte=values["since"],
            )
            .exclude(pk=values["case"])
            .values_list(*_ROW, "categories", "pk")
            .order_by("-category_rows__received_at", "-pk")[: RELATED_SHOWN + 1]
        )

    # One category at a time, each newest first through the index of its rows (organisation,
    # service area, code, received): a walk of the case rows themselves in time order met
    # every case of the service area until it found eleven of the category. The newest eleven
    # of all the categories together are among the newest eleven of each. Built once per
    # colleague (sql_memo).
    key = ("related_category", *access_memo_key(user))
    values = {
        "organisation": case.organisation_id,
        "service_area": case.service_area_id,
        "since": _year_before(case),
        "case": case.pk,
    }
    by_pk: dict[int, tuple] = {}
    for code in codes:
        for other in memo_fetch(key, build, {**values, "code": code}):
            by_pk[other[5]] = other
    newest = sorted(by_pk.values(), key=lambda c: (c[3], c[5]), reverse=True)
    found, more = _cut(newest[: RELATED_SHOWN + 1])
    labels = {c.code: c.label for c in pack.categories}
    where = f" in {case.service_area}" if case.service_area_id else ""
    names = " or ".join(labels.get(c, c).lower() for c in codes)
    return RelatedList(
        "category",
        f"Other cases about {names}{where} in the last 12 months",
        [_row(c, ", ".join(labels.get(x, x) for x in c[4] or [])) for c in found],
        more,
        _search(category=codes[0], service_area=str(case.service_area_id or "")),
    )


def related_cases(*, case: Case, user: User, pack: PolicyPack) -> list[RelatedList]:
    """The case page's lists of related cases this colleague may see; empty lists left out."""
    lists = [*_people_and_address(case, user), _same_category(case, user, pack)]
    case_path = path_maker("cases:detail")  # one reverse() for the page, not one a row
    return [
        replace(found, rows=[replace(row, href=case_path(row.reference)) for row in found.rows])
        for found in lists
        if found is not None and found.rows
    ]
