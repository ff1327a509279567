"""Per-address limits on the public form, kept in Django's cache (docs/security.md): a new
submission beyond settings.FAIRHEAR_FEEDBACK_PER_HOUR from one address in the same clock hour
is refused with a message saying when to try again. A repeat of a form already sent does not
count, and nothing typed is lost: the answers stay in the session."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_WINDOW = 3600


def client_address(request: HttpRequest) -> str:
    """The sender's address as the web server saw it (a proxy in front must set REMOTE_ADDR,
    docs/operations.md)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, address: str) -> str:
    return f"fairhear:rate:{kind}:{address}:{int(time.time() // _WINDOW)}"


def rate_allows(request: HttpRequest, kind: str, limit: int | None = None) -> bool:
    """True while this address has made fewer than the limit of `kind` this hour; counts it."""
    limit = settings.FAIRHEAR_FEEDBACK_PER_HOUR if limit is None else limit
    key = _key(kind, client_address(request))
    cache.add(key, 0, _WINDOW)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _WINDOW)
        used = 1
    return used <= limit


def minutes_to_next_window() -> int:
    """Whole minutes until the limits start again."""
    return math.ceil((_WINDOW - time.time() % _WINDOW) / 60)
