"""The action forms offer only what applies now, and ask for an override only from someone who
is not the allocated handler (through Django's test client on the real database)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.cases.tests.test_views import error_summary, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London; received Monday 2 March 2026.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _form(client, case, action: Action):
    return client.get(reverse("cases:action", args=[case.reference, action]))


def _radio_values(response, name: str) -> list[str]:
    pattern = rf'name="{name}" type="radio" value="([^"]+)"'
    return re.findall(pattern, response.content.decode())


def _investigating(team: Team, **kw):
    case = receive_complaint(team, RECEIVED, **kw)
    s.case_accept(case=case, actor=team.allocator)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    s.case_acknowledge(case=case, actor=team.investigator)
    return case


def test_the_close_form_offers_only_the_reasons_that_apply_now(client):
    # Pivotal §10.1: investigating at stage 1, "satisfied with the outcome" (a) and "nothing
    # heard after the stage 1 response" (c) do not apply yet, nor the stage 2 reasons.
    team = make_team("pivotal")
    case = _investigating(team)
    client.force_login(team.investigator)

    response = _form(client, case, Action.CLOSE)

    assert _radio_values(response, "reason_code") == ["10.1b", "10.1d", "10.1e", "10.1f"]
    assert "Nothing heard within 10 working days" not in page_text(response)


def test_the_close_form_while_an_appeal_waits_offers_only_withdrawal(client):
    team = make_team("pivotal")
    case = _investigating(team)
    signed_off(team, case, "response")
    s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
    s.case_request_escalation(case=case, actor=team.colleague, requested_at=NOW)
    client.force_login(team.investigator)

    response = _form(client, case, Action.CLOSE)

    assert _radio_values(response, "reason_code") == ["10.1b"]


def test_the_override_question_is_asked_only_of_someone_who_is_not_the_handler(client):
    team = make_team("pivotal")
    case = signed_off(team, _investigating(team), "response")
    label = f"I am acting for the allocated handler, {team.investigator}, because"

    client.force_login(team.investigator)
    assert label not in page_text(_form(client, case, Action.RESPOND))

    # The lead officer, who may see every case, acts for the handler (domain/authority.py).
    client.force_login(team.lead)
    assert label in page_text(_form(client, case, Action.RESPOND))
    response = client.post(
        reverse("cases:action", args=[case.reference, Action.RESPOND]),
        {"outcome": "upheld", "reasons": "Late.", "means": "email"},
    )
    assert "Say why you are acting for the allocated handler" in error_summary(response)

    response = client.post(
        reverse("cases:action", args=[case.reference, Action.RESPOND]),
        {
            "outcome": "upheld",
            "reasons": "Late.",
            "means": "email",
            "override": "They are on leave this week.",
            "confirm_step": "confirm",
        },
    )
    assert response.status_code == 302, error_summary(response)
    page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert f"Acting for {team.investigator} They are on leave this week." in page


def test_the_accept_form_prompts_that_6_1g_applies_to_a_complaint_naming_a_colleague(client):
    team = make_team("pivotal")
    named = receive_complaint(team, RECEIVED, about_colleagues=[team.investigator2])
    plain = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    prompt = "About a Pivotal colleague: passed to their line manager (§6.1 g; §7.2) may apply"
    assert prompt in page_text(_form(client, named, Action.ACCEPT))
    assert prompt not in page_text(_form(client, plain, Action.ACCEPT))


def test_the_refuse_form_does_not_offer_6_1a_for_a_safeguarding_complaint(client):
    # §6.1 a: "(unless related to safeguarding or health and safety matters)".
    team = make_team("pivotal")
    old = date(2025, 1, 5)  # over a year before receipt
    safeguarding = receive_complaint(team, RECEIVED, incident_date=old, safeguarding=True)
    out_of_time = receive_complaint(team, RECEIVED, incident_date=old)
    client.force_login(team.allocator)

    assert "6.1a" not in _radio_values(_form(client, safeguarding, Action.REFUSE), "reason_code")
    assert "6.1a" in _radio_values(_form(client, out_of_time, Action.REFUSE), "reason_code")
    # Neither names a colleague, so §6.1 g is not offered.
    assert "6.1g" not in _radio_values(_form(client, out_of_time, Action.REFUSE), "reason_code")


def test_the_code_escalation_refusal_form_asks_for_a_section_2_reason(client):
    team = make_team("hos-code-2024")
    case = _investigating(team)
    s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
    s.case_request_escalation(case=case, actor=team.colleague, requested_at=NOW)
    client.force_login(team.reviewer)

    response = _form(client, case, Action.REFUSE_ESCALATION)

    # No incident date, so "over 12 months" does not fit (Code 2.2; Code 5.11).
    assert _radio_values(response, "refusal_code") == ["legal_proceedings", "already_considered"]


def test_the_mmbm_directors_appeal_form_asks_for_the_exceptional_circumstances(client):
    team = make_team("mmbm")
    case = _investigating(team)
    s.case_respond(case=case, actor=team.investigator, outcome="upheld", reasons="Late.")
    s.case_request_escalation(case=case, actor=team.colleague, requested_at=NOW)
    s.case_accept_escalation(case=case, actor=team.reviewer)
    s.case_allocate(case=case, actor=team.reviewer, handler=team.reviewer2)
    s.case_acknowledge(case=case, actor=team.reviewer2)
    s.case_respond(case=case, actor=team.reviewer2, outcome="not_upheld", reasons="Fair.")
    s.case_request_escalation(case=case, actor=team.colleague, requested_at=NOW)
    client.force_login(team.director)

    assert "The exceptional circumstances" in page_text(
        _form(client, case, Action.ACCEPT_ESCALATION)
    )
    response = client.post(
        reverse("cases:action", args=[case.reference, Action.ACCEPT_ESCALATION]), {}
    )
    assert "Record the exceptional circumstances, or refuse the request." in error_summary(response)
