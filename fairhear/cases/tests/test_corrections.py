"""Correcting a case's details: an event with each value before and after and the reason; a
correction that changes the time-limit verdict or the signposts is shown and confirmed before
it is saved. Through the services and the action page, on the real database."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.models import ServiceArea
from fairhear.cases.models import Case
from fairhear.cases.services import (
    CaseInputError,
    CorrectionNeedsConfirmation,
    TransitionRejected,
    case_correct_details,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)  # Monday 2 March 2026


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_a_corrected_summary_is_recorded_before_and_after_with_the_reason():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, summary="The boiler broke.")

    case = case_correct_details(
        case=case,
        actor=team.allocator,
        changes={"summary": "The boiler broke and the repair visit was missed."},
        reason="Typed from the wrong call note.",
    )

    assert case.summary == "The boiler broke and the repair visit was missed."
    event = case.events.order_by("-sequence").first()
    assert event.kind == Action.CORRECT_DETAILS
    assert event.data["reason"] == "Typed from the wrong call note."
    assert event.data["changes"] == [
        {
            "field": "summary",
            "label": "What they told us",
            "from": "The boiler broke.",
            "to": "The boiler broke and the repair visit was missed.",
        }
    ]
    assert event.data["effects"] == []
    assert case.state == Case.State.RECEIVED  # a correction moves nothing


def test_an_incident_date_that_makes_the_complaint_out_of_time_is_confirmed_first():
    # Pivotal §6.1 a: not dealt with if it occurred over 6 months ago. Received Mon 2 Mar 2026;
    # an incident on Fri 1 Aug 2025 had its last day in time on Sun 1 Feb 2026 (6 months on).
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, incident_date=date(2026, 2, 1))

    with pytest.raises(CorrectionNeedsConfirmation) as asked:
        case_correct_details(
            case=case,
            actor=team.allocator,
            changes={"incident_date": date(2025, 8, 1)},
            reason="The caller gave last year's date.",
        )
    assert "The complaint becomes out of time" in str(asked.value)
    case.refresh_from_db()
    assert case.incident_date == date(2026, 2, 1)  # nothing saved before confirming
    assert case.events.filter(kind=Action.CORRECT_DETAILS).count() == 0

    case = case_correct_details(
        case=case,
        actor=team.allocator,
        changes={"incident_date": date(2025, 8, 1)},
        reason="The caller gave last year's date.",
        confirm_effects=True,
    )
    assert case.incident_date == date(2025, 8, 1)
    event = case.events.order_by("-sequence").first()
    assert event.data["changes"][0]["from"] == "Sun 1 Feb 2026"
    assert event.data["changes"][0]["to"] == "Fri 1 Aug 2025"
    assert event.data["effects"][0].startswith("The complaint becomes out of time")


def test_moving_a_case_to_a_cqc_registered_service_changes_who_the_complainant_is_told_about():
    # MMBM §8.3.6: the CQC, for a CQC-registered service; REGULATION.md §3: the LGSCO for care
    # and support in supported living. A housing tenancy is told about neither.
    team = make_team("mmbm")
    tenancies = ServiceArea.objects.create(organisation=team.org, name="Tenancies", kind="housing")
    house = ServiceArea.objects.create(
        organisation=team.org, name="Mae Court", kind="supported_living", cqc_registered=True
    )
    case = receive_complaint(team, RECEIVED, categories=["support"], service_area=tenancies)

    with pytest.raises(CorrectionNeedsConfirmation) as asked:
        case_correct_details(
            case=case,
            actor=team.allocator,
            changes={"service_area": house},
            reason="Logged against the wrong service.",
        )

    assert (
        "The complainant is told about Care Quality Commission (CQC) and Local Government and "
        "Social Care Ombudsman instead of" in str(asked.value)
    )


def test_a_correction_that_changes_nothing_is_refused_plainly():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)

    with pytest.raises(CaseInputError, match="Nothing was changed"):
        case_correct_details(
            case=case,
            actor=team.allocator,
            changes={"summary": case.summary, "categories": list(case.categories)},
            reason="Checking.",
        )


def test_a_correction_needs_a_reason_and_cannot_name_the_handler_or_touch_other_fields():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)

    with pytest.raises(CaseInputError, match="Say why"):
        case_correct_details(
            case=case, actor=team.allocator, changes={"tenure": "lcra"}, reason=" "
        )
    with pytest.raises(CaseInputError, match="state cannot be corrected here"):
        case_correct_details(
            case=case, actor=team.allocator, changes={"state": "closed"}, reason="No."
        )
    case.handler = team.investigator
    with pytest.raises(CaseInputError, match="handles this case"):
        case_correct_details(
            case=case,
            actor=team.allocator,
            changes={"about_colleagues": [team.investigator]},
            reason="Named in the call.",
        )


def test_a_colleague_who_only_logs_cases_cannot_correct_them():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)

    with pytest.raises(TransitionRejected, match="Only someone with the"):
        case_correct_details(
            case=case, actor=team.colleague, changes={"tenure": "lcra"}, reason="Tenant."
        )


def test_the_page_shows_what_the_correction_changes_then_saves_it_once_confirmed(client):
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, incident_date=date(2026, 2, 1))
    client.force_login(team.allocator)
    url = reverse("cases:action", args=[case.reference, Action.CORRECT_DETAILS.value])

    form = client.get(url)
    assert form.status_code == 200
    assert 'value="2026-02-01"' in form.content.decode()  # what the case says now
    sent = {
        "summary": case.summary,
        "categories": case.categories,
        "incident_date": "2025-08-01",
        "tenure": "unknown",
        "reason": "The caller gave last year's date.",
        "seen_sequence": "1",
    }
    first = client.post(url, sent)

    assert first.status_code == 200
    assert "The complaint becomes out of time" in _text(first)
    assert "I have read what this correction changes, and it is right" in _text(first)
    case.refresh_from_db()
    assert case.incident_date == date(2026, 2, 1)

    second = client.post(url, {**sent, "confirm_effects": "on"})

    assert second.status_code == 302
    page = _text(client.get(reverse("cases:detail", args=[case.reference])))
    assert "Details corrected" in page
    assert "When the matter happened Sun 1 Feb 2026 → Fri 1 Aug 2025" in page
    assert "Why The caller gave last year's date." in page


def test_correcting_into_a_category_that_restricts_access_restricts_the_case_in_the_same_event(
    client,
):
    # Pivotal App. 3 E: a staff conduct matter is seen on a need-to-know basis only. Logged as a
    # repairs matter, the allocator corrects it to staff conduct: it is restricted at once, the
    # allocator (neither handler nor named) no longer opens it and is told where it went.
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, categories=["communication"])

    with pytest.raises(CorrectionNeedsConfirmation, match="Access becomes restricted"):
        case_correct_details(
            case=case,
            actor=team.allocator,
            changes={"categories": ["staff_conduct"]},
            reason="The caller's complaint is about a named officer's conduct.",
        )
    assert not Case.objects.get(pk=case.pk).restricted_access

    client.force_login(team.allocator)
    url = reverse("cases:action", args=[case.reference, Action.CORRECT_DETAILS.value])
    sent = {
        "summary": case.summary,
        "categories": ["staff_conduct"],
        "tenure": "unknown",
        "reason": "The caller's complaint is about a named officer's conduct.",
        "seen_sequence": "1",
        "confirm_effects": "on",
    }
    done = client.post(url, sent, follow=True)

    case.refresh_from_db()
    assert case.restricted_access
    event = case.events.order_by("-sequence").first()
    assert event.kind == Action.CORRECT_DETAILS
    assert event.data["access_restricted_by"] == ["staff_conduct"]
    assert done.redirect_chain[-1][0] == reverse("cases:my_work")
    assert f"{case.reference} is no longer one of the cases you have a reason to see" in _text(done)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    client.force_login(team.lead)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200


def test_correcting_out_of_a_restricting_category_leaves_the_restriction_for_the_lead_to_lift():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, categories=["safeguarding"])
    assert case.restricted_access

    with pytest.raises(CorrectionNeedsConfirmation, match="Access stays restricted"):
        case_correct_details(
            case=case,
            actor=team.lead,
            changes={"categories": ["communication"], "safeguarding": False},
            reason="No safeguarding concern after all.",
        )
    case = case_correct_details(
        case=case,
        actor=team.lead,
        changes={"categories": ["communication"], "safeguarding": False},
        reason="No safeguarding concern after all.",
        confirm_effects=True,
    )

    assert case.restricted_access
    assert case.categories == ["communication"]
