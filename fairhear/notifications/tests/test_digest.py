"""The daily digest (notifications/digest.py), moved through Christmas and New Year 2023 and
across the change from BST to GMT on Sunday 25 October 2026 (time-machine).

The complaint is the one of test_reminders: received and acknowledged on Mon 18 Dec 2023, its
stage 1 response due Thu 4 Jan 2024, its handler reminded on Tue 2 Jan 2024 (Pivotal §9 stage
1 step 6; App. 1). By hand, with Mon 25, Tue 26 Dec and Mon 1 Jan bank holidays:
- Fri 29 Dec: due soon reaches 2 working days on, Tue 2 Jan; the response (Thu 4) is not due.
- Sat 30, Sun 31 Dec and Mon 1 Jan: no working day, no digest.
- Tue 2 Jan: due soon reaches Thu 4 Jan: the response is due; the reminder sent at the first
  sweep of the day is new since Friday's digest.
- Wed 3 Jan: still due (by Fri 5); nothing new.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connections, transaction

from fairhear.alerts.models import DailyDigest, Notification
from fairhear.alerts.services import Mail, notification_preference_set, notify_people
from fairhear.cases.tests.factories import make_team
from fairhear.notifications.digest import sweep_daily_digest
from fairhear.notifications.reminders import sweep_deadlines
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tests.helpers import london
from fairhear.notifications.tests.test_reminders import acknowledged_on_18_december
from fairhear.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def sweep_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_all(worker_id="test")


def digests(user) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(kind="daily_digest", to=[user.email]).order_by("pk"))


def days_done(user) -> list[str]:
    return [
        d.isoformat()
        for d in DailyDigest.objects.filter(user=user).order_by("day").values_list("day", flat=True)
    ]


def test_the_digest_comes_at_7am_on_working_days_only_and_once_a_day():
    team = make_team()
    with time_machine.travel(london(2023, 12, 18, 11), tick=False):
        case = acknowledged_on_18_december(team)
        notification_preference_set(user=team.investigator, email="digest")

    sweep_at(london(2023, 12, 29, 6, 59))
    assert days_done(team.investigator) == []  # not a minute early
    sweep_at(london(2023, 12, 29, 7, 0))
    sweep_at(london(2023, 12, 29, 7, 1))
    # Friday: nothing due, overdue or new, so no e-mail, but the day is done.
    assert days_done(team.investigator) == ["2023-12-29"]
    assert digests(team.investigator) == []

    for moment in (
        london(2023, 12, 30, 7),  # Saturday
        london(2023, 12, 31, 12),  # Sunday
        london(2024, 1, 1, 7),  # New Year's Day, a bank holiday
        london(2024, 1, 1, 23, 59),
        london(2024, 1, 2, 0, 0),  # Tuesday: the reminder is due; the digest not yet
        london(2024, 1, 2, 6, 59),
    ):
        sweep_at(moment)
    assert days_done(team.investigator) == ["2023-12-29"]
    # The reminder is in the app, kept for the digest: no reminder e-mail of its own.
    [reminder] = Notification.objects.filter(user=team.investigator, kind="reminder")
    assert reminder.emailed == "digest"
    assert not OutboundMessage.objects.filter(kind="reminder").exists()

    sweep_at(london(2024, 1, 2, 7, 0))
    sweep_at(london(2024, 1, 2, 7, 1))
    sweep_at(london(2024, 1, 2, 16, 0))
    [tuesday] = digests(team.investigator)
    assert tuesday.subject == "Your Fairhear digest for Tue 2 Jan 2024: 1 due, 0 overdue, 1 new"
    body = tuesday.body_text
    assert "Due by Thu 4 Jan 2024 (1)" in body
    assert f"- {case.reference}: " in body
    assert "due Thu 4 Jan 2024" in body
    assert "Overdue (0)\n- Nothing" in body
    assert "New since your last digest (1)" in body
    assert f"- Reminder: Send the stage 1 response for {case.reference} by Thu 4 Jan 2024" in body
    assert f"/cases/{case.reference}/" in body

    sweep_at(london(2024, 1, 3, 7, 0))
    [_, wednesday] = digests(team.investigator)
    assert wednesday.subject == "Your Fairhear digest for Wed 3 Jan 2024: 1 due, 0 overdue, 0 new"
    assert days_done(team.investigator) == ["2023-12-29", "2024-01-02", "2024-01-03"]
    # A colleague who did not choose the digest gets none.
    assert days_done(team.lead) == []


def tell(team, user, title: str) -> None:
    with transaction.atomic():
        notify_people(
            people=[user],
            organisation_id=team.org.pk,
            source=f"test:{title}",
            kind="behaviour_reported",
            title=title,
            mail=lambda u: Mail(title, title),
        )


def test_7am_is_london_time_either_side_of_the_clocks_going_back():
    team = make_team()
    with time_machine.travel(datetime(2026, 10, 22, 12, tzinfo=UTC), tick=False):
        notification_preference_set(user=team.lead, email="digest")
        tell(team, team.lead, "Told on Thursday")
    # Friday 23 October 2026 is in BST: 07:00 London is 06:00 UTC.
    sweep_at(datetime(2026, 10, 23, 5, 59, tzinfo=UTC))
    assert digests(team.lead) == []
    sweep_at(datetime(2026, 10, 23, 6, 0, tzinfo=UTC))
    [friday] = digests(team.lead)
    assert "Told on Thursday" in friday.body_text

    with time_machine.travel(datetime(2026, 10, 24, 12, tzinfo=UTC), tick=False):
        tell(team, team.lead, "Told on Saturday")
    # Sunday 25 October: the clocks go back; no digest on a Sunday at any hour.
    for hour in (6, 7, 12):
        sweep_at(datetime(2026, 10, 25, hour, 0, tzinfo=UTC))
    # Monday 26 October is in GMT: 07:00 London is 07:00 UTC; 06:30 UTC is too early.
    sweep_at(datetime(2026, 10, 26, 6, 0, tzinfo=UTC))
    sweep_at(datetime(2026, 10, 26, 6, 59, tzinfo=UTC))
    assert len(digests(team.lead)) == 1
    sweep_at(datetime(2026, 10, 26, 7, 0, tzinfo=UTC))
    [_, monday] = digests(team.lead)
    # Monday's lists what was told since Friday's digest, and nothing from before it.
    assert "New since your last digest (1)\n- Told on Saturday" in monday.body_text
    assert "Told on Thursday" not in monday.body_text
    assert days_done(team.lead) == ["2026-10-23", "2026-10-26"]


def test_two_sweeps_at_once_tell_each_person_once_and_send_one_digest(committed_db):
    team = make_team()
    with time_machine.travel(london(2023, 12, 18, 11), tick=False):
        cases = [acknowledged_on_18_december(team) for _ in range(3)]
        notification_preference_set(user=team.investigator, email="digest")
    errors = []
    start = threading.Barrier(2)

    def sweep():
        try:
            start.wait(30)
            at = london(2024, 1, 2, 7, 30)
            with time_machine.travel(at, tick=False):
                sweep_deadlines(team.org, at)
                sweep_daily_digest(team.org, at)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert errors == []
    # One reminder notification per case for the handler, never two, and one digest naming
    # all three.
    reminders = Notification.objects.filter(user=team.investigator, kind="reminder")
    assert sorted(n.case_id for n in reminders) == sorted(c.pk for c in cases)
    [digest] = digests(team.investigator)
    assert digest.subject.endswith(": 3 due, 0 overdue, 3 new")
    assert DailyDigest.objects.filter(user=team.investigator).count() == 1
