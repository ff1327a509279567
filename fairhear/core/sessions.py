"""Sessions in the database, as Django keeps them, written with one statement each
(docs/adr/ADR-010-public-form-session.md).

Django's database session saves inside a transaction of its own (BEGIN, UPDATE, COMMIT: three
round trips) and checks that a new key is free before inserting it. A single UPDATE or INSERT
is atomic on its own, so outside a transaction this store sends just that statement: an
existing session is updated (UpdateError if it was deleted meanwhile, as Django does), and a
new one is inserted under a fresh random key (CreateError on the astronomically unlikely
clash, and Django's `create` draws another). Inside a caller's transaction it saves as Django
does, so a clash never spoils the caller's transaction. The session is read by SQL built once.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, connections, router
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string

from fairhear.sql_memo import memo_fetch


class SessionStore(DatabaseSessionStore):
    """Django's database session store, saving with one statement outside a transaction."""

    def _get_session_from_db(self) -> object | None:
        """The stored session, unless it has expired, as Django reads it, by SQL built once
        (sql_memo): every signed-in request reads it."""

        def build(values: Mapping[str, object]) -> QuerySet:
            return self.model.objects.filter(
                session_key=values["key"], expire_date__gt=values["now"]
            )

        found = memo_fetch(("session",), build, {"key": self.session_key, "now": timezone.now()})
        if found:
            return found[0]
        self._session_key = None
        return None

    def _get_new_session_key(self) -> str:
        # Not checked first: the primary key refuses a key in use, and `create` draws again.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super().save(must_create=must_create)
        data = self._get_session(no_load=must_create)
        if must_create:
            try:
                self.model.objects.using(using).create(
                    session_key=self.session_key,
                    session_data=self.encode(data),
                    expire_date=self.get_expiry_date(),
                )
            except IntegrityError:
                raise CreateError from None
            return None
        db = connections[using]
        with db.cursor() as cursor:
            cursor.execute(
                _update_sql(self.model, db),
                (
                    self.encode(data),
                    db.ops.adapt_datetimefield_value(self.get_expiry_date()),
                    self.session_key,
                ),
            )
            updated = cursor.rowcount
        if not updated:
            raise UpdateError
        return None


def _update_sql(model: type, db: object) -> str:
    """The session's one UPDATE, as the ORM's `filter(session_key=…).update(…)` sends it, but
    written out rather than compiled by the ORM on every save (the public form saves on every
    page)."""
    q = db.ops.quote_name
    return (
        f"UPDATE {q(model._meta.db_table)} SET {q('session_data')} = %s, "  # noqa: S608 - names only
        f"{q('expire_date')} = %s WHERE {q('session_key')} = %s"
    )
