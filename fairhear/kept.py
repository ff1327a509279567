"""What a process makes once and keeps by a key: a list page's rows, filter form and filter
panel, each made from its key alone, and what is kept until the database says it changed (the
navigation's counts, an organisation's calendar and colleagues). At most `most` are kept; when
full, all are forgotten at once (the next pages make them again), so a process never holds
more than it says."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings

T = TypeVar("T")


class Kept(Generic[T]):
    """Values made by `make()` once per key, at most `most` of them."""

    def __init__(self, most: int) -> None:
        self._made: dict[Hashable, T] = {}
        self._most = most

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        made = self._made.get(key)
        if made is None:
            made = make()
            if len(self._made) >= self._most:
                self._made.clear()
            self._made[key] = made
        return made


class KeptStale(AssertionError):
    """A value kept against a token differs from making it again: a change went unseen."""


def kept_until_changed(kept: Kept[T], key: Hashable, make: Callable[[], T]) -> T:
    """`make()` once per `key`, where `key` holds a token the database changes, in the same
    transaction, with whatever `make()` reads (ADR-013): a new token makes a new key. Where
    settings.FAIRHEAR_SQL_MEMO_CHECK is on (the test settings), `make()` runs on every call
    and a kept value that differs fails loudly, so the test suite checks that the triggers
    see every change."""
    if not getattr(settings, "FAIRHEAR_SQL_MEMO_CHECK", False):
        return kept.get(key, make)
    fresh = make()
    known = kept.get(key, lambda: fresh)
    if known != fresh:
        raise KeptStale(
            f"{key}: the value kept {known!r} differs from the value made again {fresh!r} under "
            "the same token (a change the database's triggers missed)"
        )
    return fresh
