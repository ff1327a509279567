"""What a newcomer read on the pages and in the demo: the header of a compliment, a case page
with no deadlines, and the demo's job titles in the words of its own policy."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases.services import PersonDetails, case_forward_compliment
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.core.demo import create_demo
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


def test_a_compliment_page_says_compliment_once_and_lists_no_deadlines_inside_a_list(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        case = receive_complaint(
            team,
            datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
            kind=CaseKind.COMPLIMENT,
            summary="Thank you to the night worker.",
        )
        client.force_login(team.lead)
        body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

    caption = re.search(r'<span class="govuk-caption-l">(.*?)</span>', body, flags=re.S)
    assert caption is not None
    assert caption.group(1).strip() == "Compliment"
    # axe "definition-list": a <dl> may hold only <div>, <dt> and <dd>, so the sentence that
    # says there are no deadlines is a paragraph of its own.
    assert "No deadlines apply to this kind of case." in body
    for dl in re.findall(r"<dl\b.*?</dl>", body, flags=re.S):
        assert "<p" not in re.sub(r"<dd\b.*?</dd>", "", dl, flags=re.S)


def test_the_mmbm_demo_gives_its_colleagues_mmbms_own_job_titles_and_services():
    # MMBM §8.1: a complaint goes to the local manager; the pack's [roles] name each role.
    demo = create_demo(policy="mmbm", cases=0)

    titles = {name: user.job_title for name, user in demo.users.items()}
    assert titles["colleague"] == "Staff member"
    assert titles["allocator"] == "Local manager"
    assert titles["investigator"] == "Local management team"
    assert titles["reviewer"] == "Senior manager"
    areas = sorted(a.name for a in demo.org.service_areas.all())
    assert "Dorset" not in areas
    assert "Tenancies" in areas


def _page_text(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_everything_a_colleague_typed_when_logging_is_shown_on_the_case_page(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        case = receive_complaint(
            team,
            datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
            complainant=PersonDetails(
                name="Ada Lovelace", email="ada@example.org", address="1 Analytical Row\nBH1 1AA"
            ),
            representative=PersonDetails(
                name="Charles Babbage", email="cb@example.org", phone="01202 000111"
            ),
            representative_role="advocate",
            tenure="lcra",
            anti_social_behaviour=True,
            about_colleagues=[team.investigator2],
        )
        client.force_login(team.lead)
        text = _page_text(
            client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        )

    assert "1 Analytical Row BH1 1AA" in text
    assert "Advocate Charles Babbage cb@example.org 01202 000111" in text
    assert "Tenure of the home Low-cost rental" in text
    assert "Marked as Anti-social behaviour" in text
    assert f"Colleagues it is about {team.investigator2}" in text


def test_a_forwarded_compliment_names_who_it_was_about_and_the_line_manager_told(client):
    # Pivotal §19.3: compliments are passed on through the line management process.
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        case = receive_complaint(
            team,
            datetime(2026, 3, 2, 9, 30, tzinfo=LONDON),
            kind=CaseKind.COMPLIMENT,
            summary="Thank you to the night worker.",
            about_colleagues=[team.colleague],
        )
        case_forward_compliment(case=case, actor=team.investigator2, note="Well done.")
        client.force_login(team.lead)
        text = _page_text(
            client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        )

    # The demo team's colleague reports to the lead (factories.make_team).
    assert f"About {team.colleague}" in text
    assert f"Passed to line manager {team.lead}" in text
