"""The counts of cases in the navigation, kept until the organisation's cases change.

Every list page shows the colleague's queue counts, and My work its own counts too: one
aggregate query over every open case the colleague may see. At a million cases that is the
lead officer's 25,000 open cases read again on every page (about 10 ms of the database's CPU),
for figures that change only when a case does.

So the database itself says when they may have changed. Triggers on the cases, on who is
involved in them, on who is named on a restricted case and on who a complaint is about give the
organisation's `CasesChanged` row a new random token, in the same transaction as the change
(migration 0028), whenever a case is added or removed, or one of `COUNTED_COLUMNS` changes, or
one of those links is added, changed or removed. Nothing else a count reads is stored with the
case: who is asking (their capabilities and service area) and the day are in the caller's key.
A page reads the token (one primary-key read) and counts again only when it is new to this
process; a note or a letter, which touches none of those, costs no recount.

The token is read before the counts, so counts kept against a token are never older than the
token: a change committed between the two reads is counted, and its new token makes the next
page count again. A change no trigger sees would go unnoticed, so where
settings.FAIRHEAR_SQL_MEMO_CHECK is on (the test settings) every call counts afresh as well and
fails loudly if the kept counts differ: the whole test suite checks that the triggers see every
change that moves a count. A test also checks that every column the queues and the access rule
read is one of `COUNTED_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.db import connection

from fairhear.cases.models import CasesChanged
from fairhear.kept import Kept, kept_until_changed

# The columns of a case that the queues, My work and the need-to-know rule read: a change to
# any of them gives the organisation a new token. Migration 0028's triggers name the same
# columns; a change here needs a migration that makes the triggers again.
COUNTED_COLUMNS = (
    "organisation_id",
    "state",
    "kind",
    "stage",
    "channel",
    "restricted_access",
    "handler_id",
    "service_area_id",
    "logged_by_id",
    "next_due",
)

# The tables linking colleagues to cases that the need-to-know rule reads.
COUNTED_LINKS = ("cases_caseinvolvement", "cases_case_about_colleagues", "cases_case_access_named")

_SQL = f"SELECT token FROM {CasesChanged._meta.db_table} WHERE organisation_id = %s"  # noqa: S608 - the model's own table name

# Counts by everything they were counted for: a few per colleague who signed in today, and a
# new set after each change.
_COUNTS: Kept[dict[str, int]] = Kept(2048)


def cases_changed(organisation_id: int) -> int | None:
    """The organisation's token now; None before its first case."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL, (organisation_id,))
        row = cursor.fetchone()
    return row[0] if row else None


def counts_kept(
    key: Hashable, organisation_id: int, count: Callable[[], dict[str, int]]
) -> dict[str, int]:
    """`count()`, counted once per `key` until the organisation's cases next change. `key`
    must hold every input of the count other than the cases: who asks, the day."""
    token = cases_changed(organisation_id)
    return kept_until_changed(_COUNTS, (connection.vendor, key, organisation_id, token), count)
