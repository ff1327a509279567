"""Additional complaints during stage 1 (Pivotal §9 stage 1 step 8; Code 6.8): "taken into
account as part of the stage one response if they are relevant and the stage one response has
not been issued"; otherwise "logged as a new complaint". The colleague logging chooses; a
response with complaints taken into it must say how it answers them."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.forms import new_idempotency_key
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team, receive_complaint, signed_off
from fairhear.cases.tests.test_views import _log_data, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.django_db

MON = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # Monday 2 March 2026
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)  # Wednesday 4 March 2026
GRACE = s.PersonDetails(name="Grace Hopper", phone="01632 960 001")


def _investigating(team):
    case = receive_complaint(team, MON, complainant=GRACE)
    s.case_accept(case=case, actor=team.allocator)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    return s.case_acknowledge(case=case, actor=team.investigator)


def _new_complaint(team, **kw):
    return receive_complaint(
        team,
        datetime(2026, 3, 4, 9, 15, tzinfo=LONDON),
        complainant=GRACE,
        summary="The radiator in the hall leaks too.",
        ask_about_person=True,
        # The handler logs it: a colleague who may not see the open case is not told of it
        # (need to know), so only someone who may see it is asked.
        logged_by=team.investigator,
        **kw,
    )


def test_logging_a_complaint_while_stage_1_is_open_asks_the_colleague_to_choose():
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        open_case = _investigating(team)
        with pytest.raises(s.AdditionalComplaintQuestion) as asked:
            _new_complaint(team)
    assert str(asked.value) == (
        f"The complainant's complaint {open_case.reference} is being investigated at stage 1. "
        "Choose whether to take this one into its stage 1 response or to log it as a new "
        "complaint linked to it (Pivotal §9 stage 1 step 8)."
    )
    assert Case.objects.count() == 1


def test_taken_in_it_is_an_event_on_the_open_case_and_the_response_must_answer_it():
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        open_case = _investigating(team)
        returned = _new_complaint(
            team, additional_to=open_case.reference, additional_handling="take_in"
        )
        assert returned.pk == open_case.pk
        assert Case.objects.count() == 1
        taken = open_case.events.order_by("-sequence").first()
        assert taken.kind == Action.TAKE_INTO_RESPONSE
        assert taken.data["summary"] == "The radiator in the hall leaks too."
        signed_off(team, open_case, "response")
        with pytest.raises(s.TransitionRejected) as unanswered:
            s.case_respond(
                case=open_case,
                actor=team.investigator,
                outcome=s.Outcome.UPHELD,
                reasons="The boiler repair was late.",
            )
        assert str(unanswered.value) == (
            "The complainant raised an additional complaint during this investigation, taken "
            "into this response (Wed 4 Mar 2026: The radiator in the hall leaks too.). Say how "
            "the response answers it (Pivotal §9 stage 1 step 8; Code 6.8)."
        )
        s.case_respond(
            case=open_case,
            actor=team.investigator,
            outcome=s.Outcome.UPHELD,
            reasons="The boiler repair was late.",
            additional_answer="The radiator was repaired on 3 March; see point 2.",
        )
    response = open_case.events.order_by("-sequence").first()
    assert response.data["additional_answer"] == (
        "The radiator was repaired on 3 March; see point 2."
    )
    # Once the stage 1 response has gone, nothing more is taken into it.
    with time_machine.travel(NOW, tick=False), pytest.raises(s.TransitionRejected):
        s.case_take_into_response(case=open_case, actor=team.colleague, summary="And the door.")


def test_logged_as_new_it_is_linked_to_the_open_case(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        open_case = _investigating(team)
        new = _new_complaint(
            team, additional_to=open_case.reference, additional_handling="new_linked"
        )
        client.force_login(team.investigator)
        page = page_text(client.get(reverse("cases:detail", args=[new.reference])))
    assert new.pk != open_case.pk
    assert new.events.get(sequence=1).data["linked_to"]["reference"] == open_case.reference
    assert (
        f"Linked to {open_case.reference}: raised while its stage 1 investigation was open "
        "(Pivotal §9 stage 1 step 8; Code 6.8)"
    ) in page


def test_the_log_form_offers_both_and_taking_it_in_shows_on_the_open_case(client):
    team = make_team("pivotal")
    with time_machine.travel(NOW, tick=False):
        open_case = _investigating(team)
        client.force_login(team.investigator)
        data = _log_data(summary="The radiator in the hall leaks too.")
        asked = client.post(reverse("cases:log"), data)
        text = page_text(asked)
        assert f"Take it into the stage 1 response of {open_case.reference}" in text
        assert f"Log it as a new complaint linked to {open_case.reference}" in text
        done = client.post(
            reverse("cases:log"),
            {**data, "additional": f"take_in:{open_case.reference}"},
            follow=True,
        )
    text = page_text(done)
    assert f"Taken into the stage 1 response of {open_case.reference}." in text
    assert "Additional complaint taken into the stage 1 response" in text
    assert Case.objects.count() == 1


def test_the_same_logging_form_sent_twice_takes_the_complaint_in_once():
    # The back button then Save, or a retried POST: one "taken into the response" event, and
    # the repeat is answered with the case it was taken into.
    team = make_team("pivotal")
    key = new_idempotency_key()
    with time_machine.travel(NOW, tick=False):
        open_case = _investigating(team)
        before = open_case.events.count()
        first = _new_complaint(
            team,
            additional_to=open_case.reference,
            additional_handling="take_in",
            idempotency_key=key,
        )
        with pytest.raises(s.AlreadyReceived) as repeated:
            _new_complaint(
                team,
                additional_to=open_case.reference,
                additional_handling="take_in",
                idempotency_key=key,
            )

    assert first.pk == open_case.pk
    assert repeated.value.case.pk == open_case.pk
    assert open_case.events.count() == before + 1
    assert open_case.events.filter(kind=Action.TAKE_INTO_RESPONSE).count() == 1
