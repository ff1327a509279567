"""The CQC's request for a summary (CQC Regulation 16(3)) over the small MMBM 2026 of
tests/data.py (mmbm_story), for the period Sun 1 Mar to Thu 30 Apr 2026. Every number is
counted by hand from the story:

- received: M1 (Mon 2 Mar), M2 (Tue 10 Mar), M3 (Wed 18 Mar): 3; causes housing 2 (M1, M3),
  support 1 (M2), staff conduct 1 (M3); service areas Supported living 2 (M1, M2), not
  recorded 1 (M3); escalations accepted: stage 2, 1 (M2, Tue 14 Apr).
- responses: stage 1, M2's on Thu 26 Mar (on time); stage 2, M2's on Thu 30 Apr (on time).
- outcomes: stage 1 not upheld 1, stage 2 upheld 1, withdrawn 1 (M3, Fri 20 Mar), refused 0;
  closed in the period: M1 (Wed 4 Mar) and M3 (Fri 20 Mar), both at local resolution (M2 closed
  on Fri 15 May, after the period).
- correspondence added here: a call from the complainant on M2 (Mon 16 Mar), an e-mail to them
  on M2 (Tue 17 Mar) and a letter to them on M1 on Fri 1 May (after the period: not counted).
"""

import re
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.models import ServiceArea
from fairhear.cases.services import case_record_communication
from fairhear.cases.tests.factories import make_team
from fairhear.reporting.cqc import cqc_request_record, cqc_summary
from fairhear.reporting.events import Scope
from fairhear.reporting.models import CqcRequest
from fairhear.reporting.tests.data import london, mmbm_story

pytestmark = pytest.mark.django_db

MARCH, APRIL_END = date(2026, 3, 1), date(2026, 4, 30)


def _talk(team, case, when, direction, channel):
    with time_machine.travel(when, tick=False):
        case_record_communication(
            case=case,
            actor=team.investigator,
            direction=direction,
            channel=channel,
            summary="Talked about the support plan.",
        )


@pytest.fixture
def story():
    team, (m1, m2, m3) = mmbm_story()
    _talk(team, m2, london(2026, 3, 16), "in", "call")
    _talk(team, m2, london(2026, 3, 17), "out", "email")
    _talk(team, m1, london(2026, 5, 1), "out", "letter")
    return team, (m1, m2, m3)


def _request(team, **kw) -> CqcRequest:
    fields = {
        "received_on": date(2026, 5, 4),
        "period_from": MARCH,
        "period_to": APRIL_END,
        "cqc_reference": "CQC-INS-123",
    } | kw
    with time_machine.travel(london(2026, 5, 4, 12), tick=False):
        return cqc_request_record(organisation=team.org, actor=team.lead, **fields)


def test_the_summary_counts_complaints_responses_outcomes_and_correspondence(story):
    team, _ = story
    summary = cqc_summary(Scope(team.org), MARCH, APRIL_END)

    assert summary["received"] == 3
    assert {k: v for k, v in summary["causes"].items() if v} == {
        "housing": 2,
        "support": 1,
        "staff_conduct": 1,
    }
    assert summary["by_service_area"] == {"Supported living": 2, "not recorded": 1}
    assert summary["escalated"] == {"2": 1}
    assert [(r["stage"], r["sent"], r["on_time"], r["late"]) for r in summary["responses"]] == [
        ("1", 1, 1, 0),
        ("2", 1, 1, 0),
    ]
    assert {k: v for k, v in summary["outcomes"].items() if v} == {
        "stage 1 not_upheld": 1,
        "stage 2 upheld": 1,
        "withdrawn": 1,
    }
    assert summary["stage_reached"] == {"0": 2}
    assert {k: v for k, v in summary["correspondence"].items() if v} == {
        ("in", "call"): 1,
        ("out", "email"): 1,
    }


def test_a_request_for_one_registered_service_counts_only_its_cases(story):
    team, _ = story
    summary = cqc_summary(Scope(team.org, service_area="Supported living"), MARCH, APRIL_END)
    # M1 (housing) and M2 (support); M3 has no service area.
    assert summary["received"] == 2
    assert {k: v for k, v in summary["causes"].items() if v} == {"housing": 1, "support": 1}
    assert {k: v for k, v in summary["outcomes"].items() if v} == {
        "stage 1 not_upheld": 1,
        "stage 2 upheld": 1,
    }


def test_the_request_page_shows_the_summary_without_names_and_the_pdf_the_same(story, client):
    team, (m1, m2, m3) = story
    request = _request(team)
    client.force_login(team.lead)
    with time_machine.travel(london(2026, 5, 20, 12), tick=False):
        page = client.get(reverse("reporting:cqc_request", args=[request.pk]))
        pdf = client.get(reverse("reporting:cqc_pdf", args=[request.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    # Received Mon 4 May 2026: due 28 days later, Mon 1 Jun; on Wed 20 May 12 days are left.
    assert "Mon 1 Jun 2026" in text
    assert "12 days left" in text
    assert "Ada Lovelace" not in text  # every story complainant's name (factories.py)
    for case in (m1, m2, m3):
        assert case.reference not in text
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    if pdftotext := shutil.which("pdftotext"):
        words = subprocess.run(  # noqa: S603 - our own PDF, a fixed command
            [pdftotext, "-layout", "-", "-"],
            input=pdf.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "Summary of complaints for the Care Quality Commission" in words
        assert re.search(r"Complaints received\s.*\s3\n", words)
        assert re.search(r"Stage 1\s+1\s+1\s+0", words)
        assert re.search(r"Phone call\s+1\s+0", words)
        assert re.search(r"E-mail\s+0\s+1", words)
        assert "Ada Lovelace" not in words


def _post(client, **fields):
    data = {
        "received_on_day": "4",
        "received_on_month": "5",
        "received_on_year": "2026",
        "period_from_day": "1",
        "period_from_month": "3",
        "period_from_year": "2026",
        "period_to_day": "30",
        "period_to_month": "4",
        "period_to_year": "2026",
        "service_area": "",
        "cqc_reference": "",
        "notes": "",
    } | fields
    with time_machine.travel(london(2026, 5, 4, 12), tick=False):
        return client.post(reverse("reporting:cqc_new"), data)


def test_recording_a_request_lists_it_due_in_28_days(client):
    team = make_team("mmbm")
    area = ServiceArea.objects.create(organisation=team.org, name="Supported living")
    client.force_login(team.lead)
    response = _post(client, service_area=str(area.pk), cqc_reference="INS-9")
    request = CqcRequest.objects.get()
    assert response.status_code == 302
    assert request.service_area == area
    assert request.recorded_by == team.lead
    with time_machine.travel(london(2026, 5, 31, 9), tick=False):
        client.force_login(team.lead)  # a new day's session
        listing = client.get(reverse("reporting:cqc")).content.decode()
    assert "Mon 1 Jun 2026" in listing  # 4 May + 28 days
    assert "1 day left" in listing
    assert "Due" in listing


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"received_on_day": ""}, "received_on", "The date must include a day."),
        (
            {"received_on_day": "5"},
            "received_on",
            "The date received must be today or in the past",
        ),
        (
            {"received_on_day": "31", "received_on_month": "2"},
            "received_on",
            "Enter a real date",
        ),
        (
            {"period_to_day": "28", "period_to_month": "2"},
            "period_to",
            "The end of the period must be the same as or after its start.",
        ),
        (
            {"period_from_day": "", "period_from_month": "", "period_from_year": ""},
            "period_from",
            "Enter the first day of the period the CQC asked about.",
        ),
        ({"service_area": "999"}, "service_area", "Choose a service from the list"),
        ({"notes": "x" * 2001}, "notes", "Shorten the notes to 2,000 characters or fewer."),
    ],
)
def test_each_wrong_field_says_how_to_fix_it(client, fields, field, message):
    team = make_team("mmbm")
    client.force_login(team.lead)
    response = _post(client, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")  # the error summary
    assert not CqcRequest.objects.exists()


def test_record_as_sent_after_a_confirmation_and_only_once(story, client):
    team, _ = story
    request = _request(team)
    client.force_login(team.lead)
    url = reverse("reporting:cqc_sent", args=[request.pk])
    with time_machine.travel(london(2026, 6, 3, 12), tick=False):
        confirm = client.get(url).content.decode()
        assert "This cannot be undone" in confirm
        early = client.post(url, {"sent_on_day": "3", "sent_on_month": "5", "sent_on_year": "2026"})
        assert "on or after the day the request was received" in early.content.decode()
        client.post(url, {"sent_on_day": "2", "sent_on_month": "6", "sent_on_year": "2026"})
        listing = client.get(reverse("reporting:cqc")).content.decode()
        again = client.post(url, {"sent_on_day": "3", "sent_on_month": "6", "sent_on_year": "2026"})
    request.refresh_from_db()
    # Due Mon 1 Jun, sent Tue 2 Jun: a day late.
    assert request.sent_on == date(2026, 6, 2)
    assert request.sent_by == team.lead
    assert "Sent late" in listing
    assert "Sent 1 day late" in listing
    assert again.status_code == 302  # already sent: nothing changes
    request.refresh_from_db()
    assert request.sent_on == date(2026, 6, 2)


def test_only_the_lead_may_open_the_cqc_pages(story, client):
    team, _ = story
    request = _request(team)
    client.force_login(team.investigator)
    for url in (
        reverse("reporting:cqc"),
        reverse("reporting:cqc_new"),
        reverse("reporting:cqc_request", args=[request.pk]),
        reverse("reporting:cqc_pdf", args=[request.pk]),
        reverse("reporting:cqc_sent", args=[request.pk]),
    ):
        assert client.get(url).status_code == 403
    other = make_team("mmbm")
    client.force_login(other.lead)
    assert client.get(reverse("reporting:cqc_request", args=[request.pk])).status_code == 404


def test_the_reports_page_offers_the_cqc_summary_only_when_the_pack_names_the_cqc(client):
    mmbm, pivotal = make_team("mmbm"), make_team("pivotal")
    client.force_login(mmbm.lead)
    assert 'data-testid="cqc-link"' in client.get(reverse("reporting:reports")).content.decode()
    client.force_login(pivotal.lead)
    assert 'data-testid="cqc-link"' not in client.get(reverse("reporting:reports")).content.decode()
    page = client.get(reverse("reporting:cqc")).content.decode()
    assert "does not name the Care Quality Commission" in page
