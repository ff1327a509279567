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
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

_MEMO: dict[Hashable, Any] = {}
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
) -> tuple[str | None, tuple, tuple[str, ...]]:
    """The statement, parameters and names remembered for `key`, built once. A statement of
    None is remembered too: the ORM knew without asking that the read matches nothing (an
    empty list's page of ids), which the same inputs always know again; building it on every
    call to find that out cost an empty queue's page 3.5 ms of its 8."""
    key = (connection.vendor, key)
    memo = _MEMO.get(key)
    if memo is None or getattr(settings, "FAIRHEAR_SQL_MEMO_CHECK", False):
        built = _sql_of(run) or (None, ())
        if memo is not None and (*built, names()) != memo:
            raise SqlMemoMismatch(f"{key}: the query built now is not the one remembered")
        if memo is None:
            memo = (*built, names())
            with _LOCK:
                if len(_MEMO) >= _MAX:
                    _MEMO.clear()
                _MEMO[key] = memo
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

    sql, params, names = _remembered(key, run, lambda: tuple(made()[1]))
    if sql is None:
        return dict.fromkeys(names, 0)  # nothing matches: every count is nought
    row = _rows(sql, params, one=True)
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def memo_ids(key: Hashable, build: Callable[[], QuerySet], bottom: int, top: int) -> list[int]:
    """The ids of `build()[bottom:top]` in its order, the SQL built once for `key` and the
    slice. `key` must hold every input the queryset is built from."""

    def run() -> list[int]:
        return list(build().values_list("pk", flat=True)[bottom:top])

    sql, params, _ = _remembered((key, bottom, top), run, tuple)
    if sql is None:
        return []  # nothing matches (an empty slice: an empty list's page)
    return [row[0] for row in _rows(sql, params, one=False)]


# Stand-ins for the values a remembered read is asked with (memo_fetch): each unlike any value
# a real read is given, so that where it lands among the statement's parameters shows where
# the value goes.
def _stand_in(n: int, value: object) -> object:
    if isinstance(value, bool):
        raise TypeError("a yes or no changes the statement: put it in the key")
    if isinstance(value, int):
        return -(10**15) - n
    if isinstance(value, str):
        return f"\x00stand-in {n}\x00"
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, 0, 0, n, 1, tzinfo=UTC)
    raise TypeError(f"no stand-in for a {type(value).__name__}: put it in the key")


def _as_parameter(value: object) -> object:
    """A value as the ORM passes it to the database for an exact or range lookup."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


@dataclass(frozen=True, slots=True)
class _Read:
    """A read's statement with its parameters, where each value goes among them, and the
    compiler that built it (which knows how to turn its rows into values or cases)."""

    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # (index among params, the value's name)
    compiler: SQLCompiler
    populators: tuple | None  # None: rows of values; otherwise the model's related rows
    # What turns each column's value from the database into Python's, by its position: the
    # compiler works these out again for every read (a case with its related rows has some
    # hundred columns to ask about), so they are kept with the read.
    converters: dict

    def parameters(self, values: Mapping[str, object]) -> tuple:
        params = list(self.params)
        for index, name in self.slots:
            params[index] = _as_parameter(values[name])
        return tuple(params)


def _compiled(queryset: QuerySet) -> tuple[SQLCompiler, str, tuple] | None:
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return compiler, sql, tuple(params)


def _read_for(build: Callable[[Mapping[str, object]], QuerySet], values: Mapping) -> _Read | None:
    """Build the read once with stand-ins for the values, and check that it is the read the
    real values build, where each value goes: a read whose statement changes with a value
    (that value belongs in the key) is refused loudly."""
    stand_ins = {name: _stand_in(n, value) for n, (name, value) in enumerate(values.items())}
    stood = _compiled(build(stand_ins))
    real_queryset = build(values)
    real = _compiled(real_queryset)
    if stood is None or real is None:
        return None
    compiler, sql, params = stood
    where = {_as_parameter(v): name for name, v in stand_ins.items()}
    slots = tuple((i, where[p]) for i, p in enumerate(params) if _hashable(p) and p in where)
    if {name for _, name in slots} != set(values):
        raise SqlMemoMismatch("a value was not found among the statement's parameters")
    if real_queryset._known_related_objects or real_queryset._prefetch_related_lookups:
        raise TypeError("memo_fetch reads neither a related manager's rows nor prefetches")
    if issubclass(real_queryset._iterable_class, ModelIterable):
        populators = tuple(get_related_populators(compiler.klass_info, compiler.select, "default"))
    elif issubclass(real_queryset._iterable_class, ValuesListIterable):
        populators = None
    else:
        raise TypeError("memo_fetch reads cases or values_list() rows")
    columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(columns):
        raise TypeError("memo_fetch reads no composite primary keys")
    read = _Read(sql, params, slots, compiler, populators, compiler.get_converters(columns))
    if (sql, read.parameters(values)) != (real[1], real[2]):
        raise SqlMemoMismatch("a value changes the statement itself: put it in the key")
    return read


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def memo_fetch(
    key: Hashable,
    build: Callable[[Mapping[str, object]], QuerySet],
    values: Mapping[str, object],
) -> list[Any]:
    """`list(build(values))`, for a queryset of model instances (select_related and only()
    allowed) or of values_list() tuples, with its SQL built once for `key` and the names of
    `values`. `values` are the inputs that change from one call to the next (an id, a
    reference, a time: ints, strings and datetimes used as plain lookups); `key` must hold
    every other input, including a value that is None or whose change changes the query's
    shape. The ORM still turns the rows into values and instances."""
    nothing = tuple(sorted(name for name, v in values.items() if v is None))
    given = {name: v for name, v in values.items() if v is not None}

    def run() -> list[Any]:
        return list(build({**given, **dict.fromkeys(nothing)}))

    memo_key = (connection.vendor, "fetch", key, tuple(sorted(given)), nothing)
    read = _MEMO.get(memo_key)
    if read is None:
        read = _read_for(lambda v: build({**v, **dict.fromkeys(nothing)}), given)
        if read is None:
            return run()
        with _LOCK:
            if len(_MEMO) >= _MAX:
                _MEMO.clear()
            _MEMO[memo_key] = read  # type: ignore[assignment]
    elif getattr(settings, "FAIRHEAR_SQL_MEMO_CHECK", False):
        real = _compiled(build({**given, **dict.fromkeys(nothing)}))
        if real is None or (real[1], real[2]) != (read.sql, read.parameters(given)):
            raise SqlMemoMismatch(f"{key}: the query built now is not the one remembered")
    return _fetched(read, read.parameters(given))  # type: ignore[union-attr]


def _fetched(read: _Read, params: tuple) -> list[Any]:
    compiler = read.compiler
    with connection.cursor() as cursor:
        cursor.execute(read.sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        rows = [r[: compiler.col_count] for r in rows]
    if read.converters:
        # As compiler.results_iter() would, with the converters worked out once.
        rows = compiler.apply_converters(rows, read.converters)
    if read.populators is None:
        return [tuple(row) for row in rows]
    klass_info, select = compiler.klass_info, compiler.select
    model = klass_info["model"]
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = [f[0].target.attname for f in select[start:end]]
    found = []
    for row in rows:
        obj = model.from_db("default", names, row[start:end])
        for populator in read.populators:
            populator.populate(row, obj)
        for name, column in (compiler.annotation_col_map or {}).items():
            setattr(obj, name, row[column])
        found.append(obj)
    return found
