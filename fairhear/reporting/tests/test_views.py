"""The lead officer's Reports page: the figures for a chosen period, each number a link to the
cases behind it (and their CSV); nobody else may open it; a bad date is told in the summary."""

import pytest
from django.urls import reverse

from fairhear.reporting.tests.data import pivotal_story

pytestmark = pytest.mark.django_db

APRIL_MAY = "?start=2026-04-01&end=2026-05-31&by=month&service_area=&category="


def test_the_lead_follows_a_number_to_its_cases_and_their_csv(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    page = client.get(reverse("reporting:reports") + APRIL_MAY).content.decode()
    assert 'data-testid="pivotal-kpis"' in page
    assert "Complaints received" in page
    # April's complaints received: C1, C2, C3, C4 and C9 (tests/data.py).
    link = reverse("reporting:cases") + APRIL_MAY.replace(
        "?", "?figure=a_received&period=2026-04&", 1
    )
    cases = client.get(link)
    assert cases.status_code == 200
    listed = cases.content.decode()
    for reference in story.ref("C1", "C2", "C3", "C4", "C9"):
        assert reference in listed
    assert story.cases["C5"].reference not in listed  # received in May
    csv = b"".join(client.get(link + "&export=csv").streaming_content).decode()
    assert sorted(line.split(",")[0] for line in csv.splitlines()[1:]) == story.ref(
        "C1", "C2", "C3", "C4", "C9"
    )
    # A refusal reason is a number of its own: 6.1b in April is C4.
    reason = client.get(link.replace("a_received", "a_refused_by_reason") + "&part=6.1b")
    assert story.cases["C4"].reference in reason.content.decode()
    assert story.cases["C1"].reference not in reason.content.decode()


def test_only_the_lead_may_see_the_reports(client):
    story = pivotal_story()
    client.force_login(story.team.investigator)
    assert client.get(reverse("reporting:reports")).status_code == 403
    assert client.get(reverse("reporting:cases") + APRIL_MAY).status_code == 403


def test_a_bad_period_is_named_in_the_error_summary(client):
    from fairhear.cases.tests.factories import make_team

    team = make_team("pivotal")
    client.force_login(team.lead)
    page = client.get(reverse("reporting:reports") + "?start=2026-13-01&end=2026-01-01&by=month")
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Enter the &#x27;from&#x27; date as a date, for example 2026-04-01." in text
    backwards = client.get(
        reverse("reporting:reports") + "?start=2026-05-01&end=2026-04-01&by=month"
    )
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date." in (
        backwards.content.decode()
    )
    # With no period chosen the page shows this year so far.
    assert 'data-testid="pivotal-kpis"' in client.get(reverse("reporting:reports")).content.decode()


def test_the_header_links_to_the_reports_for_the_lead_only(client):
    from fairhear.cases.tests.factories import make_team

    team = make_team("pivotal")
    client.force_login(team.lead)
    assert 'href="/reports/"' in client.get(reverse("cases:my_work")).content.decode()
    client.force_login(team.investigator)
    assert 'href="/reports/"' not in client.get(reverse("cases:my_work")).content.decode()


def test_a_date_out_of_range_is_refused_in_words(client):
    from fairhear.cases.tests.factories import make_team

    team = make_team("pivotal")
    client.force_login(team.lead)
    page = client.get(reverse("reporting:reports") + "?start=2026-01-01&end=9999-12-31&by=year")
    assert page.status_code == 200
    assert "Choose a date from 1 January 2000 to 31 December 2099." in page.content.decode()


def test_each_number_leads_to_the_cases_the_whole_report_counts_for_it(client):
    """A number's list counts only that figure (and what its rate or split is made from): its
    cases are those the whole report gives for it, for every figure, month and reason."""
    import re
    from datetime import date

    from fairhear.cases.selectors import case_list_visible_to
    from fairhear.domain.kpis import By
    from fairhear.reporting.events import Scope
    from fairhear.reporting.figures import pivotal_kpis

    story = pivotal_story()
    lead = story.team.lead
    client.force_login(lead)
    scope = Scope(lead.organisation, cases=case_list_visible_to(user=lead))
    report = pivotal_kpis(scope, date(2026, 4, 1), date(2026, 5, 31), By.MONTH)
    checked = 0
    for period in [*report["periods"], report["total"]]:
        for key, figure in period["figures"].items():
            parts = [("", figure), *figure.get("by_reason", {}).items()]
            for part, counted in parts:
                query = f"&figure={key}&period={period['period']}" + (
                    f"&part={part}" if part else ""
                )
                page = client.get(reverse("reporting:cases") + APRIL_MAY + query)
                assert page.status_code == 200
                listed = page.content.decode().partition('data-testid="figure-cases"')[2]
                found = re.findall(r'href="/cases/([^/"]+)/"', listed.partition("</table>")[0])
                assert sorted(found) == sorted(counted["references"]), (key, period["period"], part)
                checked += bool(found)
    assert checked >= 10  # the story gives most figures some cases
