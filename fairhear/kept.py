"""What a process makes once and keeps by a key: a list page's rows, filter form and filter
panel, each made from its key alone. At most `most` are kept; when full, all are forgotten at
once (the next pages make them again), so a process never holds more than it says."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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
