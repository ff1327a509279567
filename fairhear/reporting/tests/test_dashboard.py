"""The dashboard: charts with their tables for a chosen period, filters that change the
figures, every number a link to exactly the cases behind it, the same 403 and 404 rules as the
Reports page, and a number of queries that does not grow with the cases. (How the figures are
kept between views is test_dashboard_kept.py's.)

Every figure is worked out by hand from the story in tests/data.py (April and May 2026):
- received (a): April C1, C2, C3, C4, C9 (5); May C5 (logged as a complaint 5 May), C6 (2);
- resolved (b): May C1 (final response 12 May) and C6 (closed 28 May); none in April;
- service areas: Housing C1, C2, C3, C5, C9 (5); Care C4, C6 (2); every case is in the
  factory's category "repairs";
- stage 1 responses: C1, C2, C3, C9 in April, C6 in May. On time by Pivotal's own dates: C1,
  C3 (extended, told in time), C6; C2 and C9 late: 3 of 5, 60.0%. By the Code: C9 too (its
  Code date is Fri 1 May): 4 of 5, 80.0%. Stage 2: C1, on time both ways: 1 of 1;
- outcomes: stage 1 upheld C1, C3, C6; partly upheld C2; not upheld C9; stage 2 not upheld
  C1; refused C4 (9 April); none withdrawn;
- stage 2 rate: April 1 escalation accepted (C1, 21 Apr) of 4 stage 1 responses, 25.0%; May 0
  of 1, 0.0%; the whole period 1 of 5, 20.0%;
- compliments: one, Housing.
"""

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairhear.accounts.models import ServiceArea
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.reporting.forms import last_twelve_months
from fairhear.reporting.tests.data import london, pivotal_story

pytestmark = pytest.mark.django_db

APRIL_MAY = "?start=2026-04-01&end=2026-05-31"


def _page(client, query: str = APRIL_MAY) -> str:
    response = client.get(reverse("reporting:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


def _table(page: str, key: str) -> list[list[str]]:
    """A chart's table as rows of cell texts (links and hidden words left out)."""
    table = re.search(rf'data-testid="table-{key}">(.*?)</table>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        cleaned = []
        for c in cells:
            c = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", c, flags=re.S)
            cleaned.append(" ".join(re.sub(r"<[^>]+>", " ", c).split()))
        rows.append(cleaned)
    return rows


def _link(page: str, key: str, column: str, row: str) -> str:
    found = re.search(
        rf'href="(/reports/dashboard/cases/\?[^"]*chart={key}&amp;column={column}&amp;row={row})"',
        page,
    )
    assert found, (key, column, row)
    return found.group(1).replace("&amp;", "&")


def _references(client, link: str) -> list[str]:
    page = client.get(link)
    assert page.status_code == 200
    listed = page.content.decode().partition('data-testid="figure-cases"')[2]
    return sorted(re.findall(r'href="/cases/([^/"]+)/"', listed.partition("</table>")[0]))


def test_the_dashboard_shows_each_chart_with_its_table_and_the_hand_worked_figures(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    page = _page(client)
    for key in (
        "volumes",
        "categories",
        "service-areas",
        "timeliness",
        "outcomes",
        "stage2-rate",
        "compliments",
    ):
        panel = re.search(rf'data-testid="panel-{key}">(.*?)</section>', page, re.S).group(1)
        # The chart, a named image, comes first; then its table with a caption and headers.
        assert panel.index('role="img"') < panel.index("<table")
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in panel
        assert "<caption" in panel
        assert 'scope="col"' in panel
        assert 'scope="row"' in panel
    assert _table(page, "volumes") == [
        ["Apr 2026", "5", "0"],
        ["May 2026", "2", "2"],
        ["Whole period", "7", "2"],
    ]
    assert ["Repairs and maintenance", "7"] in _table(page, "categories")
    assert ["Staff conduct", "0"] in _table(page, "categories")
    assert _table(page, "service-areas") == [["Care", "2"], ["Housing", "5"]]
    assert _table(page, "timeliness") == [
        ["Stage 1 responses", "3 of 5 (60.0%)", "4 of 5 (80.0%)"],
        ["Stage 2 responses", "1 of 1 (100.0%)", "1 of 1 (100.0%)"],
    ]
    assert _table(page, "outcomes") == [
        ["Stage 1 responses", "3", "1", "1", "0", "0"],
        ["Stage 2 responses", "0", "0", "1", "0", "0"],
        ["Refused or withdrawn", "0", "0", "0", "1", "0"],
    ]
    assert _table(page, "stage2-rate") == [
        ["Apr 2026", "1 of 4 (25.0%)"],
        ["May 2026", "0 of 1 (0.0%)"],
        ["Whole period", "1 of 5 (20.0%)"],
    ]
    assert _table(page, "compliments") == [["Housing", "1"]]
    # The charts carry the same numbers.
    assert "60.0% policy" in page
    assert "80.0% Code" in page


def test_a_number_leads_to_exactly_the_cases_behind_it(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    page = _page(client)
    april = _link(page, "volumes", "a_received", "2026-04")
    assert _references(client, april) == story.ref("C1", "C2", "C3", "C4", "C9")
    care = _link(page, "service-areas", "received_by_service_area", "Care")
    assert _references(client, care) == story.ref("C4", "C6")
    own = _link(page, "timeliness", "on_time_by_stage", "1")
    assert _references(client, own) == story.ref("C1", "C3", "C6")
    code = _link(page, "timeliness", "code_on_time_by_stage", "1")
    assert _references(client, code) == story.ref("C1", "C3", "C6", "C9")
    upheld = _link(page, "outcomes", "upheld", "1")
    assert _references(client, upheld) == story.ref("C1", "C3", "C6")
    refused = _link(page, "outcomes", "refused", "none")
    assert _references(client, refused) == story.ref("C4")
    # A number that is 0 is not a link: nothing is behind it.
    assert "column=b_resolved&amp;row=2026-04" not in page
    # The list downloads as CSV, the same cases.
    csv = b"".join(client.get(april + "&export=csv").streaming_content).decode()
    assert sorted(line.split(",")[0] for line in csv.splitlines()[1:]) == story.ref(
        "C1", "C2", "C3", "C4", "C9"
    )


def test_the_filters_change_the_figures(client):
    story = pivotal_story()
    with time_machine.travel(london(2026, 5, 20), tick=False):
        care = ServiceArea.objects.get(organisation=story.team.org, name="Care")
        late = receive_complaint(
            story.team, london(2026, 5, 20), service_area=care, categories=["communication"]
        )
    client.force_login(story.team.lead)
    everything = _page(client)
    assert _table(everything, "volumes")[-1] == ["Whole period", "8", "2"]
    # Care only: C4 and C6, and the new complaint of 20 May.
    in_care = _page(client, APRIL_MAY + "&service_area=Care")
    assert "1 April 2026 to 31 May 2026, Care" in in_care
    assert _table(in_care, "volumes") == [
        ["Apr 2026", "1", "0"],
        ["May 2026", "2", "1"],
        ["Whole period", "3", "1"],
    ]
    assert _table(in_care, "service-areas") == [["Care", "3"]]
    assert _table(in_care, "timeliness") == [
        ["Stage 1 responses", "1 of 1 (100.0%)", "1 of 1 (100.0%)"],
        ["Stage 2 responses", "0 of 0", "0 of 0"],  # nothing to divide by: no percentage
    ]
    assert _table(in_care, "compliments") == [["Nothing to show for this period."]]
    # One category: only the new complaint is about communication.
    talk = _page(client, APRIL_MAY + "&category=communication")
    assert "Communication and information" in talk
    assert _table(talk, "volumes") == [
        ["Apr 2026", "0", "0"],
        ["May 2026", "1", "0"],
        ["Whole period", "1", "0"],
    ]
    link = _link(talk, "volumes", "a_received", "all")
    assert _references(client, link) == [late.reference]
    # A shorter period: April only.
    april = _page(client, "?start=2026-04-01&end=2026-04-30")
    assert _table(april, "volumes") == [["Apr 2026", "5", "0"], ["Whole period", "5", "0"]]


def test_to_start_with_the_dashboard_shows_the_last_twelve_months(client):
    assert last_twelve_months(date(2026, 6, 15)) == {"start": "2025-07-01", "end": "2026-06-15"}
    assert last_twelve_months(date(2026, 12, 31)) == {"start": "2026-01-01", "end": "2026-12-31"}
    assert last_twelve_months(date(2026, 1, 1)) == {"start": "2025-02-01", "end": "2026-01-01"}
    team = make_team("pivotal")
    client.force_login(team.lead)
    with time_machine.travel(london(2026, 6, 15), tick=False):
        page = _page(client, "")
    assert "1 July 2025 to 15 June 2026" in page
    assert len(_table(page, "volumes")) == 13  # twelve months and the whole period


def test_bad_dates_are_named_in_the_error_summary(client):
    team = make_team("pivotal")
    client.force_login(team.lead)
    page = _page(client, "?start=2026-13-01&end=2026-01-01")
    assert "There is a problem" in page
    assert "Enter the &#x27;from&#x27; date as a date, for example 2026-04-01." in page
    assert 'data-testid="panel-' not in page
    backwards = _page(client, "?start=2026-05-01&end=2026-04-01")
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date." in (
        backwards
    )
    unknown = _page(client, APRIL_MAY + "&service_area=Nowhere")
    assert "Choose a service area from the list, or Any." in unknown


def test_only_the_lead_sees_the_dashboard_and_only_their_own_cases(client):
    story = pivotal_story()
    client.force_login(story.team.investigator)
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    assert client.get(reverse("reporting:dashboard_cases") + APRIL_MAY).status_code == 403
    client.force_login(story.team.lead)
    # A number that is not on the dashboard is not found.
    cases = reverse("reporting:dashboard_cases") + APRIL_MAY
    assert client.get(cases + "&chart=volumes&column=a_received&row=2027-01").status_code == 404
    assert client.get(cases + "&chart=nothing&column=a_received&row=all").status_code == 404
    assert client.get(cases + "&chart=volumes&column=nothing&row=all").status_code == 404
    # The other organisation's lead counts their own one complaint and sees none of these.
    client.force_login(story.other.lead)
    page = _page(client)
    assert _table(page, "volumes")[-1] == ["Whole period", "1", "0"]
    listed = _references(client, _link(page, "volumes", "a_received", "all"))
    assert len(listed) == 1
    assert listed[0] not in story.ref(*story.cases)


def test_the_number_of_queries_does_not_grow_with_the_cases(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    _page(client)  # the first page after signing in also saves the session
    with CaptureQueriesContext(connection) as kept:
        _page(client)  # nothing recorded since: the figures kept are shown (reporting/kept.py)
    with time_machine.travel(london(2026, 5, 27), tick=False):
        for day in (21, 22, 26):
            receive_complaint(story.team, london(2026, 5, day))
    with CaptureQueriesContext(connection) as before:
        page = _page(client)  # counted again before the page is shown
    assert _table(page, "volumes")[-1] == ["Whole period", "10", "2"]
    with time_machine.travel(london(2026, 5, 28), tick=False):
        for day in (27, 28):
            receive_complaint(story.team, london(2026, 5, day))
    with CaptureQueriesContext(connection) as after:
        page = _page(client)
    assert _table(page, "volumes")[-1] == ["Whole period", "12", "2"]
    assert len(after) == len(before)
    assert len(after) < 150
    assert len(kept) <= 15


def test_the_cases_behind_a_number_come_a_page_at_a_time_and_all_in_the_csv(client, monkeypatch):
    """A number may stand for thousands of cases: they are listed a page at a time (here 2 a
    page, 50 in use), and the CSV, read a chunk at a time (here 2), has every one, once."""
    monkeypatch.setattr("fairhear.reporting.views.CASES_PAGE", 2)
    monkeypatch.setattr("fairhear.reporting.views.CSV_CHUNK", 2)
    story = pivotal_story()
    client.force_login(story.team.lead)
    april = _link(_page(client), "volumes", "a_received", "2026-04")
    everyone = story.ref("C1", "C2", "C3", "C4", "C9")
    first = client.get(april).content.decode()
    assert "5 cases: 1 to 2" in first
    assert _references(client, april) == everyone[:2]
    assert 'aria-label="Page 3"' in first
    assert _references(client, april + "&page=3") == everyone[4:]
    assert "5 cases: 5 to 5" in client.get(april + "&page=3").content.decode()
    csv = b"".join(client.get(april + "&export=csv").streaming_content).decode().splitlines()
    assert csv[0].startswith("Reference,")
    assert sorted(line.split(",")[0] for line in csv[1:]) == everyone
