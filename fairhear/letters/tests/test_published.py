"""The policy, published from the organisation's active pack for anyone, without signing in
(Pivotal §9 stage 1 step 4: a copy of the policy "including Housing Ombudsman contact
details"): the full version, the easy-read version and a printable PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fairhear.cases.tests.factories import make_team

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_the_policy_page_is_public_and_says_the_stages_and_timescales_in_words(client):
    team = make_team("pivotal")
    response = client.get(reverse("policy:published", args=[team.org.slug]))
    assert response.status_code == 200
    page = text(response)
    # Pivotal §9 stage 1: acknowledge within 2 working days of allocation, respond within 10
    # of receipt, extend to at most 20; §9 stage 2: appeal within 10 working days of receipt.
    assert "We acknowledge your complaint within 2 working days of when the complaint is " in page
    assert "We send you our response within 10 working days of when the complaint is " in page
    assert "never more than 20 working days after the complaint is received" in page
    assert "within 10 working days of when you receive the stage 1 response" in page
    # §6.1 a: six months, except safeguarding and health and safety.
    assert "within 6 months of what happened" in page
    assert "safeguarding or health and safety" in page
    # What cannot be dealt with, and why (§6.1 b to h).
    assert "Dispute about a service charge calculation (§6.1 d)" in page
    # The ombudsman the pack names, with its contact details (§6.2; §16).
    assert "Housing Ombudsman Service" in page
    assert "0300 111 3000" in page


def test_the_mmbm_policy_names_the_cqc_and_lgsco_with_their_contacts(client):
    team = make_team("mmbm")
    page = text(client.get(reverse("policy:published", args=[team.org.slug])))
    assert "Care Quality Commission (CQC)" in page
    assert "03000 616161" in page
    assert "Local Government and Social Care Ombudsman" in page
    # MMBM §8.2.2: a review asked for within 28 days; §6.1: 12 months.
    assert "within 28 calendar days" in page
    assert "within 12 months of what happened" in page


def test_the_easy_read_version_has_one_short_idea_per_line(client):
    team = make_team("pivotal")
    response = client.get(reverse("policy:easy_read", args=[team.org.slug]))
    assert response.status_code == 200
    page = text(response)
    assert "We answer within 10 working days." in page
    assert "You do not have to say the word “complaint”." in page
    assert "You can contact the Housing Ombudsman Service." in page


def test_the_printable_policy_is_a_pdf_with_the_stages_and_the_ombudsman(client):
    team = make_team("pivotal")
    response = client.get(reverse("policy:pdf", args=[team.org.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    words = " ".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert "Stage 2 (appeal to the SLT)" in words
    assert "Housing Ombudsman Service" in words
    assert "How to complain: easy read" in words


def test_an_unknown_organisation_has_no_policy_page(client):
    assert client.get(reverse("policy:published", args=["nobody-here"])).status_code == 404
