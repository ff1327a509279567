"""Notifications inside the app (issue 9 point 4): a row per person per thing told, the count
in the header, the list, marking read, opening a case only while the colleague may see it, and
how each colleague chooses to be e-mailed. Who is told is worked out by hand from the team of
cases.tests.factories.make_team (Pivotal: the colleague's line manager is the lead; the
allocator is the Head of Services; the investigator's line manager is the lead)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from fairhear.alerts.models import Notification, NotificationPreference
from fairhear.alerts.services import Mail, notification_preference_set, notify_people
from fairhear.cases.services import (
    case_accept,
    case_allocate,
    case_forward_compliment,
    case_restrict_access,
)
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

# Wednesday 4 March 2026, 10:00 in London.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", "emailed")
    )


def header_count(client) -> str:
    body = client.get(reverse("cases:my_work")).content.decode()
    return re.search(r'data-testid="unread-count">(\d+)<', body).group(1)


def test_a_new_complaint_gives_each_manager_told_one_notification_and_one_e_mail():
    team = make_team("pivotal")

    case = receive_complaint(team, NOW, notify=True)

    # Pivotal §9 stage 1 step 5: the logger's line manager (the lead) and the Head of Services
    # (the allocator), each once, in the app and by priority e-mail; the logger is not told.
    for user in (team.lead, team.allocator):
        [note] = Notification.objects.filter(user=user)
        assert (note.kind, note.emailed, note.urgent) == ("new_complaint", "now", True)
        assert note.title == f"New complaint {case.reference}"
        assert note.case_id == case.pk
        [mail] = OutboundMessage.objects.filter(to=[user.email], kind="new_complaint")
        assert note.message_id == mail.message_id
    assert rows(team.colleague) == []
    assert Notification.objects.count() == 2


def test_the_same_thing_told_twice_is_refused_whole_never_two_notifications():
    team = make_team("pivotal")
    case = receive_complaint(team, NOW, notify=True)

    def tell_again():
        with transaction.atomic():
            notify_people(
                people=[team.lead],
                organisation_id=team.org.pk,
                source=f"case:{case.pk}:new_complaint",
                kind="new_complaint",
                title="again",
                mail=lambda u: Mail("again", "again"),
                case_id=case.pk,
            )

    # Told before: passed by, nothing sent.
    tell_again()
    assert Notification.objects.filter(user=team.lead).count() == 1
    assert OutboundMessage.objects.filter(to=[team.lead.email]).count() == 1
    # And the unique key is there underneath, whatever a caller does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            organisation=team.org,
            user=team.lead,
            source=f"case:{case.pk}:new_complaint",
            kind="new_complaint",
            title="again",
            emailed="none",
        )


def test_a_digest_or_app_only_preference_keeps_a_compliment_out_of_e_mail_but_not_urgent_news():
    team = make_team("pivotal")
    notification_preference_set(user=team.lead, email="digest")
    compliment = receive_complaint(
        team, NOW, kind=CaseKind.COMPLIMENT, about_colleagues=[team.investigator], notify=True
    )

    case_forward_compliment(case=compliment, actor=team.allocator)
    complaint = receive_complaint(team, NOW, notify=True)

    # The lead (the investigator's line manager, Pivotal §19.3) is told of the compliment in
    # the app, for the digest, with no e-mail now...
    assert rows(team.lead) == [("compliment_forwarded", "digest"), ("new_complaint", "now")]
    assert not OutboundMessage.objects.filter(kind="compliment_forwarded").exists()
    # ...but the new complaint is a priority e-mail, sent at once whatever the preference.
    assert OutboundMessage.objects.filter(to=[team.lead.email], kind="new_complaint").count() == 1
    assert Notification.objects.get(user=team.lead, kind="new_complaint").case_id == complaint.pk


def test_in_the_app_only_means_no_e_mail_except_the_urgent():
    team = make_team("pivotal")
    notification_preference_set(user=team.investigator, email="app_only")

    def tell(source: str, *, urgent: bool) -> None:
        with transaction.atomic():
            notify_people(
                people=[team.investigator, team.investigator2],
                organisation_id=team.org.pk,
                source=source,
                kind="flagged" if urgent else "reminder",
                title=source,
                mail=lambda u: Mail(source, source),
                urgent=urgent,
            )

    tell("routine", urgent=False)
    tell("urgent", urgent=True)

    assert rows(team.investigator) == [("reminder", "none"), ("flagged", "now")]
    assert rows(team.investigator2) == [("reminder", "now"), ("flagged", "now")]
    assert sorted(OutboundMessage.objects.values_list("subject", "to")) == sorted(
        [
            ("routine", [team.investigator2.email]),
            ("urgent", [team.investigator.email]),
            ("urgent", [team.investigator2.email]),
        ]
    )


def test_the_header_counts_the_unread_and_the_list_marks_them_and_opens_each_case(client):
    team = make_team("pivotal")
    first = receive_complaint(team, NOW, notify=True)
    second = receive_complaint(team, NOW, notify=True)
    client.force_login(team.allocator)

    assert header_count(client) == "2"
    page = client.get(reverse("inbox:list"))
    text = page.content.decode()
    assert "2 unread." in text
    # Newest first: the second complaint above the first.
    assert text.index(f"New complaint {second.reference}") < text.index(
        f"New complaint {first.reference}"
    )
    assert text.count("govuk-tag--blue") == 2

    note = Notification.objects.get(user=team.allocator, case=first)
    opened = client.get(reverse("inbox:open", args=[note.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("cases:detail", args=[first.reference])
    assert header_count(client) == "1"

    done = client.post(reverse("inbox:read_all"), follow=True)
    assert "1 notification marked as read." in done.content.decode()
    assert header_count(client) == "0"
    assert Notification.objects.filter(user=team.allocator, read_at=None).count() == 0
    # The lead's own are untouched by the allocator's marking.
    assert Notification.objects.filter(user=team.lead, read_at=None).count() == 2


def test_the_header_count_is_one_query_and_rides_on_the_organisation_where_it_can(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team = make_team("pivotal")
    case = receive_complaint(team, NOW, notify=True)
    client.force_login(team.allocator)
    client.get(reverse("account"))  # the session's first save

    def counting(url: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        assert 'data-testid="unread-count">1<' in body
        return [q["sql"] for q in queries.captured_queries if "alerts_notification" in q["sql"]]

    # The case page reads the organisation only for the header: the count comes with it.
    [on_case] = counting(reverse("cases:detail", args=[case.reference]))
    assert "accounts_organisation" in on_case
    # The account page read the organisation before: one count of its own.
    [on_account] = counting(reverse("account"))
    assert "COUNT" in on_account.upper()


def test_a_notification_never_links_a_case_the_colleague_can_no_longer_see(client):
    team = make_team("pivotal")
    case = receive_complaint(team, NOW, notify=True)
    case_accept(case=case, actor=team.allocator)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    note = Notification.objects.get(user=team.allocator, case=case)
    client.force_login(team.allocator)
    listed = client.get(reverse("inbox:list")).content.decode()
    assert reverse("inbox:open", args=[note.pk]) in listed

    # Restricted to the handler and the lead officer: the Head of Services may not see it now.
    case_restrict_access(case=case, actor=team.lead, reason="Concerns a member of staff.", named=[])

    text = client.get(reverse("inbox:list")).content.decode()
    assert f"New complaint {case.reference}" in text
    assert reverse("inbox:open", args=[note.pk]) not in text
    assert reverse("cases:detail", args=[case.reference]) not in text
    assert "You cannot open this case now." in text
    assert client.get(reverse("inbox:open", args=[note.pk])).status_code == 404
    # The lead still may, and opens it.
    lead_note = Notification.objects.get(user=team.lead, case=case)
    client.force_login(team.lead)
    assert client.get(reverse("inbox:open", args=[lead_note.pk])).status_code == 302


def test_someone_elses_notification_is_a_404(client):
    team = make_team("pivotal")
    receive_complaint(team, NOW, notify=True)
    theirs = Notification.objects.get(user=team.lead)
    client.force_login(team.allocator)

    assert client.get(reverse("inbox:open", args=[theirs.pk])).status_code == 404
    assert theirs.__class__.objects.get(pk=theirs.pk).read_at is None


def test_the_list_is_paginated_25_a_page(client):
    team = make_team("pivotal")
    with transaction.atomic():
        for n in range(27):
            notify_people(
                people=[team.investigator],
                organisation_id=team.org.pk,
                source=f"test:{n}",
                kind="reminder",
                title=f"Thing number {n:02d}",
                mail=lambda u: Mail("x", "x"),
            )
    client.force_login(team.investigator)

    first = client.get(reverse("inbox:list")).content.decode()
    second = client.get(reverse("inbox:list"), {"page": 2}).content.decode()

    assert "Thing number 26" in first
    assert "Thing number 02" in first
    assert "Thing number 01" not in first
    assert "Thing number 01" in second
    assert "Thing number 00" in second
    assert "27 unread." in first


def test_the_preferences_page_keeps_the_choice_and_explains_a_missing_one(client):
    team = make_team("pivotal")
    client.force_login(team.investigator)
    url = reverse("inbox:preferences")

    page = client.get(url).content.decode()
    assert 'value="immediately" checked' in page  # the default
    assert "e-mailed to you at once whatever you choose" in page

    for bad in ({}, {"email": "weekly"}):
        refused = client.post(url, bad)
        text = refused.content.decode()
        assert refused.status_code == 200
        assert "There is a problem" in text
        assert "Choose how you want to be e-mailed" in text
        assert not NotificationPreference.objects.filter(user=team.investigator).exists()

    saved = client.post(url, {"email": "digest"}, follow=True).content.decode()
    assert "How you are e-mailed has been saved." in saved
    assert 'value="digest" checked' in saved
    assert NotificationPreference.objects.get(user=team.investigator).email == "digest"
