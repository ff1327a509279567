"""Sessions in the database, as Django keeps them, written with one statement each
(docs/adr/ADR-010-public-form-session.md).

Django's database session saves inside a transaction of its own (BEGIN, UPDATE, COMMIT: three
round trips) and checks that a new key is free before inserting it. A single UPDATE or INSERT
is atomic on its own, so outside a transaction this store sends just that statement: an
existing session is updated (UpdateError if it was deleted meanwhile, as Django does), and a
new one is inserted under a fresh random key (CreateError on the astronomically unlikely
clash, and Django's `create` draws another). Inside a caller's transaction it saves as Django
does, so a clash never spoils the caller's transaction.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, connections, router
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    """Django's database session store, saving with one statement outside a transaction."""

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
        updated = (
            self.model.objects.using(using)
            .filter(session_key=self.session_key)
            .update(session_data=self.encode(data), expire_date=self.get_expiry_date())
        )
        if not updated:
            raise UpdateError
        return None
