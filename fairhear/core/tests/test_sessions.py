"""The database session store (fairhear.core.sessions): read by SQL built once, written with
one statement, and as strict as Django's own about expired and deleted sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from fairhear.core.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


def stored(**data) -> str:
    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def test_a_session_is_read_back_and_changed_with_one_update(committed_db):
    key = stored(answer="complaint")
    session = SessionStore(session_key=key)
    assert session["answer"] == "complaint"

    session["answer"] = "compliment"
    session.save()

    assert SessionStore(session_key=key)["answer"] == "compliment"
    assert Session.objects.count() == 1


def test_an_expired_session_reads_as_empty_and_a_new_one_is_started(committed_db):
    key = stored(answer="complaint")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))

    session = SessionStore(session_key=key)

    assert "answer" not in session
    assert session.session_key is None  # a new key on the next save, as Django does


def test_a_session_deleted_meanwhile_is_not_written_back(committed_db):
    key = stored(answer="complaint")
    session = SessionStore(session_key=key)
    assert session["answer"] == "complaint"
    Session.objects.filter(session_key=key).delete()  # signed out in another tab

    session["answer"] = "compliment"
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.exists()
