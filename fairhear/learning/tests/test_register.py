"""The learning register: lessons learned with remedial actions (Pivotal §22.1, §22.4) and
ombudsman findings with orders to comply with (Pivotal §1.4, §16.1), kept by the lead officer,
never showing or linking a case the lead may not see, every change in the change log."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange
from fairhear.accounts.tests.factories import ServiceAreaFactory, UserFactory
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import error_summary, page_text
from fairhear.domain.clock import LONDON
from fairhear.learning.models import Lesson, OmbudsmanFinding, OmbudsmanOrder, RemedialAction

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London; the complaint came on Monday 2 March 2026.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


@pytest.fixture
def lead_client(client, team):
    client.force_login(team.lead)
    return client


def _new_lesson(client, **data):
    return client.post(reverse("learning:lesson_new"), {"learned": "", "cases": "", **data})


def _lesson(team, case=None):
    return Lesson.objects.create(
        organisation=team.org,
        learned="Repairs must be booked while the caller is on the phone.",
        service_area=ServiceAreaFactory(organisation=team.org, name="Repairs"),
        recorded_by=team.lead,
        recorded_at=NOW,
    )


def test_the_lead_records_a_lesson_from_a_case_and_the_change_log_says_so(lead_client, team):
    case = receive_complaint(team, RECEIVED)

    response = _new_lesson(
        lead_client, learned="Book boiler repairs before ending the call.", cases=case.reference
    )

    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:lesson", args=[lesson.pk])
    assert list(lesson.cases.all()) == [case]
    change = AdministrativeChange.objects.get(what="lesson")
    assert change.actor == team.lead
    assert change.after["cases"] == [case.reference]
    page = page_text(lead_client.get(response["Location"]))
    assert "Book boiler repairs before ending the call." in page
    assert case.reference in page


def test_a_lesson_needs_a_case_or_a_service_area_and_says_so(lead_client):
    response = _new_lesson(lead_client, learned="Something was learned.")

    assert response.status_code == 400
    assert "Link the lesson to at least one case or a service area." in error_summary(response)
    assert not Lesson.objects.exists()
    assert not AdministrativeChange.objects.filter(what="lesson").exists()


def test_a_lesson_about_a_service_area_alone_is_accepted(lead_client, team):
    area = ServiceAreaFactory(organisation=team.org, name="Extra care")

    response = _new_lesson(lead_client, learned="Call back the same day.", service_area=area.pk)

    assert response.status_code == 302
    assert Lesson.objects.get().service_area == area


def test_a_case_the_lead_may_not_see_cannot_be_linked(lead_client, team):
    about_the_lead = receive_complaint(team, RECEIVED, about_colleagues=[team.lead])
    other_org_case = receive_complaint(make_team("pivotal"), RECEIVED)

    for case in (about_the_lead, other_org_case):
        response = _new_lesson(lead_client, learned="A lesson.", cases=case.reference)
        assert response.status_code == 400
        assert f"There is no case {case.reference} that you can see." in error_summary(response)
    assert not Lesson.objects.exists()

    lesson = _lesson(team)
    response = lead_client.post(
        reverse("learning:lesson", args=[lesson.pk]),
        {"form": "link", "reference": about_the_lead.reference},
    )
    assert response.status_code == 400
    assert f"There is no case {about_the_lead.reference} that you can see." in error_summary(
        response
    )
    assert not lesson.cases.exists()


def test_a_lesson_lists_only_the_linked_cases_the_lead_may_see(lead_client, team):
    seen = receive_complaint(team, RECEIVED)
    unseen = receive_complaint(team, RECEIVED, about_colleagues=[team.lead])
    lesson = _lesson(team)
    lesson.cases.set([seen, unseen])  # linked before the second case was about the lead

    page = page_text(lead_client.get(reverse("learning:lesson", args=[lesson.pk])))

    assert seen.reference in page
    assert unseen.reference not in page


def test_only_the_lead_uses_the_register(client, team):
    client.force_login(team.allocator)
    assert client.get(reverse("learning:register")).status_code == 403
    client.force_login(team.lead)
    assert client.get(reverse("learning:register")).status_code == 200


def test_a_lesson_of_another_organisation_is_not_found(lead_client):
    other = _lesson(make_team("pivotal"))
    assert lead_client.get(reverse("learning:lesson", args=[other.pk])).status_code == 404


def _add_action(client, lesson, **data):
    return client.post(
        reverse("learning:lesson", args=[lesson.pk]),
        {"form": "action", "what": "Retrain the call handlers.", **data},
    )


def test_a_remedial_action_is_due_today_or_later_and_owned_by_an_active_colleague(
    lead_client, team
):
    lesson = _lesson(team)
    gone = UserFactory(organisation=team.org, is_active=False)
    stranger = UserFactory()

    late = _add_action(lead_client, lesson, owner=team.investigator.pk, due_on="2026-03-03")
    assert late.status_code == 400
    assert "The due date must be today (4 March 2026) or later." in error_summary(late)
    for owner in (gone, stranger):
        response = _add_action(lead_client, lesson, owner=owner.pk, due_on="2026-03-10")
        assert response.status_code == 400
        assert "Choose an owner who is an active colleague in your organisation." in (
            error_summary(response)
        )
    assert not RemedialAction.objects.exists()

    ok = _add_action(lead_client, lesson, owner=team.investigator.pk, due_on="2026-03-04")
    assert ok.status_code == 302
    action = RemedialAction.objects.get()
    assert (action.owner, action.due_on, action.done_on) == (
        team.investigator,
        date(2026, 3, 4),
        None,
    )
    change = AdministrativeChange.objects.get(what="remedial action")
    assert change.after["due_on"] == "2026-03-04"


def _register(client, status=""):
    return page_text(client.get(reverse("learning:register"), {"status": status} if status else {}))


def test_an_action_is_overdue_the_day_after_its_due_date_until_it_is_done(lead_client, team):
    lesson = _lesson(team)
    _add_action(lead_client, lesson, owner=team.investigator.pk, due_on="2026-03-10")
    action = RemedialAction.objects.get()
    learned = lesson.learned

    with time_machine.travel(datetime(2026, 3, 10, 17, 0, tzinfo=LONDON), tick=False):
        lead_client.force_login(team.lead)  # a new day, a new sign-in
        assert "Nothing is overdue." in _register(lead_client)
        assert learned not in _register(lead_client, "overdue")
        assert learned in _register(lead_client, "open")

    with time_machine.travel(datetime(2026, 3, 11, 9, 0, tzinfo=LONDON), tick=False):
        lead_client.force_login(team.lead)  # a new day, a new sign-in
        page = _register(lead_client)
        assert "Retrain the call handlers. Lesson" in page
        assert "10 March 2026" in page
        assert learned in _register(lead_client, "overdue")
        assert learned not in _register(lead_client, "done")

        future = lead_client.post(
            reverse("learning:action_done", args=[lesson.pk, action.pk]), {"done_on": "2026-03-12"}
        )
        assert "cannot be in the future" in page_text(lead_client.get(future["Location"]))
        lead_client.post(
            reverse("learning:action_done", args=[lesson.pk, action.pk]), {"done_on": "2026-03-11"}
        )
        action.refresh_from_db()
        assert action.done_on == date(2026, 3, 11)
        assert "Nothing is overdue." in _register(lead_client)
        assert learned in _register(lead_client, "done")
        assert learned not in _register(lead_client, "open")
    change = AdministrativeChange.objects.filter(what="remedial action").latest("pk")
    assert (change.before, change.after) == ({"done_on": None}, {"done_on": "2026-03-11"})


def _record_finding(client, case, **data):
    return client.post(
        reverse("learning:finding_new"),
        {
            "reference": case.reference,
            "body": "Housing Ombudsman Service",
            "finding": "service_failure",
            "decided_on": "2026-03-03",
            **data,
        },
    )


def test_an_ombudsman_finding_and_its_order_are_followed_to_compliance(lead_client, team):
    case = receive_complaint(team, RECEIVED)

    future = _record_finding(lead_client, case, decided_on="2026-03-05")
    assert future.status_code == 400
    assert "The date of the decision cannot be in the future." in error_summary(future)
    response = _record_finding(lead_client, case)
    finding = OmbudsmanFinding.objects.get()
    assert response["Location"] == reverse("learning:finding", args=[finding.pk])
    assert AdministrativeChange.objects.get(what="ombudsman finding").after["finding"] == (
        "service_failure"
    )

    url = reverse("learning:finding", args=[finding.pk])
    early = lead_client.post(url, {"what": "Pay £150", "comply_by": "2026-03-02"})
    assert early.status_code == 400
    assert "The date to comply by cannot be before the decision (3 March 2026)." in (
        error_summary(early)
    )
    lead_client.post(url, {"what": "Pay £150 for the time and trouble.", "comply_by": "2026-03-31"})
    order = OmbudsmanOrder.objects.get()

    with time_machine.travel(datetime(2026, 3, 31, 16, 0, tzinfo=LONDON), tick=False):
        lead_client.force_login(team.lead)  # a new day, a new sign-in
        assert "Nothing is overdue." in _register(lead_client)
    with time_machine.travel(datetime(2026, 4, 1, 9, 0, tzinfo=LONDON), tick=False):
        lead_client.force_login(team.lead)  # a new day, a new sign-in
        page = _register(lead_client)
        assert f"Pay £150 for the time and trouble. Ombudsman order on {case.reference}" in page
        lead_client.post(
            reverse("learning:order_done", args=[finding.pk, order.pk]), {"done_on": "2026-04-01"}
        )
        assert "Nothing is overdue." in _register(lead_client)
    order.refresh_from_db()
    assert order.done_on == date(2026, 4, 1)
    assert AdministrativeChange.objects.filter(what="ombudsman order").count() == 2


def test_a_finding_on_a_case_the_lead_may_not_see_is_neither_listed_nor_opened(lead_client, team):
    case = receive_complaint(team, RECEIVED, about_colleagues=[team.lead])
    response = _record_finding(lead_client, case)
    assert response.status_code == 400
    assert f"There is no case {case.reference} that you can see." in error_summary(response)

    # Recorded by someone who may see it (here straight in the table).
    finding = OmbudsmanFinding.objects.create(
        organisation=team.org,
        case=case,
        body="Housing Ombudsman Service",
        finding="maladministration",
        decided_on=date(2026, 3, 3),
        recorded_by=team.allocator,
        recorded_at=NOW,
    )
    OmbudsmanOrder.objects.create(
        finding=finding, what="Apologise.", comply_by=date(2026, 3, 3), recorded_at=NOW
    )

    assert lead_client.get(reverse("learning:finding", args=[finding.pk])).status_code == 404
    done = reverse("learning:order_done", args=[finding.pk, finding.orders.get().pk])
    assert lead_client.post(done, {"done_on": "2026-03-04"}).status_code == 404
    page = _register(lead_client)
    assert case.reference not in page
    assert "Apologise." not in page
    assert "Nothing is overdue." in page


def test_an_action_already_done_is_not_done_again(lead_client, team):
    lesson = _lesson(team)
    _add_action(lead_client, lesson, owner=team.investigator.pk, due_on="2026-03-04")
    action = RemedialAction.objects.get()
    url = reverse("learning:action_done", args=[lesson.pk, action.pk])

    lead_client.post(url, {"done_on": "2026-03-04"})
    again = lead_client.post(url, {"done_on": "2026-03-04"}, follow=True)

    assert "This action was already done on 4 March 2026." in page_text(again)
    assert AdministrativeChange.objects.filter(what="remedial action").count() == 2  # add, done
