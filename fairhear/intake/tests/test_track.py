"""Track my case: a reference and e-mail address get a signed, expiring link by e-mail, and the
same answer whether or not they match; the link shows the case and lets the complainant write,
ask for the next stage in its window, or say they are satisfied."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import CaseEvent
from fairhear.cases.tests import test_views as views
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action, CaseState
from fairhear.intake.tracking import track_token
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)  # Monday 2 March 2026


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def team():
    return make_team("pivotal")


def text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _ask(client, team, reference: str, email: str):
    return client.post(
        reverse("intake:track", args=[team.org.slug]), {"reference": reference, "email": email}
    )


def _link(message: OutboundMessage) -> str:
    return re.search(r"http://testserver(/track/\S+)", message.body_text).group(1)


def test_a_right_and_a_wrong_request_get_the_same_page(client, team):
    case = receive_complaint(team, RECEIVED)  # Ada Lovelace, ada@example.org

    right = _ask(client, team, case.reference.lower(), "ADA@example.org")
    wrong_email = _ask(client, team, case.reference, "someone@example.org")
    wrong_reference = _ask(client, team, "C-2026-AAA-AAA", "ada@example.org")

    def without_address(response) -> str:
        return text(response).replace("ADA@example.org", "X").replace("someone@example.org", "X")

    assert right.status_code == wrong_email.status_code == wrong_reference.status_code == 200
    assert without_address(right) == without_address(wrong_email)
    assert without_address(right) == without_address(wrong_reference).replace(
        "ada@example.org", "X"
    )
    assert "If the details match a case, we have sent a link to" in text(right)
    # Each took the same path: one e-mail queued to the address typed.
    sent = list(OutboundMessage.objects.order_by("pk"))
    assert [m.to for m in sent] == [
        ["ADA@example.org"],
        ["someone@example.org"],
        ["ada@example.org"],
    ]
    assert "/track/" in sent[0].body_text
    assert "we have no case with that reference for this address" in sent[1].body_text
    assert "/track/" not in sent[1].body_text
    assert "we have no case with that reference for this address" in sent[2].body_text


def test_the_link_shows_the_stage_and_dates_in_words(client, team):
    case = receive_complaint(team, RECEIVED)
    s.case_accept(case=case, actor=team.allocator)
    _ask(client, team, case.reference, "ada@example.org")

    page = client.get(_link(OutboundMessage.objects.get()))

    shown = text(page)
    assert page.status_code == 200
    assert f"Your case {case.reference}" in shown
    assert "Stage 1" in shown or "stage 1" in shown.lower()
    assert "We are choosing who will look into it." in shown
    assert "Received Mon 2 Mar 2026" in shown
    # Pivotal App. 1: 10 working days from Monday 2 March is Monday 16 March.
    assert "We aim to reply by Mon 16 Mar 2026" in shown


def test_a_link_expires_after_the_hours_it_says(client, team, settings):
    case = receive_complaint(team, RECEIVED)
    link = reverse("intake:track_case", args=[team.org.slug, track_token(case, "ada@example.org")])

    with time_machine.travel(NOW + timedelta(hours=settings.FAIRHEAR_TRACK_LINK_HOURS, minutes=1)):
        expired = client.get(link)

    assert expired.status_code == 404
    assert "This link does not work" in text(expired)
    assert client.get(link).status_code == 200


def test_a_link_is_bound_to_its_case_address_and_purpose(client, team):
    case = receive_complaint(team, RECEIVED)
    other = receive_complaint(team, RECEIVED)
    forged = signing.dumps({"r": other.reference, "e": "ada@example.org"}, salt="another")
    wrong_address = track_token(case, "someone@example.org")

    for token in (forged, wrong_address, "nonsense", track_token(case, "ada@example.org")[:-2]):
        response = client.get(reverse("intake:track_case", args=[team.org.slug, token]))
        assert response.status_code == 404
        assert case.reference not in text(response)


def test_a_message_from_the_page_goes_onto_the_case_as_from_the_complainant(client, team):
    case = receive_complaint(team, RECEIVED)
    link = reverse("intake:track_case", args=[team.org.slug, track_token(case, "ada@example.org")])

    done = client.post(
        link, {"action": "message", "text": "The lift is still broken."}, follow=True
    )

    assert "Your message has been added to your case." in text(done)
    assert "You wrote to us here" in text(done)
    event = CaseEvent.objects.get(case=case, kind=Action.RECORD_COMMUNICATION)
    assert event.data == {
        "direction": "in",
        "channel": "other",
        "summary": "The lift is still broken.",
        "through": "track",
    }


def test_an_empty_message_says_what_to_do(client, team):
    case = receive_complaint(team, RECEIVED)
    link = reverse("intake:track_case", args=[team.org.slug, track_token(case, "ada@example.org")])

    response = client.post(link, {"action": "message", "text": " "})

    assert "Write your message in the box." in text(response)
    assert not CaseEvent.objects.filter(kind=Action.RECORD_COMMUNICATION).exists()


def _responded(team):
    """A complaint received Monday 2 March 2026 and answered at stage 1 on Wednesday 4 March."""
    return views._responded(team)


def test_after_the_response_they_can_ask_for_the_next_stage_in_its_window(client, team):
    case = _responded(team)
    link = reverse("intake:track_case", args=[team.org.slug, track_token(case, "ada@example.org")])

    page = text(client.get(link))
    done = client.post(
        link, {"action": "next_stage", "reasons": "The lift broke again."}, follow=True
    )

    assert "You can ask for" in page
    assert "You have asked for the next stage." in text(done)
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATION_REQUESTED
    event = CaseEvent.objects.get(case=case, kind=Action.REQUEST_ESCALATION)
    assert event.data["reasons"] == "The lift broke again."
    assert event.data["late"] is False


def test_after_the_window_they_are_told_how_to_ask_for_late_acceptance(client, team):
    case = _responded(team)

    with time_machine.travel(NOW + timedelta(days=60), tick=False):
        token = track_token(case, "ada@example.org")  # a fresh link, asked for 60 days on
        late = text(client.get(reverse("intake:track_case", args=[team.org.slug, token])))

    assert "The time to ask for it has passed." in late
    assert "saying why you could not ask sooner" in late


def test_they_can_say_they_are_satisfied(client, team):
    case = _responded(team)
    link = reverse("intake:track_case", args=[team.org.slug, track_token(case, "ada@example.org")])

    done = client.post(link, {"action": "satisfied"}, follow=True)

    assert "We have recorded that you are satisfied." in text(done)
    event = CaseEvent.objects.filter(case=case, kind=Action.RECORD_COMMUNICATION).get()
    assert "satisfied" in event.data["summary"]


def test_asking_for_links_too_often_waits_whatever_the_details(client, team, settings):
    settings.FAIRHEAR_TRACK_PER_HOUR = 2
    case = receive_complaint(team, RECEIVED)
    _ask(client, team, case.reference, "ada@example.org")
    _ask(client, team, "C-2026-AAA-AAA", "nobody@example.org")

    refused = _ask(client, team, case.reference, "ada@example.org")

    assert refused.status_code == 429
    assert "Too many links have been asked for in the last hour." in text(refused)
    assert OutboundMessage.objects.count() == 2
