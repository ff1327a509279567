"""Related cases on the case page (Pivotal §9 stage 1 step 4: "consideration should be given to
any previous reports"): the same person, the same address, the same category in the same
service area in the last 12 months; only cases the colleague may see, at most 10 a list."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.tests.factories import ServiceAreaFactory
from fairhear.cases import services as s
from fairhear.cases.services import PersonDetails
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
ADA = PersonDetails(
    name="Ada Lovelace", email="ada@example.org", address="12 High Street\nLeeds\nLS1 4AB"
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def related(client, user, case) -> dict[str, str]:
    """Each related list's text on the case page, by its name ("" when it is not shown)."""
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    body = response.content.decode()
    out = {}
    for key in ("person", "address", "category"):
        start = body.find(f'id="related-{key}"')
        end = body.find("</table>", start)
        out[key] = page_text(type(response)(body[start:end])) if start >= 0 else ""
    return out


def test_other_cases_at_the_same_address_count_however_the_first_line_is_written(client, team):
    neighbour = receive_complaint(
        team,
        datetime(2026, 2, 2, 9, 0, tzinfo=LONDON),
        complainant=PersonDetails(name="Charles Babbage", address="12, High St.\nLeeds LS1 4AB"),
    )
    next_door = receive_complaint(
        team,
        datetime(2026, 2, 3, 9, 0, tzinfo=LONDON),
        complainant=PersonDetails(name="Mary Somerville", address="14 High Street\nLS1 4AB"),
    )
    case = receive_complaint(team, NOW, complainant=ADA)

    lists = related(client, team.allocator, case)

    assert neighbour.reference in lists["address"]
    assert "Charles Babbage" in lists["address"]
    # Same postcode, another house: not the same address.
    assert next_door.reference not in lists["address"]


def test_the_same_category_in_the_same_service_area_in_the_last_12_months(client, team):
    north = ServiceAreaFactory(organisation=team.org, name="North")
    south = ServiceAreaFactory(organisation=team.org, name="South")

    def about_repairs(when: datetime, area, name: str):
        return receive_complaint(
            team,
            when,
            service_area=area,
            complainant=PersonDetails(name=name, email=f"{name.split()[0].lower()}@example.org"),
        )

    # 12 months before Wed 4 Mar 2026 is Tue 4 Mar 2025.
    recent = about_repairs(datetime(2025, 3, 4, 12, 0, tzinfo=LONDON), north, "Grace Hopper")
    too_old = about_repairs(datetime(2025, 3, 3, 12, 0, tzinfo=LONDON), north, "Alan Turing")
    elsewhere = about_repairs(datetime(2026, 3, 2, 12, 0, tzinfo=LONDON), south, "Emmy Noether")
    case = receive_complaint(team, NOW, service_area=north, complainant=ADA)

    lists = related(client, team.allocator, case)

    assert "Other cases about repairs and maintenance in North in the last 12 months" in page_text(
        client.get(reverse("cases:detail", args=[case.reference]))
    )
    assert recent.reference in lists["category"]
    assert too_old.reference not in lists["category"]
    assert elsewhere.reference not in lists["category"]


def test_a_restricted_case_and_a_complaint_about_the_viewer_never_show_nor_count(client, team):
    seen = receive_complaint(team, datetime(2026, 2, 2, 9, 0, tzinfo=LONDON), complainant=ADA)
    restricted = receive_complaint(team, datetime(2026, 2, 3, 9, 0, tzinfo=LONDON), complainant=ADA)
    restricted = s.case_restrict_access(
        case=restricted, actor=team.lead, reason="Staff conduct.", named=[]
    )
    about_them = receive_complaint(
        team,
        datetime(2026, 2, 4, 9, 0, tzinfo=LONDON),
        complainant=ADA,
        about_colleagues=[team.allocator],
    )
    case = receive_complaint(team, NOW, complainant=ADA)

    client.force_login(team.allocator)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

    assert seen.reference in body
    for hidden in (restricted, about_them):
        assert hidden.reference not in body
    # Only the one case they may see, and no "more" for the two they may not.
    assert "Search for more" not in body

    # The lead officer may see the restricted case, and the complaint names the allocator, not
    # them: both are listed for the lead.
    lead = related(client, team.lead, case)
    assert restricted.reference in lead["person"]
    assert about_them.reference in lead["person"]


def test_at_most_ten_a_list_with_a_search_for_the_rest(client, team):
    earlier = [
        receive_complaint(team, datetime(2026, 2, day, 9, 0, tzinfo=LONDON), complainant=ADA)
        for day in range(2, 14)
    ]
    case = receive_complaint(team, NOW, complainant=ADA)

    client.force_login(team.allocator)
    response = client.get(reverse("cases:detail", args=[case.reference]))
    body = response.content.decode()
    lists = related(client, team.allocator, case)

    # The 10 newest of the 12: 4 Feb to 13 Feb.
    assert [c.reference in lists["person"] for c in earlier] == [False] * 2 + [True] * 10
    assert "Search for more other cases of this person" in page_text(response)
    assert 'href="/cases/search/?q=ada%40example.org"' in body


def test_a_correction_of_the_category_or_service_area_moves_a_case_between_the_lists(client, team):
    north = ServiceAreaFactory(organisation=team.org, name="North")
    south = ServiceAreaFactory(organisation=team.org, name="South")
    moved = receive_complaint(team, datetime(2026, 2, 2, 9, 0, tzinfo=LONDON), service_area=north)
    about_repairs = receive_complaint(
        team, NOW, service_area=north, complainant=ADA, categories=["repairs"]
    )
    about_communication = receive_complaint(
        team, NOW, service_area=north, complainant=ADA, categories=["communication"]
    )
    assert moved.reference in related(client, team.allocator, about_repairs)["category"]

    s.case_correct_details(
        case=moved,
        actor=team.allocator,
        changes={"categories": ["communication"]},
        reason="It is about how we kept in touch, not the repair.",
    )

    assert moved.reference not in related(client, team.allocator, about_repairs)["category"]
    assert moved.reference in related(client, team.allocator, about_communication)["category"]

    s.case_correct_details(
        case=moved,
        actor=team.allocator,
        changes={"service_area": south},
        reason="The home is in the south patch.",
    )

    assert moved.reference not in related(client, team.allocator, about_communication)["category"]


def test_a_service_request_logged_as_a_complaint_counts_from_then_among_the_last_12_months(
    client, team
):
    # Received Mon 3 Feb 2025, more than 12 months before Wed 4 Mar 2026; logged as a complaint
    # on Mon 2 Mar 2026, from when it counts as received (KPIS.md).
    with time_machine.travel(datetime(2025, 2, 3, 9, 0, tzinfo=LONDON), tick=False):
        request = receive_complaint(
            team, datetime(2025, 2, 3, 9, 0, tzinfo=LONDON), kind="service_request"
        )
    case = receive_complaint(team, NOW, complainant=ADA)
    assert request.reference not in related(client, team.allocator, case)["category"]

    s.case_convert_to_complaint(
        case=request,
        actor=team.colleague,
        reason="Still unhappy.",
        occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=LONDON),
    )

    assert request.reference in related(client, team.allocator, case)["category"]
