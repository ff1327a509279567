"""Triage: what came in by the public form waits as "received" for a colleague who accepts or
allocates, who says what it really is (an event) and then accepts or refuses it."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text, when
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseKind, CaseState
from fairhear.intake.selectors import cases_to_triage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)  # Monday 2 March 2026


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def _from_the_website(team, kind=CaseKind.SERVICE_REQUEST, **kw) -> Case:
    return receive_complaint(
        team, RECEIVED, kind=kind, channel=Case.Channel.WEB, logged_by=None, **kw
    )


def test_website_submissions_wait_for_those_who_accept_or_allocate(team):
    web = _from_the_website(team)
    receive_complaint(team, RECEIVED)  # taken down by a colleague on the phone: not triage

    assert list(cases_to_triage(user=team.allocator)) == [web]
    assert list(cases_to_triage(user=team.lead)) == [web]
    assert list(cases_to_triage(user=team.investigator)) == []


def test_a_submission_about_a_colleague_is_not_in_their_triage_list(team):
    about_them = _from_the_website(team, about_colleagues=[team.allocator])

    assert about_them not in cases_to_triage(user=team.allocator)
    assert about_them in cases_to_triage(user=team.lead)


def test_the_triage_page_lists_them_and_is_not_found_for_others(client, team):
    web = _from_the_website(team)
    client.force_login(team.allocator)

    page = client.get(reverse("intake:triage"))
    listed = page_text(page)

    assert f"{web.reference} Mon 2 Mar 2026, 09:30 Service request Ada Lovelace" in listed
    # The queues above it, as above every list, with this one marked as the page.
    assert 'aria-current="page">To triage <span' in page.content.decode()
    assert 'data-testid="queue-count-to-triage">1<' in page.content.decode()
    client.force_login(team.investigator)
    assert client.get(reverse("intake:triage")).status_code == 404


def test_changing_what_it_is_is_an_event_and_it_still_counts_from_receipt(team):
    """A "request" that is really dissatisfaction is a complaint (Pivotal §4.0, §5.3), counted
    from when it was received, Monday 2 March: 10 working days later is Monday 16 March
    (Pivotal App. 1; no bank holidays in March 2026)."""
    case = _from_the_website(team)

    case = s.case_change_kind(
        case=case, actor=team.allocator, kind=CaseKind.COMPLAINT, reason="They are unhappy."
    )

    assert case.kind == CaseKind.COMPLAINT
    assert case.state == CaseState.RECEIVED
    assert case.received_at == RECEIVED
    event = CaseEvent.objects.get(case=case, kind=Action.CHANGE_KIND)
    assert event.data == {
        "previous_kind": "service_request",
        "kind": "complaint",
        "reason": "They are unhappy.",
    }
    assert event.actor == team.allocator
    due = case.clocks.get(name="stage1_response_due").due
    assert due.isoformat() == "2026-03-16"
    s.case_accept(case=case, actor=team.allocator)
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_ALLOCATION
    assert case not in cases_to_triage(user=team.allocator)


def test_changing_it_to_what_it_already_is_is_refused_in_words(team):
    case = _from_the_website(team, kind=CaseKind.COMPLAINT)

    with pytest.raises(s.CaseInputError, match="It is already a complaint; choose what else"):
        s.case_change_kind(case=case, actor=team.allocator, kind=CaseKind.COMPLAINT)


def test_only_those_who_accept_or_allocate_may_change_what_it_is(team):
    case = _from_the_website(team)

    with pytest.raises(s.TransitionRejected):
        s.case_change_kind(case=case, actor=team.investigator, kind=CaseKind.COMPLAINT)


def test_once_accepted_what_it_is_no_longer_changes(team):
    case = _from_the_website(team, kind=CaseKind.COMPLAINT)
    s.case_accept(case=case, actor=team.allocator)

    with pytest.raises(s.TransitionRejected):
        s.case_change_kind(case=case, actor=team.allocator, kind=CaseKind.SUGGESTION)


def test_the_case_page_changes_what_it_is_through_its_form(client, team):
    case = _from_the_website(team)
    client.force_login(team.allocator)
    url = reverse("cases:action", args=[case.reference, Action.CHANGE_KIND])

    form = page_text(client.get(url))
    done = client.post(
        url, {"kind": "complaint", "reason": "", **when(NOW), "seen_sequence": "1"}, follow=True
    )

    assert "Whatever the person called it" in form
    assert "What it is was changed. It still counts from when it was received." in page_text(done)
    case.refresh_from_db()
    assert case.kind == CaseKind.COMPLAINT


def test_the_timeline_says_who_sent_it_not_that_it_was_automatic(client, team):
    web = _from_the_website(team)
    client.force_login(team.allocator)

    timeline = page_text(client.get(reverse("cases:detail", args=[web.reference])))

    assert "Sent by the website form" in timeline
    assert "Fairhear (automatic)" not in timeline
