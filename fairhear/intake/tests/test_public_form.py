"""A member of the public uses the form at /feedback/: no sign-in, one question a page, check
the answers, send once, see the reference and what happens next in the policy's words."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fairhear.accounts.tests.factories import ServiceAreaFactory
from fairhear.cases.models import Case, Submission
from fairhear.cases.tests.factories import make_team
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind, CaseState
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London (GMT).
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_one_has_sent_anything_yet():
    cache.clear()  # the per-address counts


@pytest.fixture
def team():
    team = make_team("pivotal")
    ServiceAreaFactory(organisation=team.org, name="North scheme")
    return team


def text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def errors(response) -> str:
    match = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), flags=re.S
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split()) if match else ""


MYSELF = {
    "kind": {"kind": "complaint"},
    "what": {"summary": "The lift in our block has been broken for three weeks."},
    "when": {"incident_date_day": "9", "incident_date_month": "2", "incident_date_year": "2026"},
    "where": {"service_area": "", "place": "Flat 4, 12 Acacia Road"},
    "who": {"people": "The caretaker"},
    "outcome": {"desired_outcome": "Mend the lift and tell us when."},
    "whom": {"whom": "me"},
    "contact": {
        "name": "Grace Hopper",
        "email": "grace@example.org",
        "phone": "01632 960 001",
        "address": "",
        "prefer": "email",
    },
    "needs": {"communication_needs": "Large print, please.", "reasonable_adjustments": ""},
}


def start(client, org) -> None:
    response = client.post(reverse("intake:start", args=[org.slug]))
    assert response.status_code == 302


def answer(client, org, answers: dict) -> None:
    """Answer each page the form leads to, in the order it asks, then skip the documents."""
    start(client, org)
    url = reverse("intake:step_or_check", args=[org.slug])
    for _ in range(20):
        target = client.get(url)["Location"]
        if target.endswith("/documents/"):
            client.post(target, {"continue": "1"})
            continue
        if target.endswith("/check/"):
            return
        step = target.rstrip("/").rsplit("/", 1)[1]
        response = client.post(target, answers[step])
        assert response.status_code == 302, (step, errors(response))
    raise AssertionError("the form never reached the check page")


def send(client, org, **extra: str):
    check = client.get(reverse("intake:check", args=[org.slug]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check.content.decode()).group(1)
    return client.post(
        reverse("intake:check", args=[org.slug]), {"idempotency_key": key, **extra}, follow=True
    )


def test_the_form_needs_no_sign_in_and_feedback_goes_to_the_only_organisation(client, team):
    response = client.get("/feedback/", follow=True)

    assert response.redirect_chain == [(reverse("intake:start", args=[team.org.slug]), 302)]
    assert f"Tell {team.org.name} what you think" in text(response)
    assert "You do not need to use the word “complaint”" in text(response)


def test_an_organisation_that_takes_no_feedback_is_not_found(client, team):
    assert client.get("/feedback/no-such-organisation/").status_code == 404


def test_a_complaint_made_for_myself_is_one_case_waiting_for_triage(client, team):
    answer(client, team.org, MYSELF)

    check = client.get(reverse("intake:check", args=[team.org.slug]))
    shown = text(check)
    assert "Check your answers before sending" in shown
    assert "The lift in our block has been broken for three weeks." in shown
    assert "9 February 2026" in shown
    assert "E-mail" in shown

    done = send(client, team.org)

    case = Case.objects.get()
    page = text(done)
    assert f"Your reference is {case.reference}" in page
    # Pivotal App. 1: acknowledged within 2 working days of allocation, answered within 10
    # working days of receipt.
    assert (
        "We will write to confirm we have your complaint within 2 working days of passing it to "
        "the person who will look into it." in page
    )
    assert "We aim to send you our full reply within 10 working days of receiving it." in page
    assert case.state == CaseState.RECEIVED
    assert case.kind == CaseKind.COMPLAINT
    assert case.channel == Case.Channel.WEB
    assert case.incident_date == date(2026, 2, 9)
    assert case.complainant.name == "Grace Hopper"
    assert case.complainant.email == "grace@example.org"
    assert case.complainant.communication_needs == "Large print, please."
    assert case.desired_outcome == "Mend the lift and tell us when."
    questions = dict(map(tuple, Submission.objects.get(case=case).answers["questions"]))
    assert questions["Where it happened"] == "Flat 4, 12 Acacia Road"
    assert questions["Who was involved"] == "The caretaker"
    assert questions["How they would like to be contacted"] == "E-mail"


def test_each_answer_s_change_link_opens_the_page_that_asked_it_with_the_answer_kept(client, team):
    answer(client, team.org, MYSELF)
    page = client.get(reverse("intake:check", args=[team.org.slug])).content.decode()
    links = re.findall(
        r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> '
        r"([^<]+)</span>",
        page,
    )
    shown = {html.unescape(question): href for href, question in links}

    assert shown["what happened?"] == reverse("intake:step", args=[team.org.slug, "what"])
    assert shown["when did it happen?"] == reverse("intake:step", args=[team.org.slug, "when"])
    assert shown["documents and photos"] == reverse("intake:documents", args=[team.org.slug])
    message = client.get(shown["what happened?"])
    assert "The lift in our block has been broken for three weeks." in text(message)


def test_sending_twice_shows_the_same_reference_and_makes_one_case(client, team):
    answer(client, team.org, MYSELF)
    check = client.get(reverse("intake:check", args=[team.org.slug]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check.content.decode()).group(1)
    url = reverse("intake:check", args=[team.org.slug])

    first = client.post(url, {"idempotency_key": key}, follow=True)
    second = client.post(url, {"idempotency_key": key}, follow=True)
    refreshed = client.get(reverse("intake:done", args=[team.org.slug]))

    case = Case.objects.get()
    for response in (first, second, refreshed):
        assert f"Your reference is {case.reference}" in text(response)


def test_the_same_answers_sent_from_two_tabs_at_once_are_one_case(client, team):
    """Two tabs share the session: the second send finds the key already taken."""
    answer(client, team.org, MYSELF)
    check = client.get(reverse("intake:check", args=[team.org.slug]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check.content.decode()).group(1)
    session = client.session
    kept = dict(session["fairhear_feedback"])
    client.post(reverse("intake:check", args=[team.org.slug]), {"idempotency_key": key})
    # The other tab still holds the answers as they were before the first send.
    session = client.session
    session["fairhear_feedback"] = kept
    session.save()

    other = client.post(
        reverse("intake:check", args=[team.org.slug]), {"idempotency_key": key}, follow=True
    )

    case = Case.objects.get()
    assert f"Your reference is {case.reference}" in text(other)
    assert Submission.objects.get(case=case).repeats == 1


def test_someone_acting_for_another_person_must_say_they_agreed(client, team):
    answers = {
        **MYSELF,
        "whom": {"whom": "behalf"},
        "behalf": {"person_name": "Ada Lovelace", "role": "advocate"},
    }
    start(client, team.org)
    for step in ("kind", "what", "when", "where", "who", "outcome", "whom"):
        client.post(reverse("intake:step", args=[team.org.slug, step]), answers[step])

    refused = client.post(reverse("intake:step", args=[team.org.slug, "behalf"]), answers["behalf"])

    assert "Tick to confirm they agreed, or ask them to contact us themselves." in errors(refused)
    answers["behalf"] = {**answers["behalf"], "consent": "on"}
    answer(client, team.org, answers)
    send(client, team.org)
    case = Case.objects.get()
    assert case.complainant.name == "Ada Lovelace"
    assert case.representative.name == "Grace Hopper"
    assert case.representative.email == "grace@example.org"
    assert case.representative_role == "advocate"
    questions = dict(map(tuple, case.submission.answers["questions"]))
    assert questions["Acting for them"] == (
        "Grace Hopper, their advocate, says Ada Lovelace agreed that they could make this on "
        "their behalf."
    )


def test_an_anonymous_sender_is_told_what_that_limits_and_asked_no_contact_details(client, team):
    start(client, team.org)
    page = client.get(reverse("intake:step", args=[team.org.slug, "whom"]))
    assert "we cannot reply to you, tell you what we found" in text(page)

    answer(client, team.org, {**MYSELF, "whom": {"whom": "anonymous"}})
    shown = text(client.get(reverse("intake:check", args=[team.org.slug])))
    send(client, team.org)

    assert "Your full name" not in shown
    case = Case.objects.get()
    assert case.anonymous is True
    assert case.complainant is None


def test_a_compliment_asks_who_to_thank_and_not_when_or_what_to_put_right(client, team):
    answers = {
        **MYSELF,
        "kind": {"kind": "compliment"},
        "what": {"summary": "Sam fixed our heating on a Sunday."},
        "who": {"people": "Sam from repairs"},
    }
    answer(client, team.org, answers)
    shown = text(client.get(reverse("intake:check", args=[team.org.slug])))
    done = send(client, team.org)

    assert "Who would you like to thank? Sam from repairs" in shown
    assert "When did it happen?" not in shown
    assert "What would you like to happen?" not in shown
    assert "pass your thanks on to the people you named and their manager" in text(done)
    assert Case.objects.get().kind == CaseKind.COMPLIMENT


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("kind", {}, "Choose what you would like to do."),
        ("what", {"summary": "  "}, "Tell us what happened, in your own words."),
        (
            "when",
            {"incident_date_day": "5", "incident_date_month": "3", "incident_date_year": "2026"},
            "The date cannot be in the future; enter the day it happened, or leave it blank.",
        ),
        (
            "when",
            {"incident_date_day": "31", "incident_date_month": "2", "incident_date_year": "2026"},
            "Enter a real date, with the day, month and year as numbers, for example 27 3 2026.",
        ),
        (
            "when",
            {"incident_date_day": "3", "incident_date_month": "", "incident_date_year": "2026"},
            "The date must include a month.",
        ),
        (
            "contact",
            {"name": "Grace Hopper", "prefer": "email"},
            "You chose email: enter your e-mail address, or choose another way.",
        ),
        (
            "contact",
            {"name": "Grace Hopper", "phone": "call me", "prefer": "phone"},
            "Enter a phone number using digits, for example 01632 960 001.",
        ),
        (
            "contact",
            {"name": "Grace Hopper", "email": "grace at example", "prefer": "email"},
            "Enter an e-mail address like name@example.com.",
        ),
        ("contact", {"prefer": "letter", "address": "1 High St"}, "Enter your full name."),
    ],
)
def test_each_question_says_how_to_fix_a_wrong_answer(client, team, step, data, message):
    start(client, team.org)
    client.post(reverse("intake:step", args=[team.org.slug, "kind"]), {"kind": "complaint"})

    response = client.post(reverse("intake:step", args=[team.org.slug, step]), data)

    assert response.status_code == 200
    assert message in errors(response)


def test_the_box_people_never_see_stops_an_automated_sender(client, team):
    answer(client, team.org, MYSELF)

    response = send(client, team.org, website="http://spam.example")

    assert "Leave the box headed 'Leave this box empty' empty" in errors(response)
    assert not Case.objects.exists()


def test_a_key_that_is_not_the_forms_own_is_refused(client, team):
    answer(client, team.org, MYSELF)

    response = client.post(
        reverse("intake:check", args=[team.org.slug]), {"idempotency_key": "x" * 32}
    )

    assert "This page is out of date; check your answers and send them again." in errors(response)
    assert not Case.objects.exists()


def test_more_new_forms_than_the_hourly_limit_from_one_address_wait(client, team, settings):
    settings.FAIRHEAR_FEEDBACK_PER_HOUR = 1
    answer(client, team.org, MYSELF)
    send(client, team.org)
    answer(client, team.org, MYSELF)

    refused = send(client, team.org)

    assert refused.status_code == 429
    # 10:00 exactly: the limits start again at 11:00, in 60 minutes.
    assert (
        "Too many forms have been sent from your internet connection in the last hour. Your "
        "answers are kept: try again in 60 minutes, or phone or write to us instead."
        in errors(refused)
    )
    assert Case.objects.count() == 1
    assert "The lift in our block" in text(refused)  # the answers are still there to send


def test_answers_in_progress_stay_on_the_server_not_in_the_page(client, team):
    answer(client, team.org, MYSELF)

    check = client.get(reverse("intake:check", args=[team.org.slug])).content.decode()

    hidden = re.findall(r'<input type="hidden" name="([^"]+)"', check)
    assert sorted(hidden) == ["csrfmiddlewaretoken", "idempotency_key"]


def _upload(client, org, name: str, content: bytes):
    return client.post(
        reverse("intake:documents", args=[org.slug]),
        {"document": SimpleUploadedFile(name, content), "add": "1"},
    )


def test_documents_are_checked_by_their_content_and_size(client, team):
    answer(client, team.org, MYSELF)

    pdf = _upload(client, team.org, "letter.pdf", b"%PDF-1.7\n1 0 obj\n")
    disguised = _upload(client, team.org, "photo.pdf", b"<html><script>alert(1)</script></html>")
    big = _upload(client, team.org, "scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    done = send(client, team.org)

    assert "letter.pdf" in text(pdf)
    assert (
        "photo.pdf is a web page or markup, which could run a program in a browser, so it is "
        "not kept. Save it as a PDF or an image and choose it again (accepted: PDF, JPEG "
        "image, PNG image or text file)."
    ) in errors(disguised)
    assert "scan.png is 10.0 MB; each document must be 10 MB or smaller." in errors(big)
    assert "Your reference is" in text(done)
    documents = Case.objects.get().submission.answers["documents"]
    assert [(d["name"], d["content_type"]) for d in documents] == [
        ("letter.pdf", "application/pdf")
    ]


def test_the_acknowledgement_e_mail_is_queued_with_the_case(client, team):
    answer(client, team.org, MYSELF)

    send(client, team.org)

    case = Case.objects.get()
    message = OutboundMessage.objects.get(kind="intake_acknowledgement")
    assert message.organisation_id == team.org.pk
    assert message.to == ["grace@example.org"]
    assert message.subject == f"We have your message: {case.reference}"
    assert "The lift in our block has been broken for three weeks." in message.body_text
    assert "within 10 working days of receiving it" in message.body_text
    assert f"http://testserver/track/{team.org.slug}/" in message.body_text


def test_an_anonymous_sender_gets_no_e_mail(client, team):
    answer(client, team.org, {**MYSELF, "whom": {"whom": "anonymous"}})

    send(client, team.org)

    assert Case.objects.count() == 1
    assert not OutboundMessage.objects.filter(kind="intake_acknowledgement").exists()
