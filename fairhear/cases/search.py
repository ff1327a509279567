"""Finding cases by what a colleague remembers: a reference, a name, an e-mail address, a phone
number, a postcode, or words from the complaint and its notes.

On PostgreSQL this is full-text search over three GIN expression indexes (migration
cases/0012; docs/adr/ADR-007): the complaint's own text, the people on it (complainant and
representative), and the text of its notes and recorded communications. An index on an
expression is kept up to date by PostgreSQL itself in the same transaction as every write, so
no service has to remember to refresh a search column. On SQLite (the embedded demo) the same
fields are matched with a case-insensitive `contains`.

The expressions below must stay exactly as the migration creates them, or PostgreSQL stops
using the indexes (test_search.py checks the query plan).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.db.models.lookups import IContains

from fairhear.cases.models import Case, CaseEvent
from fairhear.domain.lifecycle import Action
from fairhear.domain.references import REFERENCE_PATTERN, normalise_reference

# Events whose text is searched, and the JSON key holding it.
TEXT_EVENTS = {Action.ADD_NOTE: "text", Action.RECORD_COMMUNICATION: "summary"}

CASE_DOCUMENT = "to_tsvector('english'::regconfig, summary || ' ' || desired_outcome)"
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


def case_search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """The cases of `cases` (already those the colleague may see) that match the query."""
    query = query.strip()
    if not query:
        return cases
    if connection.vendor == "postgresql":
        return cases.filter(pk__in=_postgresql_matches(query))
    return cases.filter(_sqlite_matches(query))


def _postgresql_matches(query: str) -> RawSQL:
    """The ids of matching cases: a UNION of three index lookups (no scan of every case)."""
    people = " OR ".join(
        f"{PERSON_DOCUMENT} @@ plainto_tsquery('simple'::regconfig, %s)"
        for _ in person_terms(query)
    )
    # Only this module's constants are put into the text; every value typed is a parameter.
    sql = (
        f"SELECT id FROM cases_case WHERE {CASE_DOCUMENT} "  # noqa: S608 (constants only)
        "@@ websearch_to_tsquery('english'::regconfig, %s) "
        f"UNION SELECT case_id FROM cases_caseevent WHERE {EVENT_KINDS_SQL} AND "
        f"{EVENT_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, %s) "
        "UNION SELECT id FROM cases_case WHERE complainant_id IN "
        f"(SELECT id FROM cases_person WHERE {people}) "
        "UNION SELECT id FROM cases_case WHERE representative_id IN "
        f"(SELECT id FROM cases_person WHERE {people})"
    )
    terms = person_terms(query)
    return RawSQL(sql, [query, query, *terms, *terms])  # noqa: S611 (parameters only)


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
