"""A "Check and confirm" step before what cannot be undone (closing, not accepting, sending a
response, refusing an escalation, restricting or unrestricting access): it says what will
happen and which letter confirms it, nothing is saved until Confirm, Change keeps what was
typed, and a colleague overtaken while checking is told, with nothing saved."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.actions import ACTIONS
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import error_summary, page_text, when
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseState

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def _accepted(team):
    case = receive_complaint(team, RECEIVED)
    return s.case_accept(case=case, actor=team.allocator, occurred_at=RECEIVED)


def _close(client, case, **extra):
    url = reverse("cases:action", args=[case.reference, Action.CLOSE])
    data = {**when(NOW), "reason_code": "10.1e", "note": "Nothing more we can do.", **extra}
    return client.post(url, data)


def test_closing_shows_what_will_happen_and_saves_nothing_until_confirm(client, team):
    case = _accepted(team)
    client.force_login(team.lead)

    check = _close(client, case, seen_sequence="2")  # as the form carries it

    assert check.status_code == 200, error_summary(check)
    text = page_text(check)
    assert "Check and confirm: close" in text
    assert "The case will close with the reason you chose, and every deadline still" in text
    # The letter that confirms a closure in writing (domain/letters.py) is named.
    assert "The letter that confirms it in writing (Closure)" in text
    # The answers in words: the reason as the policy names it (Pivotal §10.1 e).
    assert "Nothing more we can do to resolve the matter (§10.1 e)" in text
    assert "Nothing more we can do." in text
    assert "Wed 4 Mar 2026 at 10:00" in text
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_ALLOCATION
    assert case.events.count() == 2

    # The check page carries the answers and the version of the case in hidden fields: it
    # works without JavaScript.
    body = check.content.decode()
    assert re.search(r'<input type="hidden" name="reason_code" value="10.1e">', body)
    assert re.search(r'<input type="hidden" name="seen_sequence" value="2">', body)
    assert 'name="confirm_step" value="confirm"' in body
    assert 'name="confirm_step" value="change"' in body

    done = _close(client, case, seen_sequence="2", confirm_step="confirm")

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.closure_reason == "10.1e"


def test_change_goes_back_to_the_form_with_what_was_typed(client, team):
    case = _accepted(team)
    client.force_login(team.lead)

    back = _close(client, case, seen_sequence="2", confirm_step="change")

    assert back.status_code == 200
    text = page_text(back)
    assert "Check and confirm" not in text
    assert "There is a problem" not in text
    assert "Nothing more we can do." in text
    assert 'value="10.1e" checked' in back.content.decode() or re.search(
        r'value="10\.1e"[^>]*checked', back.content.decode()
    )
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_ALLOCATION


def test_confirming_a_page_someone_else_overtook_is_refused_and_saves_nothing(client, team):
    case = _accepted(team)
    client.force_login(team.lead)
    check = _close(client, case, seen_sequence="2")
    seen = re.search(r'name="seen_sequence" value="(\d+)"', check.content.decode()).group(1)
    # Meanwhile the Head of Services adds a note.
    s.case_add_note(case=case, actor=team.allocator, text="The tenant called again.")

    refused = _close(client, case, seen_sequence=seen, confirm_step="confirm")

    assert refused.status_code == 200
    assert error_summary(refused) == (
        f"There is a problem {team.allocator} added a note at 10:00 while you were on this page; "
        "nothing you entered was saved — check the case and try again."
    )
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_ALLOCATION
    assert case.events.count() == 3


def test_restricting_access_names_who_will_still_see_it(client, team):
    case = _accepted(team)
    client.force_login(team.lead)
    url = reverse("cases:action", args=[case.reference, Action.RESTRICT_ACCESS])

    check = client.post(
        url, {**when(NOW), "reason": "Staff conduct.", "named": [str(team.allocator.pk)]}
    )

    assert check.status_code == 200, error_summary(check)
    text = page_text(check)
    assert "Only the colleagues you named, its handler and the lead officer" in text
    assert str(team.allocator) in text
    case.refresh_from_db()
    assert not case.restricted_access


def test_only_what_cannot_be_undone_asks_for_confirmation():
    asks = {a for a, spec in ACTIONS.items() if spec.confirm}
    assert asks == {
        Action.REFUSE,
        Action.RESOLVE_LOCALLY,
        Action.RESPOND,
        Action.REFUSE_ESCALATION,
        Action.CLOSE,
        Action.CLOSE_CONTACT,
        Action.FORWARD_COMPLIMENT,
        Action.NOT_INVESTIGATE,
        Action.ROUTE_OUT,
        Action.RESTRICT_ACCESS,
        Action.UNRESTRICT_ACCESS,
    }
