"""The SQL of an aggregate that every list page asks for, built by the ORM once per process for
the same inputs and then sent as it was built.

Building the navigation's nine queue counts (their conditions and the need-to-know rule) and
compiling them took 2.4 ms of Python on every list page, for a query PostgreSQL answers in
0.5 ms (docs/performance.md, "The queue counts' SQL built once"). The SQL depends only on the
inputs the caller names in `key` (who is asking, as the access rule sees them, and the day),
so the memo holds the statement and its parameters for that key; nothing about a case is
kept, and every call still runs the query.

Where settings.FAIRHEAR_SQL_MEMO_CHECK is on (the test settings), every call also builds the
query again and fails loudly if it differs from the memo: a key that leaves out something the
query depends on cannot go unnoticed in the test suite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

_MEMO: dict[Hashable, tuple[str, tuple, tuple[str, ...]]] = {}
_MAX = 4096
_LOCK = threading.Lock()


class SqlMemoMismatch(AssertionError):
    """The query built for a key is not the one remembered for it: the key is incomplete."""


class _Built(Exception):
    """Raised from the wrapper once the ORM hands over its SQL, so that it is not sent."""


def _sql_of(
    build: Callable[[], tuple[QuerySet, dict[str, Any]]],
) -> tuple[str, tuple, tuple[str, ...]] | None:
    """The statement and parameters the ORM would send for the aggregate, without sending it,
    and the aggregates' names in the order of its columns."""
    sent: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's API
        sent.append((sql, tuple(params or ())))
        raise _Built

    queryset, aggregates = build()
    # Not logged as a query either (a test's CaptureQueriesContext would count it): it is
    # never sent. With DEBUG on, Django's own log of queries still lists it.
    logged, connection.force_debug_cursor = connection.force_debug_cursor, False
    try:
        with connection.execute_wrapper(record):
            queryset.aggregate(**aggregates)
    except _Built:
        pass
    finally:
        connection.force_debug_cursor = logged
    if len(sent) > 1:
        raise SqlMemoMismatch(f"an aggregate sent {len(sent)} statements, not one")
    if not sent:  # nothing to ask: the ORM knew the list is empty (no organisation)
        return None
    return (*sent[0], tuple(aggregates))


def memo_aggregate(
    key: Hashable, build: Callable[[], tuple[QuerySet, dict[str, Any]]]
) -> dict[str, int]:
    """`queryset.aggregate(**aggregates)` for the queryset and the `Count`s `build()` returns,
    its SQL built once for `key`. `key` must hold every input the query is built from."""
    key = (connection.vendor, key)
    memo = _MEMO.get(key)
    if memo is None:
        memo = _sql_of(build)
        if memo is None:
            queryset, aggregates = build()
            return queryset.aggregate(**aggregates)
        with _LOCK:
            if len(_MEMO) >= _MAX:
                _MEMO.clear()
            _MEMO[key] = memo
    elif getattr(settings, "FAIRHEAR_SQL_MEMO_CHECK", False) and _sql_of(build) != memo:
        raise SqlMemoMismatch(f"{key}: the query built now is not the one remembered")
    sql, params, names = memo
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}
