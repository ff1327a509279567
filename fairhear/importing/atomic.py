"""One transaction around a whole import.

Every case service writes in its own durable transaction (`transaction.atomic(durable=True)`),
so that a colleague's change is committed when the service returns. An import wants the
opposite: a thousand cases replayed through the same services, and either all of them kept or
none. Django lets a durable block run inside a block that a test case opened, as a savepoint;
`import_block` opens a block marked the same way, so the services' blocks become savepoints of
the import's one transaction, and nothing is committed until the import ends without a
problem. Nothing but an import uses it (docs/import.md, "All or nothing").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def import_block() -> Iterator[None]:
    """A transaction (or, inside one, a savepoint) in which the case services' durable blocks
    nest. Leaving it with an exception undoes everything written inside it."""
    block = transaction.atomic()
    block._from_testcase = True  # the one marker Django's durable check reads (see above)
    with block:
        yield
