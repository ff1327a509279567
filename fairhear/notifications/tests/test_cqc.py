"""The sweep's reminders of a CQC request for a summary (CQC Regulation 16(3)). A request
received Mon 7 Dec 2026 is due Mon 4 Jan 2027 (7 Dec + 28 days). The lead officer is reminded
5 working days before; counting back by hand (England and Wales): Mon 4 Jan (1), [Fri 1 Jan New
Year's Day, Sat 2, Sun 3], Thu 31 Dec (2), Wed 30 (3), Tue 29 (4), [Mon 28 Dec Boxing Day's
substitute, Sun 27, Sat 26, Fri 25 Christmas Day], Thu 24 Dec (5): on Wed 23 Dec five working
days are left after today, so the reminder goes then, not on Tue 22 Dec (six left). The day
after the due date, Tue 5 Jan 2027, the lead is told once that it is overdue."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from fairhear.alerts.models import Notification
from fairhear.cases.tests.factories import make_team
from fairhear.notifications.models import CqcSummaryNotice
from fairhear.notifications.sweep import sweep_all
from fairhear.notifications.tests.helpers import london
from fairhear.outbox.models import OutboundMessage
from fairhear.reporting.cqc import cqc_request_mark_sent, cqc_request_record

pytestmark = pytest.mark.django_db


def sweep_at(moment) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_all(worker_id="test")


def cqc_mail() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(kind__startswith="cqc_summary").order_by("pk"))


def _request(team, **kw):
    with time_machine.travel(london(2026, 12, 7, 10), tick=False):
        return cqc_request_record(
            organisation=team.org,
            actor=team.lead,
            received_on=date(2026, 12, 7),
            period_from=date(2026, 1, 1),
            period_to=date(2026, 11, 30),
            cqc_reference="INS-42",
            **kw,
        )


def test_the_lead_is_reminded_on_wednesday_23_december_not_a_day_early_and_once():
    team = make_team("mmbm")
    request = _request(team)
    sweep_at(london(2026, 12, 22, 23, 59))  # Tue 22 Dec: six working days left
    assert cqc_mail() == []

    sweep_at(london(2026, 12, 23, 0, 1))  # Wed 23 Dec: five left
    sweep_at(london(2026, 12, 23, 0, 2))  # the next minute's sweep
    sweep_at(london(2026, 12, 28, 9))  # a bank holiday before it is due
    sweep_at(london(2027, 1, 4, 23, 59))  # the due date itself

    [mail] = cqc_mail()
    assert mail.to == [team.lead.email]
    assert mail.subject == "The summary the CQC asked for is due by Mon 4 Jan 2027"
    assert "asked on Mon 7 Dec 2026 (its reference INS-42)" in mail.body_text
    assert f"/reports/cqc/{request.pk}/" in mail.body_text
    [told] = Notification.objects.filter(user=team.lead, kind="cqc_summary_reminder")
    assert told.link == f"/reports/cqc/{request.pk}/"


def test_an_unsent_summary_is_told_as_overdue_the_day_after_and_once():
    team = make_team("mmbm")
    _request(team)
    sweep_at(london(2027, 1, 5, 0, 1))  # Tue 5 Jan: overdue (the reminder was never swept)
    sweep_at(london(2027, 1, 5, 0, 2))
    sweep_at(london(2027, 1, 12, 9))

    assert [m.kind for m in cqc_mail()] == ["cqc_summary_overdue"]
    assert cqc_mail()[0].subject == "The summary the CQC asked for was due on Mon 4 Jan 2027"
    assert CqcSummaryNotice.objects.count() == 1


def test_nothing_is_sent_once_the_summary_is_recorded_as_sent():
    team = make_team("mmbm")
    request = _request(team)
    with time_machine.travel(london(2026, 12, 21, 10), tick=False):
        cqc_request_mark_sent(request=request, actor=team.lead, sent_on=date(2026, 12, 21))
    sweep_at(london(2026, 12, 23, 9))
    sweep_at(london(2027, 1, 5, 9))
    assert cqc_mail() == []
    assert not Notification.objects.filter(kind__startswith="cqc_summary").exists()
