"""Restricted access: the pack's categories restrict a case from the moment it is logged, the
lead restricts any case and names who may see it, each change is an event, and every view of a
restricted case is in an append-only access log the lead reads (Pivotal App. 3 E; MMBM 7.6)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.urls import reverse

from fairhear.cases import services as s
from fairhear.cases.models import Case, CaseAccessLog
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import _log_data, error_summary, page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.load import load_shipped_pack

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London; received Monday 2 March 2026.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _detail(client, user, case) -> int:
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.reference])).status_code


@pytest.mark.parametrize(
    ("pack", "restricted"),
    [
        ("pivotal", {"safeguarding", "staff_conduct"}),  # App. 3 E; §15.1
        ("mmbm", {"safeguarding", "staff_conduct", "fraud"}),  # 7.5, 7.6, 12
        ("hos-code-2024", {"safeguarding"}),
    ],
)
def test_each_pack_says_which_categories_restrict_access(pack, restricted):
    categories = load_shipped_pack(pack).categories
    assert {c.code for c in categories if c.restricts_access} == restricted


def test_a_safeguarding_complaint_is_seen_only_by_the_lead_and_its_handler(client):
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, categories=["safeguarding"])

    assert case.restricted_access
    assert case.events.get(kind=Action.RECEIVE).data["access_restricted_by"] == ["safeguarding"]
    assert _detail(client, team.allocator, case) == 404  # allocates for the whole organisation
    assert _detail(client, team.colleague, case) == 404  # logged it
    assert _detail(client, team.lead, case) == 200
    client.force_login(team.allocator)
    assert case.reference not in client.get(reverse("cases:my_work")).content.decode()

    s.case_accept(case=case, actor=team.lead)
    s.case_allocate(case=case, actor=team.lead, handler=team.investigator)
    assert _detail(client, team.investigator, case) == 200
    assert _detail(client, team.investigator2, case) == 404


def test_logging_a_safeguarding_complaint_lands_on_cases_i_logged_not_a_missing_page(client):
    team = make_team("pivotal")
    client.force_login(team.colleague)

    response = client.post(
        reverse("cases:log"), _log_data(categories=["safeguarding"]), follow=True
    )

    case = Case.objects.get()
    assert response.redirect_chain == [(reverse("cases:logged"), 302)]
    text = page_text(response)
    assert f"Success Logged as {case.reference}." in text
    assert "Access to it is restricted because of what it is about" in text
    assert f"{case.reference} Complaint, received 4 Mar 2026" in text
    assert "Access restricted to the people named on it" in text
    assert reverse("cases:detail", args=[case.reference]) not in response.content.decode()


def test_the_safeguarding_tick_restricts_access_like_the_category(client):
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, categories=["repairs"], safeguarding=True)

    assert case.restricted_access
    assert _detail(client, team.allocator, case) == 404


def test_the_lead_restricts_names_changes_and_unrestricts_each_an_event(client):
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)
    assert _detail(client, team.allocator, case) == 200
    client.force_login(team.lead)
    url = reverse("cases:action", args=[case.reference, Action.RESTRICT_ACCESS])

    # Restricting is checked first (Check and confirm); this is the Confirm.
    response = client.post(
        url,
        {"reason": "A fraud allegation.", "named": [team.reviewer.pk], "confirm_step": "confirm"},
    )

    assert response.status_code == 302, error_summary(response)
    assert _detail(client, team.allocator, case) == 404
    assert _detail(client, team.reviewer, case) == 200
    banner = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    assert (
        f"Restricted access Only {team.reviewer}, the colleague it is allocated to and the lead "
        "officer can see this case. Every view of it is logged."
    ) in banner
    restricted = case.events.get(kind=Action.RESTRICT_ACCESS)
    assert restricted.data["reason"] == "A fraud allegation."
    assert restricted.data["named"] == [{"id": team.reviewer.pk, "name": str(team.reviewer)}]

    s.case_change_access_names(case=case, actor=team.lead, named=[team.allocator])
    assert (_detail(client, team.reviewer, case), _detail(client, team.allocator, case)) == (
        404,
        200,
    )

    s.case_unrestrict_access(case=case, actor=team.lead, reason="Not fraud after all.")
    case.refresh_from_db()
    assert not case.restricted_access
    assert list(case.access_named.all()) == []
    assert _detail(client, team.allocator, case) == 200
    kinds = list(case.events.order_by("sequence").values_list("kind", flat=True))
    assert kinds[-3:] == [
        Action.RESTRICT_ACCESS,
        Action.CHANGE_ACCESS_NAMES,
        Action.UNRESTRICT_ACCESS,
    ]
    page = page_text(client.get(reverse("cases:detail", args=[case.reference])))
    for title in ("Access restricted", "Who may see it changed", "Restricted access removed"):
        assert title in page


def test_a_colleague_named_in_the_complaint_cannot_be_named_to_see_it():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, about_colleagues=[team.investigator2])

    with pytest.raises(s.CaseInputError, match="is named in this complaint, so may not see it"):
        s.case_restrict_access(
            case=case, actor=team.lead, reason="Staff conduct.", named=[team.investigator2]
        )
    case.refresh_from_db()
    assert not case.restricted_access
    assert not case.events.filter(kind=Action.RESTRICT_ACCESS).exists()


def test_restricting_twice_or_unrestricting_an_open_case_says_why(client):
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.lead)

    page = client.get(reverse("cases:action", args=[case.reference, Action.UNRESTRICT_ACCESS]))
    assert page.status_code == 409
    assert "Access to this case is not restricted." in page_text(page)

    s.case_restrict_access(case=case, actor=team.lead, reason="Safeguarding.", named=[])
    with pytest.raises(s.TransitionRejected, match="already restricted"):
        s.case_restrict_access(case=case, actor=team.lead, reason="Again.", named=[])


def test_only_the_lead_restricts_access(client):
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED)
    client.force_login(team.allocator)

    url = reverse("cases:action", args=[case.reference, Action.RESTRICT_ACCESS])

    assert client.post(url, {"reason": "Mine now."}).status_code == 404
    with pytest.raises(s.TransitionRejected, match="Only someone with the"):
        s.case_restrict_access(case=case, actor=team.allocator, reason="Mine now.", named=[])


def test_every_view_of_a_restricted_case_is_logged_and_the_lead_reads_it(client):
    team = make_team("pivotal")
    restricted = receive_complaint(team, RECEIVED, categories=["staff_conduct"])
    open_case = receive_complaint(team, RECEIVED)
    s.case_accept(case=restricted, actor=team.lead)
    s.case_allocate(case=restricted, actor=team.lead, handler=team.investigator)

    client.force_login(team.investigator)
    client.get(reverse("cases:detail", args=[restricted.reference]))
    client.get(reverse("cases:action", args=[restricted.reference, Action.ADD_NOTE]))
    client.force_login(team.allocator)
    client.get(reverse("cases:detail", args=[restricted.reference]))  # 404: not a view
    client.get(reverse("cases:detail", args=[open_case.reference]))  # not restricted

    log = list(CaseAccessLog.objects.order_by("pk").values_list("user_id", "page", "at"))
    assert log == [
        (team.investigator.pk, f"/cases/{restricted.reference}/", NOW),
        (team.investigator.pk, f"/cases/{restricted.reference}/note_added/", NOW),
    ]

    client.force_login(team.lead)
    page = client.get(reverse("cases:access_log"))
    text = page_text(page)
    assert page.status_code == 200
    assert "The form “Add a note”" in text
    assert "The case page" in text
    assert str(team.investigator) in text
    assert "Wed 4 Mar 2026 10:00" in text
    # Reading the log is not a view of the case; the lead opening the case is.
    assert not CaseAccessLog.objects.filter(user=team.lead).exists()
    client.get(reverse("cases:detail", args=[restricted.reference]))
    assert CaseAccessLog.objects.filter(user=team.lead).count() == 1
    client.force_login(team.investigator)
    assert client.get(reverse("cases:access_log")).status_code == 404


def test_the_access_log_cannot_be_changed_or_emptied():
    team = make_team("pivotal")
    case = receive_complaint(team, RECEIVED, categories=["safeguarding"])
    s.case_access_record(case=case, user=team.lead, page="/cases/x/")
    entry = CaseAccessLog.objects.get()

    with pytest.raises(DatabaseError), transaction.atomic():
        CaseAccessLog.objects.filter(pk=entry.pk).update(page="/elsewhere/")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseAccessLog.objects.filter(pk=entry.pk).delete()
    assert CaseAccessLog.objects.get().page == "/cases/x/"
