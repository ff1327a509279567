"""The self-assessment against the Housing Ombudsman Code for 2026-27 over tests/data.py (a
Pivotal organisation): the figures worked out by hand, Pivotal's departures from the Code shown
at their provisions, the lead's answers saved and recorded, the CSV, and nobody else let in."""

import csv
import io

import pytest
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange
from fairhear.reporting.models import ANSWER_LIMIT, SelfAssessmentAnswer
from fairhear.reporting.tests.data import pivotal_story

pytestmark = pytest.mark.django_db

URL = reverse("reporting:self_assessment") + "?year=2026"


def _card(page: str, number: str) -> str:
    start = page.index(f'data-testid="provision-{number}"')
    return page[start : page.index('class="govuk-summary-card"', start + 1)]


def test_the_lead_sees_each_provision_with_the_years_figures_and_pivotals_departures(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # Stage 1 responses in 2026-27 by the Code's dates (test_tsm.py): C1, C3, C6 and C9 on
    # time, C2 late: 4 of 5 = 80%.
    stage1 = _card(page, "6.3")
    assert (
        "80% of stage 1 responses in 2026-27 were on time by the Code&#x27;s dates (4 of 5)."
        in (stage1)
    )
    assert "Meets the Code" in stage1
    # Stage 2: C1's response Tue 12 May, due Thu 21 May: 1 of 1.
    assert "100% of stage 2 responses in 2026-27 were on time" in _card(page, "6.14")
    # Received in the year: C1, C2, C3, C4, C5 (logged in May), C6, C9 = 7 (not the
    # compliment, not the other organisation's); refused: C4, 1 of 7 = 14%.
    assert "14% of complaints received in 2026-27 were not accepted (1 of 7)." in _card(page, "2.1")
    assert "7 complaints were received in 2026-27." in _card(page, "3.3")
    # Pivotal's departures (policy/rules.py): 6 months and no discretion at 2.3; stage 2
    # extensions without limit at 6.15.
    assert page.count("govuk-tag--red") == 3
    time_limit = _card(page, "2.3")
    assert "refuses complaints made more than 6 months after the issue" in time_limit
    assert "never accepts a complaint out of time" in time_limit
    assert "may be extended with no limit" in _card(page, "6.15")
    assert "Departs" not in _card(page, "6.3")
    # A provision Fairhear cannot evidence.
    assert "the organisation must say" in _card(page, "4.3")


def test_the_lead_writes_an_answer_and_each_save_is_in_the_change_log(client):
    story = pivotal_story()
    lead = story.team.lead
    client.force_login(lead)
    response = client.post(URL, {"answer-6-3": "We meet this.\r\n\r\n\r\nSee the figures.  "})
    assert response.status_code == 302
    answer = SelfAssessmentAnswer.objects.get(organisation=lead.organisation, year=2026)
    assert (answer.provision, answer.text) == ("6.3", "We meet this.\n\nSee the figures.")
    change = AdministrativeChange.objects.get(what="report.self_assessment")
    assert change.actor == lead
    assert change.before == {"6.3": ""}
    assert change.after == {"6.3": "We meet this.\n\nSee the figures."}
    assert "2026-27" in change.summary
    assert "We meet this." in _card(client.get(URL).content.decode(), "6.3")
    # The same text again changes nothing and records nothing.
    client.post(URL, {"answer-6-3": "We meet this.\n\nSee the figures."})
    assert AdministrativeChange.objects.filter(what="report.self_assessment").count() == 1
    # Another year's answers are its own.
    other = client.get(reverse("reporting:self_assessment") + "?year=2025").content.decode()
    assert "We meet this." not in other


def test_a_too_long_answer_is_refused_in_the_error_summary_and_kept_on_the_page(client):
    story = pivotal_story()
    client.force_login(story.team.lead)
    long = "x" * (ANSWER_LIMIT + 1)
    response = client.post(URL, {"answer-2-3": "Short.", "answer-6-3": long})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#answer-6-3">The answer to 6.3 is {ANSWER_LIMIT + 1:,} characters' in page
    assert long in page  # nothing typed is lost
    assert not SelfAssessmentAnswer.objects.exists()  # nor half saved
    assert not AdministrativeChange.objects.filter(what="report.self_assessment").exists()


def test_the_csv_holds_every_provision_formula_safe(client):
    story = pivotal_story()
    lead = story.team.lead
    client.force_login(lead)
    client.post(URL, {"answer-9-5": "=HYPERLINK(1)"})
    response = client.get(URL + "&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:2] == ["Section", "Provision"]
    assert body["9.5"]["Our answer"] == "'=HYPERLINK(1)"
    assert (body["6.3"]["Numerator"], body["6.3"]["Denominator"]) == ("4", "5")
    assert "with no limit" in body["6.15"]["Departures from the Code"]
    assert body["4.3"]["Evidence kind"] == "organisation"


def test_only_the_lead_may_open_the_self_assessment(client):
    story = pivotal_story()
    for user in (story.team.investigator, story.team.allocator):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"answer-6-3": "No."}).status_code == 403
    assert not SelfAssessmentAnswer.objects.exists()
    client.force_login(story.team.lead)
    bad = client.get(reverse("reporting:self_assessment") + "?year=1999")
    assert bad.status_code == 400
    assert "Choose a financial year from the list." in bad.content.decode()
