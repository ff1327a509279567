"""People across cases: a complainant who comes back is recognised and their record reused;
an uncertain match is asked about, never merged silently; a changed detail is kept with the old
one in the history; the case page lists the person's other cases the colleague may see."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.cases.models import Case, Person
from fairhear.cases.services import PersonDetails, PersonMatchUncertain, case_receive
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import _log_data, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind

pytestmark = pytest.mark.django_db

MON = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
WED = datetime(2026, 3, 4, 9, 0, tzinfo=LONDON)
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)


def _receive(team, when, details, **kw):
    return receive_complaint(team, when, complainant=details, **kw)


def test_a_complainant_who_comes_back_with_a_new_phone_is_the_same_person_and_keeps_the_old():
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        first = _receive(
            team,
            MON,
            PersonDetails(name="Ada Lovelace", email="ada@example.org", phone="01632 960001"),
        )
        second = _receive(
            team,
            WED,
            PersonDetails(name="ADA LOVELACE", email="Ada@Example.org", phone="07700 900123"),
        )
    assert second.complainant_id == first.complainant_id
    assert Person.objects.count() == 1
    person = Person.objects.get()
    assert (person.name, person.phone) == ("Ada Lovelace", "07700 900123")
    receipt = second.events.get(sequence=1)
    assert receipt.data["people"]["complainant"] == {
        "person_id": person.pk,
        "recognised": "same",
        "why": ["the same name", "the same e-mail address"],
        "changes": [{"field": "phone", "was": "01632 960001", "now": "07700 900123"}],
    }


def test_a_name_alone_makes_a_new_person():
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        first = _receive(team, MON, PersonDetails(name="Ada Lovelace", email="ada@example.org"))
        second = _receive(team, WED, PersonDetails(name="Ada Lovelace", email="al@example.com"))
    assert second.complainant_id != first.complainant_id


def test_people_of_another_organisation_are_never_matched():
    team, other = make_team("pivotal"), make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        first = _receive(team, MON, PersonDetails(name="Ada Lovelace", email="ada@example.org"))
        second = _receive(other, WED, PersonDetails(name="Ada Lovelace", email="ada@example.org"))
    assert second.complainant_id != first.complainant_id


def test_an_uncertain_match_asks_the_colleague_and_then_does_what_they_say():
    team = make_team("pivotal")
    household = PersonDetails(name="Byron Lovelace", email="ada@example.org")
    with time_machine.travel(WED, tick=False):
        first = _receive(team, MON, PersonDetails(name="Ada Lovelace", email="ada@example.org"))
        with pytest.raises(PersonMatchUncertain) as asked:
            _receive(team, WED, household, ask_about_person=True)
        assert Case.objects.count() == 1  # nothing logged until the colleague says
        assert str(asked.value) == (
            f"This looks like Ada Lovelace (case {first.reference}): the same e-mail address. "
            "Say whether it is the same person, so that their cases are kept together, or a "
            "different person."
        )
        same = _receive(
            team, WED, household, ask_about_person=True, same_person_as=first.complainant_id
        )
        different = _receive(team, WED, household, ask_about_person=True, not_same_person=True)
        # Without a colleague to ask (the public form), an uncertain match is a new person.
        public = _receive(team, WED, household, logged_by=None)
    assert same.complainant_id == first.complainant_id
    assert same.events.get(sequence=1).data["people"]["complainant"]["recognised"] == "confirmed"
    assert different.complainant_id not in {first.complainant_id, None}
    # The person just logged as different is now known by name and e-mail: certain.
    assert public.complainant_id == different.complainant_id


def test_only_people_with_a_case_the_colleague_may_see_are_offered():
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        # A complaint about the colleague is invisible to them (need to know).
        _receive(
            team,
            MON,
            PersonDetails(name="Ada Lovelace", email="ada@example.org"),
            about_colleagues=[team.colleague],
        )
        case = _receive(
            team,
            WED,
            PersonDetails(name="Byron Lovelace", email="ada@example.org"),
            ask_about_person=True,
        )
    assert case.events.get(sequence=1).data["people"]["complainant"]["recognised"] == "new"


def test_a_chosen_person_who_no_longer_matches_is_refused_in_words():
    team = make_team("pivotal")
    with time_machine.travel(WED, tick=False):
        first = _receive(team, MON, PersonDetails(name="Ada Lovelace", email="ada@example.org"))
        with pytest.raises(ValueError, match="no longer matches these details"):
            _receive(
                team,
                WED,
                PersonDetails(name="Grace Hopper", email="grace@example.org"),
                same_person_as=first.complainant_id,
            )


def test_the_log_form_asks_whether_it_is_the_same_person(client):
    team = make_team("pivotal")
    with time_machine.travel(NOON, tick=False):
        first = _receive(team, MON, PersonDetails(name="Grace Hopper", email="grace@example.org"))
        client.force_login(team.colleague)
        data = _log_data(complainant_name="G. Hopper", complainant_email="grace@example.org")
        asked = client.post(reverse("cases:log"), data)
        assert asked.status_code == 200
        text = page_text(asked)
        assert f"This looks like Grace Hopper (case {first.reference})" in text
        assert "Is this someone we already know?" in text
        assert Case.objects.count() == 1

        done = client.post(
            reverse("cases:log"), {**data, "same_person": str(first.complainant_id)}, follow=True
        )
    second = Case.objects.order_by("pk").last()
    assert second.complainant_id == first.complainant_id
    text = page_text(done)
    assert "Other cases of this person" in text
    assert first.reference in text


def test_the_case_page_lists_only_other_cases_the_colleague_may_see(client):
    team = make_team("pivotal")
    ada = PersonDetails(name="Ada Lovelace", email="ada@example.org")
    with time_machine.travel(WED, tick=False):
        seen = _receive(team, MON, ada)
        hidden = _receive(team, MON, ada, about_colleagues=[team.colleague])
        compliment = case_receive(
            organisation=team.org,
            logged_by=team.colleague,
            kind=CaseKind.COMPLIMENT,
            channel=Case.Channel.PHONE,
            summary="Thanks for the quick repair.",
            received_at=MON,
            complainant=ada,
        )
        case = _receive(team, WED, ada)
        client.force_login(team.colleague)
        text = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert "Other cases of this person" in text
    assert seen.reference in text
    assert compliment.reference in text
    assert hidden.reference not in text
