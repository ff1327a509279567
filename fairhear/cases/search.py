"""Finding cases by what a colleague remembers: a reference, a name, an e-mail address, a phone
number, a postcode, or words from the complaint and its notes.

On PostgreSQL this is full-text search over GIN indexes (migrations cases/0014, 0024 and 0025;
docs/adr/ADR-007): the complaint's own text (kept on the row with the case's organisation),
the people on it (complainant and representative), and the text of its notes and recorded
communications. PostgreSQL keeps a generated column and an index on an expression up to date
itself in the same statement as every write, so no service has to remember to refresh them.
On SQLite (the embedded demo) the same fields are matched with a case-insensitive `contains`.

The expressions below must stay exactly as the migration creates them, or PostgreSQL stops
using the indexes (test_search.py checks the query plan).

A word as common as "boiler" matches tens of thousands of cases at a million, so the search page
never reads them all (docs/performance.md):

- The page first reads the ids of at most `cap + 1` matches (`case_search_count` counts them):
  each of the four ways to match (the complaint's words, a note's, the complainant's
  details, the representative's) is read through its own index up to `cap + 1` visible
  cases, and the distinct ids among those are kept. When no way reaches `cap + 1` these are
  every match and the count is exact; when one does, there are more than `cap` (and when
  the complaint's words alone do, the other three are not read).
- Few matches: the page sorts those ids' cases.
- Many: `case_search_in_order` tests each case against the words where it stands, so that a
  page in the list's order walks the cases through the index that keeps that order
  (case_org_due) and stops when it is full. That is quick when matches are common and slow
  when they are rare (it would walk every case to find none), hence the count first.
"""

from __future__ import annotations

import re

from django.core.paginator import Page
from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.db.models.lookups import IContains

from fairhear.cases.case_list import case_list_capped_page, case_list_sorted
from fairhear.cases.models import Case, CaseEvent, Person
from fairhear.domain.lifecycle import Action
from fairhear.domain.references import REFERENCE_PATTERN, normalise_reference

# Events whose text is searched, and the JSON key holding it.
TEXT_EVENTS = {Action.ADD_NOTE: "text", Action.RECORD_COMMUNICATION: "summary"}

# The complaint's words as PostgreSQL keeps them on the row (migration cases/0024) with one more
# lexeme, "organisation N", exactly as the index case_search_words holds them (cases/0025). The
# parser never makes a word with a space in it, so no query typed matches that lexeme; a
# colleague's search adds it (`_words_query`), and the GIN index then keeps only their
# organisation's matches itself instead of ANDing every organisation's with another index.
CASE_WORDS = (
    "(cases_case.search_document || "
    "array_to_tsvector(ARRAY['organisation ' || cases_case.organisation_id::text]))"
)
EVENT_DOCUMENT = (
    "to_tsvector('english'::regconfig, "
    "coalesce(data ->> 'text', '') || ' ' || coalesce(data ->> 'summary', ''))"
)
EVENT_KINDS_SQL = "kind IN ('note_added', 'communication_recorded')"
POSTCODE_SQL = "[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}"
PERSON_DOCUMENT = (
    "to_tsvector('simple'::regconfig, name || ' ' || email || ' ' || phone || ' ' || "
    "regexp_replace(phone, '[^0-9]', '', 'g') || ' ' || address || ' ' || "
    f"coalesce(replace(substring(upper(address) from '{POSTCODE_SQL}'), ' ', ''), ''))"
)

# The search page counts at most this many matches ("more than 1,000 cases match").
SEARCH_CAP = 1000
# The orders an index keeps, so that a page of many matches can walk the cases in that order:
# soonest due first (case_org_due: organisation, next deadline, received, id) and by
# reference (its unique index). Not the others: a walk PostgreSQL cannot take in order would
# test every case and then sort them.
IN_ORDER_SORTS = frozenset({"due", "reference"})

_PHONE = re.compile(r"\+?[\d ()-]{6,}")
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}")


def reference_in(query: str) -> str | None:
    """The case reference a query is, in its stored form (spaces or missing dashes allowed:
    `c 2026 7kx m2q`), or None when it is not one."""
    text = normalise_reference(query)
    if REFERENCE_PATTERN.fullmatch(text):
        return text
    squashed = re.sub(r"[\s-]", "", text)
    if re.fullmatch(r"[A-Z]\d{4}[0-9A-Z]{6}", squashed):
        candidate = f"{squashed[0]}-{squashed[1:5]}-{squashed[5:8]}-{squashed[8:]}"
        if REFERENCE_PATTERN.fullmatch(candidate):
            return candidate
    return None


def person_terms(query: str) -> list[str]:
    """What to look for among the people's details: the words as typed, and the digits of a
    phone number or a postcode without its space, as the index also holds them."""
    terms = [query]
    if _PHONE.fullmatch(query.strip()):
        terms.append(re.sub(r"\D", "", query))
    upper = query.strip().upper()
    if _POSTCODE.fullmatch(upper):
        terms.append(upper.replace(" ", ""))
    return terms


def case_search(
    cases: QuerySet[Case], query: str, *, organisation_id: int | None = None
) -> QuerySet[Case]:
    """The cases of `cases` (already those the colleague may see) that match the query. Given
    the colleague's `organisation_id` (all of `cases` are its), PostgreSQL reads only that
    organisation's matches of the complaint's words from their index."""
    query = query.strip()
    if not query:
        return cases
    if connection.vendor == "postgresql":
        return cases.filter(pk__in=_postgresql_matches(query, organisation_id))
    return cases.filter(_sqlite_matches(query))


def case_search_results(
    cases: QuerySet[Case],
    query: str,
    *,
    order: str,
    number: object,
    cap: int | None = None,
    organisation_id: int | None = None,
) -> Page:
    """One page of the cases of `cases` that match the query, in the list's `order`: counted
    up to `cap + 1` (SEARCH_CAP unless given), with pages over the first `cap` of them when
    there are more. `organisation_id` as for `case_search`."""
    cap = SEARCH_CAP if cap is None else cap
    found, counted = _counted(cases, query, cap=cap, organisation_id=organisation_id)
    if counted > cap and order in IN_ORDER_SORTS:
        matches = case_search_in_order(cases, query)
    elif found is not None and counted <= cap:
        # Every match is in hand: sort those few, rather than let a LIMIT tempt PostgreSQL to
        # walk the list's order looking for them.
        matches = cases.filter(pk__in=found)
    else:
        matches = case_search(cases, query, organisation_id=organisation_id)
    return case_list_capped_page(case_list_sorted(matches, order), number, counted=counted, cap=cap)


def case_search_count(
    cases: QuerySet[Case], query: str, *, cap: int, organisation_id: int | None = None
) -> int:
    """How many cases of `cases` match the query, counting at most `cap + 1`: the exact number
    up to `cap`, and `cap + 1` for any number above it."""
    return _counted(cases, query, cap=cap, organisation_id=organisation_id)[1]


def _counted(
    cases: QuerySet[Case], query: str, *, cap: int, organisation_id: int | None
) -> tuple[list[int] | None, int]:
    """The ids found by `_first_matches` (None where it finds none to give) and the number
    of matches counted up to `cap + 1`."""
    found = _first_matches(cases, query, cap=cap, organisation_id=organisation_id)
    if found is not None:
        return found, len(found)
    return None, case_search(cases, query, organisation_id=organisation_id)[: cap + 1].count()


def _first_matches(
    cases: QuerySet[Case], query: str, *, cap: int, organisation_id: int | None
) -> list[int] | None:
    """On PostgreSQL, the ids of at most `cap + 1` matching cases, in no order: each way to
    match read through its own index up to `cap + 1` cases, and the distinct ones among those
    (every match when there are at most `cap`). The complaint's words first, alone: when they
    already match more than `cap`, the people and notes are not read. None for no words, or
    on SQLite."""
    query = query.strip()
    if not query or connection.vendor != "postgresql":
        return None
    first, *rest = _capped_ways(cases, query, cap=cap, organisation_id=organisation_id)
    found = set(first)
    if len(found) <= cap:
        found.update(rest[0].union(*rest[1:]))
    return list(found)[: cap + 1]


def _capped_ways(
    cases: QuerySet[Case], query: str, *, cap: int, organisation_id: int | None
) -> list[QuerySet]:
    """The ids of at most `cap + 1` cases of `cases` matching each way (PostgreSQL only)."""
    return [
        cases.filter(way).values_list("pk", flat=True)[: cap + 1]
        for way in _postgresql_ways(query, organisation_id)
    ]


def case_search_in_order(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """The same cases as `case_search`, tested one by one where they stand (no index lookup
    first): for reading the first of many matches in an order an index keeps."""
    query = query.strip()
    if not query or connection.vendor != "postgresql":
        return case_search(cases, query)
    events = CaseEvent.objects.filter(case_id=OuterRef("pk"), kind__in=list(TEXT_EVENTS)).filter(
        RawSQL(  # noqa: S611 (constants and parameters only)
            f"{EVENT_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, %s)",
            [query],
            output_field=BooleanField(),
        )
    )
    # The complaint's words as PostgreSQL keeps them on the row (migration cases/0024: the
    # tsvector the index case_search_words holds), not computed again for each case walked.
    kept = RawSQL(
        "cases_case.search_document @@ websearch_to_tsquery('english'::regconfig, %s)",
        [query],
        output_field=BooleanField(),
    )
    match = Q(kept) | Q(Exists(events))
    for person in ("complainant_id", "representative_id"):
        match |= Q(Exists(Person.objects.filter(pk=OuterRef(person)).filter(_person_words(query))))
    return cases.filter(match)


def _words_query(query: str, organisation_id: int | None) -> tuple[str, list]:
    """The tsquery of the words typed, as SQL and its parameters: with the colleague's
    organisation's lexeme ANDed in when it is given. Words that are all stop words ("the")
    make an empty query, which matches nothing, and stays empty (NULL) rather than become
    the organisation's lexeme alone, which would match every case."""
    words = "websearch_to_tsquery('english'::regconfig, %s)"
    if organisation_id is None:
        return words, [query]
    sql = f"(CASE WHEN numnode({words}) = 0 THEN NULL ELSE {words} && %s::tsquery END)"
    return sql, [query, query, f"'organisation {int(organisation_id)}'"]


def _case_words_sql(query: str, organisation_id: int | None) -> tuple[str, list]:
    """The ids of the cases whose complaint's words match, through the index
    case_search_words, as SQL and its parameters. As a subquery of its own (`pk__in`) rather
    than a condition beside the colleague's access rule, PostgreSQL reads it from that index
    alone: beside the rule's `organisation_id = N` it would also read the organisation's
    500,000 cases from another index to AND with it (10 ms at a million cases), not knowing
    that the organisation's lexeme already keeps only its matches."""
    words, params = _words_query(query, organisation_id)
    return f"SELECT id FROM cases_case WHERE {CASE_WORDS} @@ {words}", params  # noqa: S608


def _people_sql(terms: list[str]) -> str:
    """A person's details match any of the terms (one parameter each), on cases_person alone."""
    return " OR ".join(
        f"{PERSON_DOCUMENT} @@ plainto_tsquery('simple'::regconfig, %s)" for _ in terms
    )


def _person_words(query: str) -> RawSQL:
    """A person's details match (a condition on cases_person alone)."""
    terms = person_terms(query)
    return RawSQL(f"({_people_sql(terms)})", terms, output_field=BooleanField())  # noqa: S611


def _postgresql_ways(query: str, organisation_id: int | None) -> list[Q]:
    """The four ways a case matches, each answered from its own GIN index."""
    events = (
        f"SELECT case_id FROM cases_caseevent WHERE {EVENT_KINDS_SQL} AND "  # noqa: S608
        f"{EVENT_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, %s)"
    )
    people = Person.objects.filter(_person_words(query)).values("pk")
    return [
        Q(pk__in=RawSQL(*_case_words_sql(query, organisation_id))),  # noqa: S611
        Q(pk__in=RawSQL(events, [query])),  # noqa: S611 (constants and parameters only)
        Q(complainant_id__in=people),
        Q(representative_id__in=people),
    ]


def _postgresql_matches(query: str, organisation_id: int | None) -> RawSQL:
    """The ids of matching cases: a UNION of four index lookups (no scan of every case)."""
    terms = person_terms(query)
    people = _people_sql(terms)
    words, params = _case_words_sql(query, organisation_id)
    # Only this module's constants are put into the text; every value typed is a parameter.
    sql = (
        f"{words} "  # noqa: S608 (constants only)
        f"UNION SELECT case_id FROM cases_caseevent WHERE {EVENT_KINDS_SQL} AND "
        f"{EVENT_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, %s) "
        "UNION SELECT id FROM cases_case WHERE complainant_id IN "
        f"(SELECT id FROM cases_person WHERE {people}) "
        "UNION SELECT id FROM cases_case WHERE representative_id IN "
        f"(SELECT id FROM cases_person WHERE {people})"
    )
    return RawSQL(sql, [*params, query, *terms, *terms])  # noqa: S611 (parameters only)


def _sqlite_matches(query: str) -> Q:
    match = Q(summary__icontains=query) | Q(desired_outcome__icontains=query)
    squashed = person_terms(query)[1:]  # phone digits, a postcode without its space
    for person in ("complainant", "representative"):
        for field in ("name", "email", "phone", "address"):
            match |= Q(**{f"{person}__{field}__icontains": query})
        for term in squashed:
            for field in ("phone", "address"):
                match |= Q(IContains(_without_spaces(f"{person}__{field}"), term))
    texts = Q()
    for kind, key in TEXT_EVENTS.items():
        texts |= Q(kind=kind, **{f"data__{key}__icontains": query})
    match |= Q(pk__in=CaseEvent.objects.filter(texts).values("case_id"))
    return match


def _without_spaces(field: str) -> Replace:
    """The field with spaces, dashes and brackets taken out (a phone number's digits, a
    postcode written without its space)."""
    value = F(field)
    for char in (" ", "-", "(", ")", "\n"):
        value = Replace(value, Value(char), Value(""), output_field=TextField())
    return value
