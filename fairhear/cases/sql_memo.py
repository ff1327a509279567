"""The SQL of a query that every list page asks for, built by the ORM once per process for the
same inputs and then sent as it was built.

Building the navigation's nine queue counts (their conditions and the need-to-know rule) and
compiling them took 2.4 ms of Python on every list page, for a query PostgreSQL answers in
0.5 ms (docs/performance.md, "The queue counts' SQL built once"). The SQL depends only on the
inputs the caller names in `key` (who is asking, as the access rule sees them, the day, the
order and the page), so the memo holds the statement and its parameters for that key; nothing
about a case is kept, and every call still runs the query.

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


def _sql_of(run: Callable[[], object]) -> tuple[str, tuple] | None:
    """The statement and parameters the ORM sends when `run()` reads (one query), without
    sending it; None when the ORM knows without asking that nothing matches."""
    sent: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's API
        sent.append((sql, tuple(params or ())))
        raise _Built

    # Not logged as a query either (a test's CaptureQueriesContext would count it): it is
    # never sent. With DEBUG on, Django's own log of queries still lists it.
    logged, connection.force_debug_cursor = connection.force_debug_cursor, False
    try:
        with connection.execute_wrapper(record):
            run()
    except _Built:
        pass
    finally:
        connection.force_debug_cursor = logged
    if len(sent) > 1:
        raise SqlMemoMismatch(f"a remembered read sent {len(sent)} statements, not one")
    return sent[0] if sent else None


def _remembered(
    key: Hashable, run: Callable[[], object], names: Callable[[], tuple[str, ...]]
) -> tuple[str, tuple, tuple[str, ...]] | None:
    key = (connection.vendor, key)
    memo = _MEMO.get(key)
    if memo is None:
        built = _sql_of(run)
        if built is None:
            return None
        memo = (*built, names())
        with _LOCK:
            if len(_MEMO) >= _MAX:
                _MEMO.clear()
            _MEMO[key] = memo
    elif getattr(settings, "FAIRHEAR_SQL_MEMO_CHECK", False):
        built = _sql_of(run)
        if built is None or (*built, names()) != memo:
            raise SqlMemoMismatch(f"{key}: the query built now is not the one remembered")
    return memo


def _rows(sql: str, params: tuple, *, one: bool) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if one else cursor.fetchall()


def memo_aggregate(
    key: Hashable, build: Callable[[], tuple[QuerySet, dict[str, Any]]]
) -> dict[str, int]:
    """`queryset.aggregate(**aggregates)` for the queryset and the `Count`s `build()` returns,
    its SQL built once for `key`. `key` must hold every input the query is built from."""
    built: list[tuple[QuerySet, dict[str, Any]]] = []

    def made() -> tuple[QuerySet, dict[str, Any]]:
        if not built:
            built.append(build())
        return built[0]

    def run() -> object:
        queryset, aggregates = made()
        return queryset.aggregate(**aggregates)

    memo = _remembered(key, run, lambda: tuple(made()[1]))
    if memo is None:
        return run()  # type: ignore[return-value]
    sql, params, names = memo
    row = _rows(sql, params, one=True)
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def memo_ids(key: Hashable, build: Callable[[], QuerySet], bottom: int, top: int) -> list[int]:
    """The ids of `build()[bottom:top]` in its order, the SQL built once for `key` and the
    slice. `key` must hold every input the queryset is built from."""

    def run() -> list[int]:
        return list(build().values_list("pk", flat=True)[bottom:top])

    memo = _remembered((key, bottom, top), run, tuple)
    if memo is None:
        return run()
    sql, params, _ = memo
    return [row[0] for row in _rows(sql, params, one=False)]
