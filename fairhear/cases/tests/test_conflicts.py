"""Two colleagues acting on the same case: one wins, the other is told plainly what happened
first, and nothing they entered is saved (optimistic concurrency on the case's event sequence,
checked under the row lock). Each race the probe found is driven twice: as two colleagues who
loaded the page and then both submitted, and as two requests at the same moment in threads."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import Case, CaseEvent
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseState

# Wednesday 4 March 2026, 10:42 in London (GMT); the complaint arrived on Monday 2 March.
NOW = datetime(2026, 3, 4, 10, 42, tzinfo=LONDON)
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)
TRIES = 8
AFTER = (
    " while you were on this page; nothing you entered was saved — check the case and try again."
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _received(team: Team) -> Case:
    return receive_complaint(team, RECEIVED)


def _accepted(team: Team) -> Case:
    case = _received(team)
    return s.case_accept(case=case, actor=team.allocator)


def _investigating(team: Team) -> Case:
    case = _accepted(team)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    s.case_acknowledge(case=case, actor=team.investigator)
    # The Head of Services agrees the response's outcome first (Pivotal §13).
    return signed_off(team, case, "response")


@dataclass(frozen=True)
class Move:
    who: str  # the Team attribute of the colleague acting
    action: Action
    answers: Callable[[Team], dict]
    did: Callable[[Team], str]  # what the other colleague is told this one did
    typed: str = ""  # something typed that the refused page must keep


@dataclass(frozen=True)
class Race:
    setup: Callable[[Team], Case]
    first: Move
    second: Move
    outcome: Callable[[Case, Move, Team], bool]  # the case is as the winner left it


RACES = {
    # Pivotal §9 stage 1: the Head of Services allocates a Service Manager.
    "two allocations": Race(
        _accepted,
        Move(
            "allocator",
            Action.ALLOCATE,
            lambda t: {"handler": t.investigator.pk},
            lambda t: f"{t.allocator} allocated this case to {t.investigator} at 10:42",
        ),
        Move(
            "lead",
            Action.ALLOCATE,
            lambda t: {"handler": t.investigator2.pk},
            lambda t: f"{t.lead} allocated this case to {t.investigator2} at 10:42",
        ),
        lambda case, won, t: case.handler_id == won.answers(t)["handler"],
    ),
    "respond and close": Race(
        _investigating,
        Move(
            "investigator",
            Action.RESPOND,
            lambda t: {
                "outcome": "upheld",
                "reasons": "The repair was missed twice.",
                "means": "email",
            },
            lambda t: f"{t.investigator} sent the response at 10:42",
            typed="The repair was missed twice.",
        ),
        Move(
            "lead",
            Action.CLOSE,
            lambda t: {
                "reason_code": "10.1b",
                "note": "They withdrew it by phone.",
                "override": "The Service Manager is on leave today.",
            },
            lambda t: f"{t.lead} closed this case at 10:42",
            typed="They withdrew it by phone.",
        ),
        lambda case, won, t: (
            case.state
            == (CaseState.RESPONDED if won.action is Action.RESPOND else CaseState.CLOSED)
        ),
    ),
    "accept and refuse": Race(
        _received,
        Move(
            "allocator",
            Action.ACCEPT,
            lambda t: {"note": "In time."},
            lambda t: f"{t.allocator} accepted the complaint at 10:42",
        ),
        Move(
            "lead",
            Action.REFUSE,
            lambda t: {"reason_code": "6.1b", "explanation": "It is the council's road."},
            lambda t: f"{t.lead} decided not to accept the complaint at 10:42",
            typed="It is the council's road.",
        ),
        lambda case, won, t: (
            case.state
            == (CaseState.AWAITING_ALLOCATION if won.action is Action.ACCEPT else CaseState.REFUSED)
        ),
    ),
}


def _summary(response) -> str:
    match = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), flags=re.S
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split()) if match else ""


def _seen(response) -> str:
    """The version of the case the page was drawn from (its hidden field)."""
    match = re.search(r'name="seen_sequence" value="(\d+)"', response.content.decode())
    assert match, "the action form carries no version of the case"
    return match.group(1)


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _url(case: Case, action: Action) -> str:
    return reverse("cases:action", args=[case.reference, action])


def _load(client: Client, case: Case, move: Move) -> str:
    page = client.get(_url(case, move.action))
    assert page.status_code == 200
    return _seen(page)


def _submit(client: Client, case: Case, move: Move, team: Team, seen: str):
    # What cannot be undone is sent from its check page: this is its Confirm.
    answers = {**move.answers(team), "seen_sequence": seen, "confirm_step": "confirm"}
    return client.post(_url(case, move.action), answers)


# ---------------------------------------------------------------------------------------------
# Two colleagues load the page, then both submit (SQLite and PostgreSQL)


@pytest.mark.django_db
@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_the_second_of_two_colleagues_on_the_same_page_is_told_what_the_first_did(race):
    team = make_team("pivotal")
    case = race.setup(team)
    events_before = CaseEvent.objects.filter(case=case).count()
    first, second = _client(getattr(team, race.first.who)), _client(getattr(team, race.second.who))
    first_saw = _load(first, case, race.first)
    second_saw = _load(second, case, race.second)

    done = _submit(first, case, race.first, team, first_saw)
    overtaken = _submit(second, case, race.second, team, second_saw)

    assert done.status_code == 302
    assert overtaken.status_code == 200
    assert _summary(overtaken) == f"There is a problem {race.first.did(team)}{AFTER}"
    if race.second.typed:
        assert race.second.typed in html.unescape(overtaken.content.decode())  # kept as typed
    case.refresh_from_db()
    assert race.outcome(case, race.first, team)
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1


@pytest.mark.django_db
def test_after_being_told_the_colleague_may_try_again_from_the_same_page():
    team = make_team("pivotal")
    case = _accepted(team)
    race = RACES["two allocations"]
    first, second = _client(team.allocator), _client(team.lead)
    first_saw, second_saw = _load(first, case, race.first), _load(second, case, race.first)
    _submit(first, case, race.first, team, first_saw)
    overtaken = _submit(second, case, race.second, team, second_saw)

    # The refused page now carries the version that includes the first allocation (event 3:
    # received 1, accepted 2, allocated 3), so sending it again is a deliberate reallocation.
    assert _seen(overtaken) == "3"
    again = _submit(second, case, race.second, team, _seen(overtaken))

    assert again.status_code == 302
    case.refresh_from_db()
    assert case.handler == team.investigator2


@pytest.mark.django_db
def test_a_service_given_an_older_version_refuses_and_saves_nothing():
    team = make_team("pivotal")
    case = _accepted(team)  # events 1 received, 2 accepted
    s.case_add_note(case=case, actor=team.investigator, text="Called the tenant.", seen_sequence=2)

    with pytest.raises(s.TransitionRejected) as refused:
        s.case_allocate(case=case, actor=team.allocator, handler=team.investigator, seen_sequence=2)

    assert str(refused.value) == f"{team.investigator} added a note at 10:42{AFTER}"
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_ALLOCATION
    assert case.handler is None


@pytest.mark.django_db
def test_without_a_version_the_service_acts_on_the_case_as_it_is():
    """The system's own sweeps and imports act without a page, so they give no version."""
    team = make_team("pivotal")
    case = _accepted(team)
    s.case_add_note(case=case, actor=team.investigator, text="Called the tenant.")

    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)

    case.refresh_from_db()
    assert case.handler == team.investigator


@pytest.mark.django_db
def test_a_version_the_case_never_had_is_refused():
    team = make_team("pivotal")
    case = _accepted(team)  # its newest event is number 2

    with pytest.raises(s.TransitionRejected, match="This page does not come from this case"):
        s.case_add_note(case=case, actor=team.investigator, text="Hello.", seen_sequence=9)

    assert CaseEvent.objects.filter(case=case).count() == 2


# ---------------------------------------------------------------------------------------------
# Two requests at the same moment, in threads


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_of_two_actions_at_the_same_moment_one_wins_and_the_other_is_told(race, committed_db):
    team = make_team("pivotal")
    moves = [race.first, race.second]
    clients = [_client(getattr(team, m.who)) for m in moves]
    outcomes = []
    for _ in range(TRIES):
        case = race.setup(team)
        seen = [_load(c, case, m) for c, m in zip(clients, moves, strict=True)]
        start = threading.Barrier(2)

        def act(i: int, case: Case = case, seen: list = seen, start=start):
            try:
                start.wait(timeout=30)
                return _submit(clients[i], case, moves[i], team, seen[i])
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            responses = list(pool.map(act, range(2)))
        outcomes.append((case, responses))

    for case, responses in outcomes:
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [200, 302], statuses
        won = moves[statuses.index(302)]
        lost = responses[statuses.index(200)]
        assert _summary(lost) == f"There is a problem {won.did(team)}{AFTER}"
        case.refresh_from_db()
        assert race.outcome(case, won, team)


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["abc", "-1", "99999999999"])
def test_a_form_whose_version_is_not_a_version_is_refused_in_words(sent):
    team = make_team("pivotal")
    case = _received(team)

    response = _client(team.allocator).post(
        _url(case, Action.ACCEPT), {"note": "In time.", "seen_sequence": sent}
    )

    assert response.status_code == 200
    assert _summary(response) == (
        "There is a problem This page is out of date; nothing you entered was saved — "
        "open the case again."
    )
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED
