"""The demo that `make run` loads reminds someone by e-mail, through a real SMTP server: the
worker's first sweep on the demo (made, as `make run` makes it, relative to today, here Wed 4
March 2026) finds its deadlines due soon, and the outbox's sender delivers each reminder to
aiosmtpd on loopback (issue "Clocks at work", done when: "with `make run`, a due-soon case in
the demo produces a reminder e-mail that a real SMTP server receives")."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from fairhear.accounts.selectors import organisation_calendar
from fairhear.cases.models import CaseClock
from fairhear.core.demo import create_demo
from fairhear.domain.clock import LONDON
from fairhear.domain.reminders import remind_before
from fairhear.notifications.models import ClockNotice
from fairhear.notifications.sweep import sweep_all
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.tests.conftest import smtp_server  # noqa: F401 - fixture
from fairhear.policies.selectors import policy_pack_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=LONDON)  # Wednesday 4 March 2026


def subject(received) -> str:
    return str(received.message["Subject"]).strip()


def test_the_demo_s_due_soon_cases_are_reminded_by_e_mail_that_reaches_the_smtp_server(
    smtp_server,  # noqa: F811
):
    with time_machine.travel(NOW, tick=False):
        demo = create_demo(policy="pivotal", cases=60)
    with time_machine.travel(NOW.replace(minute=1), tick=True):
        sweep_all(worker_id="demo")
        while outbox_send_due().sent:
            pass

    reminders = [r for r in smtp_server.mailbox.received if subject(r).startswith("Reminder:")]
    assert reminders, "the demo has no deadline due soon to remind"
    notices = ClockNotice.objects.filter(kind=ClockNotice.Kind.REMINDER)
    assert len(reminders) == sum(len(n.recipients) for n in notices)
    cal = organisation_calendar(demo.org)
    for notice in notices:
        # Each one is for a deadline still open, due within its clock's reminder days (the
        # pack's remind_before, 1 to 5 working days in Pivotal's) of today, named in the subject.
        clock = CaseClock.objects.get(case=notice.case, name=notice.clock)
        rule = policy_pack_for(notice.case.policy_version).clocks[notice.clock]
        assert clock.status in {"running", "overdue"}
        assert clock.due >= NOW.date()
        assert remind_before(rule) > 0
        assert cal.working_days_between(NOW.date(), clock.due) <= remind_before(rule)
        subjects = [subject(r) for r in reminders if set(r.recipients) <= set(notice.recipients)]
        assert any(notice.case.reference in s for s in subjects)
