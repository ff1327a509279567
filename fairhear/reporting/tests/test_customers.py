"""The annual report to customers (Pivotal 21.4 and 21.1): the lead writes its sections,
previews it and publishes it; anyone reads the published year on a public page and as a PDF,
with the hand-worked figures of tests/data.py and never a case reference; what was published
stays as it was when later cases arrive, and a correction is a new version."""

import json
import re
import subprocess

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.reporting.models import CustomerReport
from fairhear.reporting.tests.data import london, pivotal_story

pytestmark = pytest.mark.django_db

PREPARE = reverse("reporting:customers_prepare") + "?period=2026"
PREVIEW = reverse("reporting:customers_preview") + "?period=2026"
PUBLISH = reverse("reporting:customers_publish") + "?period=2026"
LEARNED = "Residents told us repairs took too long to book.\r\n\r\nWe listened."
CHANGED = "Repairs can now be booked the same day."

# Pivotal 21.3 (a) to (i) for the financial year 1 April 2026 to 31 March 2027, worked out by
# hand from the story in tests/data.py (all of it falls in April and May 2026):
# (a) received C1, C2, C3, C4, C9 in April and C5, C6 in May: 7; C4 refused (6.1b): 1 of 7,
#     14.3%. (b) closed: C1 (its stage 2 response, Tue 12 May) and C6 (Thu 28 May): 2.
# (c) C1's escalation accepted Tue 21 Apr: 1. (d) C1's stage 2 response: 1.
# (e) responses: C1 stage 1, C3, C1 stage 2 and C6 on time; C2 and C9 late by Pivotal's dates:
#     4 of 6, 66.7%. (f) C3 extended and told: 1. (g) its reason assessed as good: 1 of 1.
# (h) C1 (very satisfied) and C6 (closed 10.1a): 2 of 2. (i) C4's referral: 1.
STATEMENTS = [
    "We received 7 complaints. We did not accept 1 of them (14.3%) as complaints under our policy.",
    "We resolved 2 complaints.",
    "1 complaint went on to stage 2, where we look at a complaint again when the resident asks "
    "us to. We sent 1 stage 2 response.",
    "We sent 4 of our 6 responses (66.7%) within the timescales our policy sets.",
    "When we needed more time to answer, we told the resident before the original date in 1 "
    "case. There was a good reason for the extra time in 1 of them (100.0%).",
    "2 of the 2 complaints we resolved (100.0%) were resolved to the complainant's satisfaction.",
    "1 complaint was referred to the Housing Ombudsman.",
]


def words(html: str) -> str:
    """The page's text, every run of spaces and line breaks one space, tags dropped."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&amp;", "&")
    return " ".join(text.split())


def pdf_words(pdf: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it, every run of spaces one space."""
    assert pdf.startswith(b"%PDF-")
    out = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(out.stdout.decode().split())


def publish_2026(client, story, **more):
    """The lead writes the two sections and publishes 2026-27 on 1 June 2027."""
    client.force_login(story.team.lead)
    client.post(PREPARE, {"learned": LEARNED, "changed": CHANGED})
    return client.post(PUBLISH, {"confirm": "on", **more}, follow=True)


def test_the_lead_publishes_the_year_and_anyone_reads_the_same_figures_on_the_page_and_pdf(
    client,
):
    story = pivotal_story()
    org = story.team.org
    with time_machine.travel(london(2027, 6, 1), tick=False):
        client.force_login(story.team.lead)
        saved = client.post(PREPARE, {"learned": LEARNED, "changed": CHANGED}, follow=True)
        assert "Sections saved." in saved.content.decode()
        assert "Written so far: What we learned from complaints, What we changed" in (
            saved.content.decode()
        )
        preview = words(client.get(PREVIEW).content.decode())
        assert "Preview, not published" in preview
        assert "We received 7 complaints." in preview
        assert "Publish this report" in preview

        confirm = client.get(PUBLISH).content.decode()
        assert "Anyone will be able to read it without signing in" in confirm
        done = client.post(PUBLISH, {"confirm": "on"}, follow=True)
        assert "Published version 1 of the annual report to customers for 2026-27." in (
            done.content.decode()
        )
        change = AdministrativeChange.objects.get(what="report.customers.publish")
        assert change.actor == story.team.lead

        client.logout()
        page = client.get(reverse("annual:report", args=[org.slug, 2026]))
        assert page.status_code == 200
        html = page.content.decode()
        pdf = client.get(reverse("annual:pdf", args=[org.slug, 2026]))
    text = words(html)
    assert "Published 1 June 2027." in text
    for statement in STATEMENTS:
        assert statement in text
    # The indicators' table: (a) 7, (i) 1; the refusal under 6.1b.
    assert "Complaints received 7" in text
    assert "6.1b: Not Pivotal's responsibility 1" in text
    assert "Escalated to the Housing Ombudsman 1" in text
    # The lead's sections as written, paragraph by paragraph; the optional one left out.
    assert "What we learned from complaints Residents told us repairs took too long" in text
    assert "What we changed because of complaints Repairs can now be booked the same day." in (text)
    assert "What we will do next" not in text
    # The volumes chart's table: 5 received in April, 2 in May; 2 resolved in May; 7 and 2 in
    # the year. Stage 1 responses on time by Pivotal's dates: C1, C3, C6 of C1, C2, C3, C6, C9.
    assert "Apr 2026 5 0 May 2026 2 2 Jun 2026 0 0" in text
    assert "Whole period 7 2" in text
    assert "Stage 1 responses 3 of 5 (60.0%)" in text

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'inline; filename="{org.slug}-annual-report-to-customers-2026-27.pdf"'
    )
    printed = pdf_words(pdf.content)
    assert "1 April 2026 to 31 March 2027" in printed
    assert "Published on 1 June 2027, with the figures as they stood that day." in printed
    for statement in STATEMENTS:
        assert statement in printed
    assert "What we changed because of complaints Repairs can now be booked the same day." in (
        printed
    )
    assert "Whole period 7 2" in printed

    # Nothing identifying: no reference of this story's cases, on the page, in the PDF or in
    # what was stored.
    stored = json.dumps(CustomerReport.objects.get().snapshot)
    for case in story.cases.values():
        assert case.reference not in html
        assert case.reference not in printed
        assert case.reference not in stored
    assert "references" not in stored


def test_what_was_published_stays_and_a_correction_is_a_new_version(client):
    story = pivotal_story()
    org = story.team.org
    public = reverse("annual:report", args=[org.slug, 2026])
    with time_machine.travel(london(2027, 6, 1), tick=False):
        publish_2026(client, story)
    # A complaint received on Mon 1 Jun 2026, recorded after publishing: it is in the year.
    with time_machine.travel(london(2027, 6, 2), tick=False):
        receive_complaint(story.team, london(2026, 6, 1), tenure="lcra")
        client.force_login(story.team.lead)  # a new day, a new sign-in
        assert "We received 7 complaints." in words(client.get(public).content.decode())
        assert "We received 8 complaints." in words(client.get(PREVIEW).content.decode())

        # Publishing again must say what it corrects.
        again = client.post(PUBLISH, {"confirm": "on"})
        body = words(again.content.decode())
        assert "There is a problem" in body
        assert "Say what this version corrects: version 1 is already published" in body
        assert CustomerReport.objects.count() == 1

        done = client.post(
            PUBLISH, {"confirm": "on", "correction": "A complaint was logged late."}, follow=True
        )
        assert "Published version 2" in done.content.decode()
        client.logout()
        text = words(client.get(public).content.decode())
    assert "We received 8 complaints." in text
    assert "Published 2 June 2027 (version 2)." in text
    assert "This version corrects the one published 1 June 2027: A complaint was logged late." in (
        text
    )
    # The first version is kept on record as it was.
    first = CustomerReport.objects.get(organisation=org, year=2026, version=1)
    assert first.snapshot["figures"]["a_received"]["value"] == 7
    with pytest.raises(DatabaseError), transaction.atomic():
        CustomerReport.objects.filter(pk=first.pk).update(correction="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        CustomerReport.objects.filter(pk=first.pk).delete()


def test_a_year_not_published_is_not_found(client):
    story = pivotal_story()
    org = story.team.org
    assert client.get(reverse("annual:index", args=[org.slug])).status_code == 404
    with time_machine.travel(london(2027, 6, 1), tick=False):
        publish_2026(client, story)
    client.logout()
    years = words(client.get(reverse("annual:index", args=[org.slug])).content.decode())
    assert "Annual report to customers, 2026-27" in years
    assert client.get(reverse("annual:report", args=[org.slug, 2025])).status_code == 404
    assert client.get(reverse("annual:pdf", args=[org.slug, 2025])).status_code == 404
    assert client.get(reverse("annual:report", args=["nobody", 2026])).status_code == 404
    # Another organisation's address shows nothing of this one.
    other = story.other.org.slug
    assert client.get(reverse("annual:report", args=[other, 2026])).status_code == 404


def test_the_public_form_links_to_the_latest_report_once_one_is_published(client):
    story = pivotal_story()
    org = story.team.org
    start = reverse("intake:start", args=[org.slug])
    assert "How we did last year" not in client.get(start).content.decode()
    with time_machine.travel(london(2027, 6, 1), tick=False):
        publish_2026(client, story)
    client.logout()
    body = client.get(start).content.decode()
    assert "How we did last year" in body
    assert f'href="/annual-report/{org.slug}/2026/"' in body


def test_only_the_lead_may_prepare_or_publish(client):
    team = make_team("pivotal")
    client.force_login(team.investigator)
    for url in (reverse("reporting:customers"), PREPARE, PREVIEW, PUBLISH):
        assert client.get(url).status_code == 403
    assert client.post(PUBLISH, {"confirm": "on"}).status_code == 403
    assert client.post(PREPARE, {"learned": "x"}).status_code == 403
    client.logout()
    assert client.get(PUBLISH).status_code == 302  # to sign in
    assert not CustomerReport.objects.exists()
    client.force_login(team.lead)
    assert 'href="/reports/customers/"' in client.get(reverse("reporting:reports")).content.decode()


def test_what_stops_publishing_is_said_in_words(client):
    team = make_team("pivotal")
    client.force_login(team.lead)
    bad = words(
        client.get(reverse("reporting:customers_prepare") + "?period=2026-27").content.decode()
    )
    assert "There is a problem" in bad
    assert "Enter the year the financial year starts in (1 April), for example 2026." in bad

    with time_machine.travel(london(2026, 12, 1), tick=False):
        client.force_login(team.lead)
        early = words(client.post(PUBLISH, {"confirm": "on"}).content.decode())
    assert "The financial year 2026-27 ends on 31 March 2027; publish its report after that" in (
        early
    )

    with time_machine.travel(london(2027, 6, 1), tick=False):
        client.force_login(team.lead)
        unticked = words(client.post(PUBLISH, {}).content.decode())
        assert "Tick the box to confirm you have read the preview, or go back to it." in unticked
        unwritten = words(client.post(PUBLISH, {"confirm": "on"}).content.decode())
        assert "Write the section 'What we learned from complaints' before publishing" in unwritten
        assert "Write the section 'What we changed because of complaints'" in unwritten

        client.post(PREPARE, {"learned": "See C-2026-7KX-M2Q.", "changed": "Faster repairs."})
        named = words(client.post(PUBLISH, {"confirm": "on"}).content.decode())
        assert (
            "The section 'What we learned from complaints' gives the case reference "
            "C-2026-7KX-M2Q; take it out" in named
        )
        preview = words(client.get(PREVIEW).content.decode())
        assert "It cannot be published yet" in preview
        assert "Publish this report" not in preview
        too_long = words(client.post(PREPARE, {"learned": "x" * 5001}).content.decode())
        assert "What we learned from complaints must be 5,000 characters or fewer" in too_long
    assert not CustomerReport.objects.exists()
