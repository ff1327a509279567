"""The debrief after closure (Pivotal §22.1: "Following closure of a complaint, Pivotal will hold
a debriefing session with colleagues who have been involved in the process ... to support
colleagues and to consider whether lessons can be learned for service improvement"): the
"Debriefs to hold" list, who records a debrief, and what its form refuses and why."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange
from fairhear.cases.services import case_accept, case_allocate, case_close
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import error_summary, page_text
from fairhear.domain.clock import LONDON
from fairhear.learning.models import Debrief, Lesson

pytestmark = pytest.mark.django_db

# Complaints received on Monday 2 March 2026; the pages are looked at on Friday 13 March 2026.
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)
NOW = datetime(2026, 3, 13, 15, 0, tzinfo=LONDON)


def on(day: int, hour: int = 11) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def closed(team, closed_on: datetime, *, reason="10.1e", **kw):
    """A complaint accepted, allocated to the team's investigator and closed by them on the day
    given as "nothing more we can do" (§10.1 e)."""
    case = receive_complaint(team, RECEIVED, **kw)
    case_accept(case=case, actor=team.allocator, occurred_at=on(3))
    case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=on(3))
    return case_close(case=case, actor=team.investigator, reason_code=reason, occurred_at=closed_on)


def to_hold(client, user, url="learning:register") -> list[str]:
    """The references in the "Debriefs to hold" table, in the order shown."""
    client.force_login(user)
    response = client.get(reverse(url))
    assert response.status_code == 200
    table = response.content.decode().split('aria-label="Debriefs to hold"')
    if len(table) == 1:
        assert "No closed complaint is waiting for its debrief." in page_text(response)
        return []
    rows = table[1].split("</table>")[0]
    return [r.split('">')[1].split("<")[0] for r in rows.split("/cases/")[1:] if '">' in r]


def record(client, case, **data):
    return client.post(
        reverse("learning:debrief", args=[case.reference]),
        {
            "held_on": "2026-03-12",
            "discussed": "How the repair was booked and why the call-back was missed.",
            "support_given": "",
            "lesson_learned": "no",
            "lesson": "",
            "new_lesson": "",
            **data,
        },
    )


def test_closed_complaints_wait_for_their_debrief_longest_closed_first(client, team):
    later = closed(team, on(10))
    earlier = closed(team, on(5))
    open_case = receive_complaint(team, RECEIVED)

    assert to_hold(client, team.lead) == [earlier.reference, later.reference]
    page = page_text(client.get(reverse("learning:register")))
    assert "5 March 2026" in page
    assert "10 March 2026" in page
    assert open_case.reference not in page


def test_a_debrief_recorded_takes_the_complaint_off_the_list(client, team):
    case = closed(team, on(5))
    client.force_login(team.lead)

    response = record(
        client,
        case,
        colleagues=[team.investigator.pk, team.allocator.pk],
        support_given="The investigator was offered supervision after a hard call.",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("learning:debrief", args=[case.reference])
    assert to_hold(client, team.lead) == []
    page = page_text(client.get(response["Location"]))
    assert "12 March 2026" in page
    assert str(team.investigator) in page
    assert str(team.allocator) in page
    assert "How the repair was booked and why the call-back was missed." in page
    assert "The investigator was offered supervision after a hard call." in page
    change = AdministrativeChange.objects.get(what="debrief")
    assert change.actor == team.lead
    assert change.after["case"] == case.reference


def test_a_complaint_the_viewer_may_not_see_never_appears(client, team):
    # A complaint about the lead is invisible to the lead (need to know, domain/access.py).
    about_lead = closed(team, on(5), about_colleagues=[team.lead])
    other_org = closed(make_team("pivotal"), on(5))

    assert to_hold(client, team.lead) == []
    for case in (about_lead, other_org):
        assert client.get(reverse("learning:debrief", args=[case.reference])).status_code == 404
        assert record(client, case, colleagues=[team.lead.pk]).status_code == 404
    assert not Debrief.objects.exists()


def test_mmbm_asks_for_no_debrief_and_lists_none(client):
    mmbm = make_team("mmbm")
    case = receive_complaint(mmbm, RECEIVED)
    case_accept(case=case, actor=mmbm.allocator, occurred_at=on(3))
    case_close(case=case, actor=mmbm.lead, reason_code="withdrawn", occurred_at=on(5))

    assert to_hold(client, mmbm.lead) == []


def test_the_colleague_who_handled_it_sees_it_and_records_it(client, team):
    case = closed(team, on(5))

    assert to_hold(client, team.investigator, "learning:debriefs") == [case.reference]
    assert to_hold(client, team.investigator2, "learning:debriefs") == []
    assert to_hold(client, team.colleague, "learning:debriefs") == []

    client.force_login(team.investigator)
    assert record(client, case, colleagues=[team.investigator.pk]).status_code == 302
    assert Debrief.objects.get().recorded_by == team.investigator


def test_the_colleague_who_closed_it_unallocated_sees_it(client, team):
    case = receive_complaint(team, RECEIVED)
    case_accept(case=case, actor=team.allocator, occurred_at=on(3))
    case_close(case=case, actor=team.investigator2, reason_code="10.1e", occurred_at=on(4))

    assert to_hold(client, team.investigator2, "learning:debriefs") == [case.reference]
    assert to_hold(client, team.investigator, "learning:debriefs") == []


def test_a_colleague_not_involved_is_told_who_records_it_and_cannot(client, team):
    case = closed(team, on(5))
    # The Head of Services accepted and allocated it and may see it, but neither handled nor
    # closed it.
    client.force_login(team.allocator)

    page = page_text(client.get(reverse("learning:debrief", args=[case.reference])))
    assert "The lead officer, or a colleague who handled or closed the complaint, records it" in (
        page
    )
    response = record(client, case, colleagues=[team.allocator.pk])
    assert response.status_code == 400
    assert "Only the lead officer, or a colleague who handled or closed the complaint" in (
        error_summary(response)
    )
    assert not Debrief.objects.exists()


def test_an_empty_form_says_what_each_field_needs(client, team):
    case = closed(team, on(5))
    client.force_login(team.lead)

    response = record(client, case, held_on="", discussed="", lesson_learned="")

    assert response.status_code == 400
    summary = error_summary(response)
    assert "Enter the date the debrief was held." in summary
    assert "Choose the colleagues who took part." in summary
    assert "Say what was discussed." in summary
    assert "Say whether a lesson was learned." in summary
    assert not Debrief.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"held_on": "2026-03-14"}, "The date of the debrief cannot be in the future."),
        # Closed on Thursday 5 March: a debrief on the 4th would come before it.
        ({"held_on": "2026-03-04"}, "the date cannot be before 5 March 2026."),
        ({"held_on": "the twelfth"}, "Enter the date as a real date, like 2026-12-29."),
        ({"lesson_learned": "yes"}, "Write the lesson that was learned, or choose one"),
        ({"new_lesson": "Call back the same day."}, "You said no lesson was learned"),
        ({"colleagues": ["x"]}, "Choose colleagues who are active in your organisation."),
    ],
)
def test_the_form_refuses_what_cannot_be_recorded_and_says_how_to_fix_it(client, team, data, words):
    case = closed(team, on(5))
    client.force_login(team.lead)

    response = record(client, case, **{"colleagues": [team.investigator.pk], **data})

    assert response.status_code == 400
    assert words in error_summary(response)
    assert not Debrief.objects.exists()


def test_a_colleague_of_another_organisation_cannot_be_named(client, team):
    case = closed(team, on(5))
    stranger = make_team("pivotal").investigator
    client.force_login(team.lead)

    response = record(client, case, colleagues=[stranger.pk])

    assert response.status_code == 400
    assert "Choose colleagues who are active in your organisation." in error_summary(response)


def test_a_lesson_written_in_the_debrief_goes_into_the_register_linked_to_the_case(client, team):
    case = closed(team, on(5))
    client.force_login(team.lead)

    response = record(
        client,
        case,
        colleagues=[team.investigator.pk],
        lesson_learned="yes",
        new_lesson="Book the repair while the caller is still on the phone.",
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.learned == "Book the repair while the caller is still on the phone."
    assert list(lesson.cases.all()) == [case]
    assert Debrief.objects.get().lesson == lesson
    page = page_text(client.get(reverse("learning:lesson", args=[lesson.pk])))
    assert case.reference in page


def test_a_lesson_already_in_the_register_can_be_chosen_but_not_with_a_new_one(client, team):
    case = closed(team, on(5))
    lesson = Lesson.objects.create(
        organisation=team.org,
        learned="Call back the same day.",
        recorded_by=team.lead,
        recorded_at=on(4),
    )
    client.force_login(team.lead)
    base = {"colleagues": [team.investigator.pk], "lesson_learned": "yes", "lesson": lesson.pk}

    both = record(client, case, **base, new_lesson="Another one.")
    assert both.status_code == 400
    assert "Choose a lesson from the register or write a new one, not both." in (
        error_summary(both)
    )

    assert record(client, case, **base).status_code == 302
    assert list(lesson.cases.all()) == [case]
    assert Lesson.objects.count() == 1


def test_a_second_debrief_for_the_same_complaint_records_nothing(client, team):
    case = closed(team, on(5))
    client.force_login(team.lead)
    assert record(client, case, colleagues=[team.investigator.pk]).status_code == 302

    again = record(client, case, colleagues=[team.allocator.pk], discussed="Something else.")

    assert again.status_code == 200  # the page shows the debrief as it was recorded
    assert Debrief.objects.count() == 1
    assert "Something else." not in page_text(again)
    assert list(Debrief.objects.get().colleagues.all()) == [team.investigator]
