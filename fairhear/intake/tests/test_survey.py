"""The feedback survey answered online (Pivotal §21.2: "The investigating Manager or Director
who closes the complaint will send a feedback sheet to the customer following closure"): the
invitation carries a personal link; the public page takes one answer, which is the same event a
colleague records from a returned sheet, so KPI 21.3 (h) counts it."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from fairhear.cases.models import CaseEvent
from fairhear.cases.services import (
    case_accept,
    case_allocate,
    case_close,
    case_record_feedback,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import error_summary, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.kpis import By
from fairhear.domain.letters import LetterKind
from fairhear.domain.lifecycle import Action
from fairhear.letters.services import email_text, letter_compose
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import pivotal_kpis

pytestmark = pytest.mark.django_db

SUMMARY = "The boiler at 4 Orchard Row was not repaired when promised."
# The invitation is written on Monday 1 June 2026 at 10:00 in London.
WRITTEN = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _tuesday_2_june():
    """The complainant opens the link the day after it was written, unless a test says."""
    with time_machine.travel(datetime(2026, 6, 2, 18, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def closed(team, day: int):
    """A complaint received on Monday 4 May 2026, closed by its Service Manager on `day` May as
    "nothing more we can do" (§10.1 e, a reason the pack does not mark as satisfied)."""
    case = receive_complaint(
        team,
        datetime(2026, 5, 4, 9, 0, tzinfo=LONDON),
        summary=SUMMARY,
        desired_outcome="A new boiler and an apology.",
    )
    case_accept(case=case, actor=team.allocator, occurred_at=datetime(2026, 5, 5, 9, tzinfo=LONDON))
    case_allocate(
        case=case,
        actor=team.allocator,
        handler=team.investigator,
        occurred_at=datetime(2026, 5, 5, 10, tzinfo=LONDON),
    )
    return case_close(
        case=case,
        actor=team.investigator,
        reason_code="10.1e",
        occurred_at=datetime(2026, 5, day, 11, tzinfo=LONDON),
    )


def invitation_link(team, case) -> str:
    """The survey link as the invitation e-mail gives it, written on 1 June 2026."""
    with time_machine.travel(WRITTEN, tick=False):
        composed = letter_compose(
            case=case, actor=team.investigator, kind=LetterKind.FEEDBACK_SURVEY
        )
    text = email_text(composed)
    (url,) = re.findall(r"https?://\S+/survey/\S+/", text)
    return urlsplit(url).path


def answers(case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=Action.RECORD_FEEDBACK))


def test_the_invitation_gives_a_personal_link_and_the_day_it_stops_working(team):
    case = closed(team, 20)
    with time_machine.travel(WRITTEN, tick=False):
        composed = letter_compose(
            case=case, actor=team.investigator, kind=LetterKind.FEEDBACK_SURVEY
        )
    text = email_text(composed)
    # 90 days from Monday 1 June 2026: Sunday 30 August 2026.
    assert "You can answer online at http" in text
    assert "works until Sunday 30 August 2026" in text
    assert "Or, to tell us another way, please" in text


def test_the_answer_is_recorded_once_and_a_refresh_or_second_send_records_nothing(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)

    page = client.get(path)
    assert page.status_code == 200
    assert f"How did we do with your complaint {case.reference}?" in page_text(page)
    sent = client.post(path, {"satisfaction": "satisfied", "comments": "Kept me informed."})
    assert sent.status_code == 302
    after = client.get(sent["Location"])
    again = client.post(path, {"satisfaction": "very_dissatisfied", "comments": "Again."})
    refresh = client.get(path)

    assert "Thank you. Your answer is recorded." in page_text(after)
    for response in (after, again, refresh):
        assert response.status_code == 200
        assert "This survey has been answered" in page_text(response)
    (answer,) = answers(case)
    assert answer.actor is None
    assert answer.data == {
        "satisfaction": "satisfied",
        "comments": "Kept me informed.",
        "through": "survey",
    }


def test_an_answer_a_colleague_recorded_already_closes_the_online_survey(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)
    case_record_feedback(case=case, actor=team.investigator, satisfaction="neither")

    response = client.post(path, {"satisfaction": "very_satisfied"})

    assert "This survey has been answered" in page_text(response)
    assert [a.data["satisfaction"] for a in answers(case)] == ["neither"]


def test_the_online_answer_counts_in_h_for_the_month_the_complaint_closed(client, team):
    answered_online = closed(team, 20)  # Wednesday 20 May 2026
    closed(team, 21)  # closed the next day, no answer: in (b), not in (h)
    path = invitation_link(team, answered_online)
    assert client.post(path, {"satisfaction": "very_satisfied"}).status_code == 302

    report = pivotal_kpis(Scope(team.org), date(2026, 5, 1), date(2026, 6, 30), By.MONTH)
    may, june = (p["figures"] for p in report["periods"])

    # May: two closed (b = 2), one of them answered "very satisfied" on 2 June (h = 1 of 2).
    assert may["b_resolved"]["value"] == 2
    assert may["h_satisfied"]["value"] == 1
    assert may["h_satisfied"]["references"] == [answered_online.reference]
    assert may["h_satisfied"]["percent"] == "50.0"
    # June: nothing closed; an answer counts in the month of the closure, not its own.
    assert june["h_satisfied"]["value"] == 0


def test_a_dissatisfied_answer_online_does_not_count_in_h(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)
    client.post(path, {"satisfaction": "dissatisfied"})

    report = pivotal_kpis(Scope(team.org), date(2026, 5, 1), date(2026, 5, 31), By.MONTH)

    assert report["total"]["figures"]["h_satisfied"]["value"] == 0
    assert len(answers(case)) == 1


def test_the_form_says_how_to_answer_and_records_nothing_until_it_is_answered(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)

    empty = client.post(path, {"satisfaction": "", "comments": "Fine."})
    wrong = client.post(path, {"satisfaction": "delighted"})
    long = client.post(path, {"satisfaction": "satisfied", "comments": "x" * 2001})

    assert empty.status_code == 400
    assert "Choose how satisfied you are with the way we handled your complaint." in (
        error_summary(empty)
    )
    assert "Choose one of the answers listed." in error_summary(wrong)
    assert long.status_code == 400
    assert error_summary(long)
    assert answers(case) == []


def test_the_page_is_a_plain_form_with_the_five_answers_and_csrf(team):
    case = closed(team, 20)
    path = invitation_link(team, case)
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(path)
    body = page.content.decode()

    assert '<form method="post"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert (
        body.count('type="radio" name="satisfaction"')
        + body.count('name="satisfaction" type="radio"')
        == 5
    )
    for label in (
        "Very satisfied",
        "Satisfied",
        "Neither satisfied nor dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ):
        assert f">{label}</label>" in body
    # Without the page's CSRF token the answer is refused and nothing is recorded.
    assert browser.post(path, {"satisfaction": "satisfied"}).status_code == 403
    assert answers(case) == []


def test_the_page_shows_the_reference_and_organisation_and_nothing_else_of_the_case(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)

    text = page_text(client.get(path))

    assert case.reference in text
    assert team.org.name in text
    for private in (
        SUMMARY,
        "A new boiler and an apology.",
        "Ada Lovelace",
        "ada@example.org",
        str(team.investigator),
        "Nothing more we can do",
        "Repairs",
    ):
        assert private not in text


def test_a_changed_link_or_one_signed_for_something_else_says_it_does_not_work(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)
    token = path.rstrip("/").rsplit("/", 1)[1]
    changed = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    # A genuine Fairhear signature for another purpose (no salt, or another salt) is not a link.
    other = signing.dumps({"c": case.pk})

    for bad in (changed, other, "nonsense", "x" * 400):
        url = reverse("intake:survey", args=[bad])
        shown = client.get(url)
        posted = client.post(url, {"satisfaction": "satisfied"})
        assert shown.status_code == posted.status_code == 404
        text = page_text(shown)
        assert "This link does not work" in text
        assert "Check that you copied the whole link" in text
        assert "ask for the feedback survey to be sent again" in text
        assert case.reference not in text
    assert answers(case) == []


def test_an_expired_link_says_so_and_how_to_get_a_new_one(client, team):
    case = closed(team, 20)
    path = invitation_link(team, case)

    # Written 10:00 on 1 June; 90 days later is 10:00 on Sunday 30 August 2026.
    with time_machine.travel(datetime(2026, 8, 30, 9, 59, tzinfo=LONDON), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(datetime(2026, 8, 30, 10, 1, tzinfo=LONDON), tick=False):
        shown = client.get(path)
        posted = client.post(path, {"satisfaction": "satisfied"})

    assert shown.status_code == posted.status_code == 410
    text = page_text(shown)
    assert "This link has expired" in text
    assert "worked for 90 days" in text
    assert f"contact {team.org.name}, quote {case.reference}" in text
    assert answers(case) == []


def test_the_case_timeline_says_the_complainant_answered_online(client, team):
    case = closed(team, 20)
    client.post(invitation_link(team, case), {"satisfaction": "satisfied"})

    client.force_login(team.lead)
    text = page_text(client.get(reverse("cases:detail", args=[case.reference])))

    assert "Answered online by the complainant (feedback survey link)" in text
