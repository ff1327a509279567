"""The filters above a list, made once per process for the same filters and choices
(views/listing.filters_panel): what is chosen shows as chosen, and a colleague, service area
or filter that changes is in the very next panel."""

from __future__ import annotations

import pytest
from django.test.html import parse_html
from django.urls import reverse

from fairhear.accounts.models import ServiceArea
from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases.tests.factories import make_team
from fairhear.domain.policy.schema import Capability

pytestmark = pytest.mark.django_db


def _panel(client, url: str) -> str:
    body = client.get(url).content.decode()
    start = body.index('<details class="govuk-details fh-filters"')
    return body[start : body.index("</details>", start) + len("</details>")]


def test_a_colleague_and_a_service_area_added_are_offered_on_the_next_page(client):
    team = make_team("pivotal")
    client.force_login(team.lead)
    url = reverse("cases:queue", args=["overdue"])
    before = _panel(client, url)

    UserFactory(
        organisation=team.org,
        first_name="Priya",
        last_name="Newcombe",
        capabilities=[Capability.INVESTIGATE.value],
    )
    ServiceArea.objects.create(organisation=team.org, name="Riverside extra care")
    after = _panel(client, url)

    assert "Priya Newcombe" not in before
    assert "Riverside extra care" not in before
    assert ">Priya Newcombe</option>" in after
    assert ">Riverside extra care</option>" in after


def test_the_filters_chosen_show_as_chosen_and_the_panel_opens(client):
    team = make_team("pivotal")
    client.force_login(team.lead)
    url = reverse("cases:queue", args=["overdue"])

    plain = _panel(client, url)
    chosen = _panel(client, f"{url}?kind=compliment&flags=safeguarding")
    plain_again = _panel(client, url)

    assert parse_html(plain) == parse_html(plain_again)
    assert " open>" not in plain.split("\n", 1)[0]
    assert chosen.startswith('<details class="govuk-details fh-filters" open>')
    assert '<option value="compliment" selected>' in chosen
    assert 'type="checkbox" value="safeguarding" checked>' in chosen
    assert 'type="checkbox" value="safeguarding" checked>' not in plain
    assert '<option value="compliment" selected>' not in plain
