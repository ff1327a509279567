"""MMBM seed 000 §7.2: for a sexual-harassment complaint the allocator considers the
investigator and records that the complainant was consulted; §8.4: an external investigator can
be recorded while a colleague stays accountable. Through the services and the allocation page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases.models import Case
from fairhear.cases.services import TransitionRejected, case_accept, case_allocate
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.cases.tests.test_views import NOW_TYPED, error_summary, page_text
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def accepted(team: Team, categories: list[str]) -> Case:
    case = receive_complaint(team, RECEIVED, categories=categories)
    return case_accept(case=case, actor=team.allocator)


def last_event(case: Case):
    return case.events.order_by("-sequence").first()


def test_mmbm_sexual_harassment_allocation_needs_the_complainants_consultation_recorded():
    team = make_team("mmbm")
    case = accepted(team, ["sexual_harassment"])
    with pytest.raises(TransitionRejected) as refused:
        case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    assert str(refused.value) == (
        "This is a sexual harassment complaint: consider who should investigate it and record "
        "how the complainant was consulted, or why that was not appropriate (§7.2)."
    )
    case.refresh_from_db()
    assert case.handler is None

    case_allocate(
        case=case,
        actor=team.allocator,
        handler=team.investigator,
        consultation="Asked by phone on 3 March; she asked for a female investigator.",
    )
    assert last_event(case).data["consultation"].startswith("Asked by phone on 3 March")


def test_mmbm_other_complaints_are_allocated_without_a_consultation():
    team = make_team("mmbm")
    case = accepted(team, ["housing"])
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    assert "consultation" not in last_event(case).data


def test_mmbm_an_external_investigator_is_recorded_while_the_colleague_stays_accountable():
    team = make_team("mmbm")
    case = accepted(team, ["housing"])
    case_allocate(
        case=case,
        actor=team.allocator,
        handler=team.investigator,
        external_investigator="Sam Patel",
        external_organisation="Independent Care Reviews Ltd",
    )
    case.refresh_from_db()
    assert case.handler == team.investigator
    assert last_event(case).data["external_investigator"] == {
        "name": "Sam Patel",
        "organisation": "Independent Care Reviews Ltd",
    }


def test_an_external_investigator_needs_a_name_and_an_organisation():
    team = make_team("mmbm")
    case = accepted(team, ["housing"])
    with pytest.raises(TransitionRejected, match="both the external investigator's name and"):
        case_allocate(
            case=case, actor=team.allocator, handler=team.investigator, external_investigator="Sam"
        )


def test_pivotal_has_no_external_investigator():
    team = make_team("pivotal")
    case = accepted(team, ["repairs"])
    with pytest.raises(TransitionRejected, match="does not provide for an external investigator"):
        case_allocate(
            case=case,
            actor=team.allocator,
            handler=team.investigator,
            external_investigator="Sam Patel",
            external_organisation="Reviews Ltd",
        )


def test_mmbm_allocation_page_asks_for_the_consultation_and_shows_the_external_investigator(
    client,
):
    team = make_team("mmbm")
    case = accepted(team, ["sexual_harassment"])
    client.force_login(team.allocator)
    url = reverse("cases:action", args=[case.reference, Action.ALLOCATE])

    text = page_text(client.get(url))
    assert "How the complainant was consulted about who will investigate" in text
    assert "A sexual harassment complaint (§7.2)." in text
    assert "External investigator's name (optional)" in text

    response = client.post(url, {"handler": team.investigator.pk, **NOW_TYPED})
    assert response.status_code == 200
    assert "consulted" in error_summary(response)

    response = client.post(
        url,
        {
            "handler": team.investigator.pk,
            "consultation": "She asked for a female investigator.",
            "external_investigator": "Sam Patel",
            "external_organisation": "Independent Care Reviews Ltd",
            **NOW_TYPED,
        },
    )
    assert response.status_code == 302, error_summary(response)
    page = page_text(client.get(response["Location"]))
    assert "Complainant consulted She asked for a female investigator." in page
    assert (
        f"External investigator Sam Patel, Independent Care Reviews Ltd ({team.investigator} "
        "stays accountable)" in page
    )


def test_pivotal_allocation_page_asks_neither(client):
    team = make_team("pivotal")
    case = accepted(team, ["repairs"])
    client.force_login(team.allocator)
    text = page_text(client.get(reverse("cases:action", args=[case.reference, Action.ALLOCATE])))
    assert "consulted" not in text
    assert "External investigator" not in text
