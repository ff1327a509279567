"""Implausible dates: refused with a plain reason, or (a case received long before its policy
version came into force) asked about, naming the version that applies (docs/time.md "Dates
Fairhear refuses or asks about").

Days of the week from a printed calendar: Fri 1 Jan 1999, Fri 30 Sep 2022, Sat 1 Oct 2022,
Sun 1 Oct 2023, Mon 30 Nov 2026, Tue 1 Dec 2026. The shipped Pivotal pack (seed 003, version
3.0, "issued October 2023") is in force from Sun 1 Oct 2023; a case received more than 12
months before that, i.e. before Sat 1 Oct 2022, asks for confirmation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.forms import new_idempotency_key
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.cases.tests.test_views import error_summary, page_text, when
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=LONDON)  # Tuesday 1 December 2026, GMT

PIVOTAL_1999 = (
    "It was received on Fri 1 Jan 1999, long before the policy it would run under came into "
    "force: Complaints and Compliments Policy and Procedure, version 3.0 (Pivotal), in force "
    "from Sun 1 Oct 2023. Its deadlines will be counted under version 3.0. Check the date "
    "received; if it is right, confirm it to log the case."
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


# ---------------------------------------------------------------------------------------------
# Through the services


def test_a_case_received_long_before_its_policy_version_asks_to_confirm_and_names_it(team):
    received = datetime(1999, 1, 1, 10, 0, tzinfo=LONDON)

    with pytest.raises(s.PolicyVersionUnconfirmed) as asked:
        receive_complaint(team, received)

    assert str(asked.value) == PIVOTAL_1999
    assert not Case.objects.exists()
    case = receive_complaint(team, received, confirm_policy_version=True)
    assert case.received_at == received
    assert case.events.get(kind=Action.RECEIVE).data["policy_version_confirmed"] is True


@pytest.mark.parametrize(
    ("received_on", "asks"),
    [
        (date(2022, 9, 30), True),  # 12 months and a day before Sun 1 Oct 2023
        (date(2022, 10, 1), False),  # exactly 12 months before: not "long before"
        (date(2023, 9, 30), False),  # the day before it came into force
    ],
)
def test_long_before_means_more_than_12_months_before_the_version_came_into_force(
    team, received_on, asks
):
    received = datetime.combine(received_on, datetime.min.time(), tzinfo=LONDON).replace(hour=9)
    if asks:
        with pytest.raises(s.PolicyVersionUnconfirmed, match="in force from Sun 1 Oct 2023"):
            receive_complaint(team, received)
    else:
        assert receive_complaint(team, received).received_at == received


def test_a_policy_that_states_no_date_in_force_asks_nothing():
    # MMBM's policy (seed 000) is undated, so its pack names no in_force_from.
    team = make_team("mmbm")

    case = receive_complaint(team, datetime(1999, 1, 1, 10, 0, tzinfo=LONDON))

    assert case.received_at.year == 1999


def test_a_case_received_in_the_year_1_is_refused(team):
    with pytest.raises(s.CaseInputError) as refused:
        receive_complaint(team, datetime(1, 1, 1, 10, 0, tzinfo=UTC))

    assert str(refused.value) == (
        "The date received is in the year 1, which cannot be right; check the year (Fairhear "
        "takes dates from 1900 to 2200)."
    )
    assert not Case.objects.exists()


def test_an_incident_in_the_year_1_is_refused(team):
    with pytest.raises(s.CaseInputError) as refused:
        receive_complaint(team, NOW, incident_date=date(1, 1, 1))

    assert str(refused.value) == (
        "The incident date is in the year 1, which cannot be right; check the year (Fairhear "
        "takes dates from 1900 to 2200)."
    )


def _investigating(team: Team) -> Case:
    case = receive_complaint(team, datetime(2026, 11, 26, 9, 0, tzinfo=LONDON))
    case = s.case_accept(case=case, actor=team.allocator)
    case = s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    case = s.case_acknowledge(case=case, actor=team.investigator)
    return signed_off(team, case, "response")  # Pivotal §13: the outcome agreed first


def _respond(case: Case, team: Team, due: str) -> Case:
    return s.case_respond(
        case=case,
        actor=team.investigator,
        outcome=s.Outcome.UPHELD,
        reasons="The repair was missed.",
        outstanding_actions=[{"action": "Replace the boiler", "due": due}],
    )


def test_an_outstanding_action_due_before_the_response_is_refused(team):
    case = _investigating(team)

    with pytest.raises(s.CaseInputError) as refused:
        _respond(case, team, "2026-11-30")  # the day before the response (Tue 1 Dec 2026)

    assert str(refused.value) == (
        "Outstanding action 1 (Replace the boiler) is due Mon 30 Nov 2026, before the response "
        "promising it is sent on Tue 1 Dec 2026. Give a date on or after Tue 1 Dec 2026."
    )
    assert not case.events.filter(kind=Action.RESPOND).exists()


def test_an_outstanding_action_may_be_due_the_day_the_response_is_sent(team):
    case = _respond(_investigating(team), team, "2026-12-01")

    response = case.events.get(kind=Action.RESPOND)
    assert response.data["outstanding_actions"] == [
        {"action": "Replace the boiler", "due": "2026-12-01"}
    ]


def test_an_outstanding_action_in_the_year_9999_is_refused(team):
    with pytest.raises(s.CaseInputError, match=r"outstanding action 1 is in the year 9999"):
        _respond(_investigating(team), team, "9999-12-31")


# ---------------------------------------------------------------------------------------------
# Through the pages


def _log(client, **received: str) -> object:
    return client.post(
        reverse("cases:log"),
        {
            "kind": "complaint",
            "channel": "letter",
            "summary": "A letter about the lift, found in an old file.",
            "idempotency_key": new_idempotency_key(),
            "complainant_name": "Grace Hopper",
            "tenure": "lcra",
            "categories": ["repairs"],
            **received,
        },
        follow=True,
    )


def test_the_log_page_asks_to_confirm_an_old_date_and_logs_it_once_confirmed(client, team):
    client.force_login(team.colleague)
    typed = when(datetime(1999, 1, 1, 10, 0, tzinfo=LONDON), "received_at")

    asked = _log(client, **typed)

    assert PIVOTAL_1999 in error_summary(asked)
    body = asked.content.decode()
    assert 'href="#id_confirm_policy_version"' in body
    assert (
        "The date received is right: log it under Complaints and Compliments Policy and "
        "Procedure, version 3.0"
    ) in page_text(asked)
    assert not Case.objects.exists()

    logged = _log(client, confirm_policy_version="on", **typed)

    case = Case.objects.get()
    assert case.reference.startswith("C-1999-")  # references carry the year received
    assert f"Success Logged as {case.reference}." in page_text(logged)
    assert case.received_at == datetime(1999, 1, 1, 10, 0, tzinfo=UTC)


def test_the_log_page_refuses_the_year_1_saying_why(client, team):
    client.force_login(team.colleague)

    response = _log(
        client,
        received_at_day="1",
        received_at_month="1",
        received_at_year="0001",
        received_at_time="10:00",
    )

    assert (
        "The year 1 cannot be right; enter a year from 1900 to 2200, for example 2026."
        in error_summary(response)
    )
    assert not Case.objects.exists()


def test_the_log_page_refuses_an_incident_in_the_year_1_saying_why(client, team):
    client.force_login(team.colleague)

    response = _log(client, incident_date="0001-01-01", **when(NOW, "received_at"))

    assert "The incident date is in the year 1, which cannot be right" in error_summary(response)
    assert not Case.objects.exists()


def test_the_response_page_refuses_an_action_due_before_the_response(client, team):
    case = _investigating(team)
    client.force_login(team.investigator)

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.RESPOND]),
        {
            "outcome": "upheld",
            "reasons": "The repair was missed.",
            "means": "email",
            "action_1": "Replace the boiler",
            "action_1_due": "2026-11-30",
            "confirm_step": "confirm",
        },
    )

    assert response.status_code == 200
    assert "Outstanding action 1 (Replace the boiler) is due Mon 30 Nov 2026" in error_summary(
        response
    )
    assert not case.events.filter(kind=Action.RESPOND).exists()
