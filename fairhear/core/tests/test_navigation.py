"""The service navigation on signed-in pages: each colleague sees the links their work needs,
the current page is marked for screen readers (aria-current) and in bold without CSS, and a
section of several pages (Learning, Administration) is marked on each of them."""

from __future__ import annotations

import pytest
from django.test.html import parse_html
from django.urls import reverse

from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases.tests.factories import make_team
from fairhear.domain.policy.schema import Capability

pytestmark = pytest.mark.django_db


def _links(client, url: str) -> list[tuple[str, str, str]]:
    """(label, address, aria-current) of each link in the service navigation."""
    body = client.get(url).content.decode()
    start = body.index('<ul class="govuk-service-navigation__list"')
    end = body.index("</ul>", start) + len("</ul>")
    found = []
    for item in parse_html(body[start:end]).children:
        if getattr(item, "name", "") != "li":
            continue
        for link in item.children:
            if getattr(link, "name", "") == "a":
                attrs = dict(link.attributes)
                label = "".join(
                    str(c) if isinstance(c, str) else "".join(map(str, c.children))
                    for c in link.children
                )
                found.append((label, attrs["href"], attrs.get("aria-current", "")))
    return found


def test_an_investigator_has_the_casework_links_and_my_work_is_the_current_page(client):
    team = make_team("pivotal")
    client.force_login(team.investigator)

    links = _links(client, reverse("cases:my_work"))

    assert links == [
        ("My work", reverse("cases:my_work"), "page"),
        ("Log a case", reverse("cases:log"), ""),
        ("Search", reverse("cases:search"), ""),
        ("Cases I logged", reverse("cases:logged"), ""),
        ("Your account", reverse("account"), ""),
    ]
    body = client.get(reverse("cases:my_work")).content.decode()
    assert '<strong class="govuk-service-navigation__active-fallback">My work</strong>' in body


def test_the_lead_has_the_access_log_reports_learning_administration_and_both_mail_pages(client):
    team = make_team("pivotal")
    client.force_login(team.lead)

    labels = [label for label, _, _ in _links(client, reverse("reporting:reports"))]
    current = [(label, aria) for label, _, aria in _links(client, reverse("reporting:reports"))]

    assert labels == [
        "My work",
        "Log a case",
        "Search",
        "Cases I logged",
        "Access log",
        "Reports",
        "Learning",
        "Administration",
        "Outgoing e-mail",
        "E-mail on no case",
        "Your account",
    ]
    assert [c for c in current if c[1]] == [("Reports", "page")]


def test_a_section_is_current_on_each_of_its_pages_and_your_account_is_never_bold(client):
    team = make_team("pivotal")
    admin = UserFactory(organisation=team.org, capabilities=[Capability.ADMINISTER.value])
    client.force_login(admin)

    on_admin = _links(client, reverse("administration:index"))
    on_account = client.get(reverse("account")).content.decode()

    assert ("Administration", reverse("administration:index"), "true") in on_admin
    assert ("Outgoing e-mail", reverse("outbox:list"), "") in on_admin
    assert "E-mail on no case" not in [label for label, _, _ in on_admin]
    assert 'aria-current="page">Your account</a>' in on_account
