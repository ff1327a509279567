"""The worker's sweep and sender at scale, on a database made by bench/generate.py (it changes
that database: the sweep records missed deadlines and queues reminders, as a worker would).

It prints, for each organisation's sweep (one per minute, sweep_all):
1. the first sweep: what a worker finds when it starts on a loaded database (every deadline
   missed so far is recorded and told, every reminder due today sent): seconds, SQL queries,
   clocks read, events written and e-mails queued;
2. the next minute's sweep (the steady state: nothing new is due): the same figures, which
   should not grow with the number of cases, only with the clocks due that minute;
3. the next working day's first sweep (that day's reminders and misses);
and then the sender: the e-mail queued, delivered by outbox_send_due to a local SMTP server
(aiosmtpd on loopback), in messages per second, with a count of what the server received.

Run:
    .venv/bin/python bench/sweep.py --database-url postgres://postgres@127.0.0.1:5432/fh_bench_1m
Options: --send 2000 (at most this many e-mails delivered in the sender's run), --port 18025,
--backlog-told: first mark every deadline already past as told (as a worker that had been
running all along would have: the once-only row and the clock's `missed_recorded` mark, though
not the missed deadline's event), so that the first sweep is an ordinary day's, not the
backlog's.
--idle: as --backlog-told, and mark today's reminders as sent too (every open deadline whose
reminder day has come, by each clock's own `remind_before`), then time only the sweeps with
nothing to do (the first and the next minute's): the cost of each minute of a worker that has
kept up, on a database too large to send a whole day's reminders in the benchmark's time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--send", type=int, default=2000)
    parser.add_argument("--port", type=int, default=18025)
    parser.add_argument("--backlog-told", action="store_true")
    parser.add_argument("--idle", action="store_true")
    return parser.parse_args()


ARGS = _parse()
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhear.settings.base")
os.environ.setdefault("FAIRHEAR_SECRET_KEY", "bench-only-not-secret")
os.environ["FAIRHEAR_SMTP_HOST"] = "127.0.0.1"
os.environ["FAIRHEAR_SMTP_PORT"] = str(ARGS.port)
os.environ.setdefault("FAIRHEAR_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from fairhear.accounts.models import Organisation  # noqa: E402
from fairhear.accounts.selectors import organisation_calendar  # noqa: E402
from fairhear.cases.models import Case, CaseClock, CaseEvent  # noqa: E402
from fairhear.domain.lifecycle import OPEN_STATES  # noqa: E402
from fairhear.domain.reminders import last_due_reminded, remind_before  # noqa: E402
from fairhear.notifications.sweep import sweep_all  # noqa: E402
from fairhear.outbox.models import OutboundMessage  # noqa: E402
from fairhear.outbox.sender import outbox_send_due  # noqa: E402
from fairhear.policies.selectors import policy_pack_for  # noqa: E402


class _Count:
    """An SMTP handler that counts what it receives."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.received += 1
        return "250 OK"


def _sweep(label: str, moment) -> None:
    events = CaseEvent.objects.count()
    mails = OutboundMessage.objects.count()
    queries = []

    def count(execute, sql, params, many, context):  # every statement, however many
        queries.append(1)
        return execute(sql, params, many, context)

    with time_machine.travel(moment, tick=True), connection.execute_wrapper(count):
        started = time.perf_counter()
        cpu = time.process_time()
        report = sweep_all(worker_id=f"bench-{label}")
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    written = CaseEvent.objects.count() - events
    queued = OutboundMessage.objects.count() - mails
    print(
        f"{label:<28} {seconds:>8.2f} s {cpu:>8.2f} s CPU {len(queries):>7,} queries "
        f"{written:>7,} events {queued:>7,} e-mails  ({report})",
        flush=True,
    )


def _reminders_told(today) -> None:
    """Mark as sent every reminder whose day has come (reminders.reminder_is_due: no more than
    `remind_before` working days left, the due date counted), as the day's first sweep would."""
    marked = 0
    for organisation in Organisation.objects.order_by("pk"):
        cal = organisation_calendar(organisation)
        overrides = {k: int(v) for k, v in (organisation.reminder_days or {}).items()}
        pack = policy_pack_for(organisation.active_policy_version)
        for rule in pack.clocks.values():
            before = remind_before(rule, overrides)
            if before <= 0:
                continue
            last = last_due_reminded(cal, today, before)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO notifications_clocknotice (case_id, clock, due, kind, sent_at, "
                    "recipients) SELECT k.case_id, k.name, k.due, 'reminder', now(), '[]' "
                    "FROM cases_caseclock k JOIN cases_case c ON c.id = k.case_id "
                    "WHERE k.status IN ('running', 'overdue') AND k.purpose = 'deadline' "
                    "AND NOT k.missed_recorded AND k.name = %s AND k.due BETWEEN %s AND %s "
                    "AND c.organisation_id = %s AND c.state = ANY(%s) ON CONFLICT DO NOTHING",
                    [rule.name, today, last, organisation.pk, [s.value for s in OPEN_STATES]],
                )
                marked += cursor.rowcount
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE notifications_clocknotice")
    print(f"{marked:,} of today's reminders marked as sent")


def main() -> None:
    open_cases = Case.objects.filter(state__in=[s.value for s in OPEN_STATES]).count()
    clocks = CaseClock.objects.count()
    print(
        f"{Case.objects.count():,} cases, {open_cases:,} open, {clocks:,} clock rows, "
        f"{Organisation.objects.count()} organisations"
    )
    print(f"{'sweep':<28} {'elapsed':>10} {'CPU':>12} {'SQL':>15} {'written':>14} {'queued':>8}")
    now = timezone.now().replace(second=0, microsecond=0)
    if ARGS.backlog_told or ARGS.idle:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO notifications_clocknotice (case_id, clock, due, kind, sent_at, "
                "recipients) SELECT k.case_id, k.name, k.due, 'missed', now(), '[]' "
                "FROM cases_caseclock k JOIN cases_case c ON c.id = k.case_id "
                "WHERE k.status IN ('running', 'overdue') AND k.purpose = 'deadline' "
                "AND k.due < %s AND c.state = ANY(%s) ON CONFLICT DO NOTHING",
                [timezone.localdate(now), [s.value for s in OPEN_STATES]],
            )
            print(f"{cursor.rowcount:,} deadlines already past marked as told")
            # The clock's own mark, which the missed deadline's event sets (without the event:
            # the benchmark's cases keep the history they were generated with).
            cursor.execute(
                "UPDATE cases_caseclock k SET missed_recorded = true FROM cases_case c "
                "WHERE c.id = k.case_id AND k.status IN ('running', 'overdue') "
                "AND k.purpose = 'deadline' AND k.due < %s AND c.state = ANY(%s) "
                "AND NOT k.missed_recorded",
                [timezone.localdate(now), [s.value for s in OPEN_STATES]],
            )
            cursor.execute("VACUUM ANALYZE cases_caseclock")  # the marks rewrote many rows
    if ARGS.idle:
        _reminders_told(timezone.localdate(now))
    _sweep("first sweep", now)
    _sweep("the next minute", now + timedelta(minutes=1))
    if ARGS.idle:
        return
    cal = organisation_calendar(Organisation.objects.order_by("pk").first())
    tomorrow = cal.add_working_days(timezone.localdate(now), 1)
    next_day = timezone.make_aware(
        timezone.datetime.combine(tomorrow, timezone.datetime.min.time())
    ) + timedelta(minutes=1)
    _sweep(f"next working day ({tomorrow:%a %d %b})", next_day)

    waiting = OutboundMessage.objects.filter(status="queued").count()
    handler = _Count()
    controller = Controller(handler, hostname="127.0.0.1", port=ARGS.port)
    controller.start()
    try:
        sent = 0
        started = time.perf_counter()
        with time_machine.travel(next_day + timedelta(minutes=1), tick=True):
            while sent < ARGS.send:
                report = outbox_send_due()
                done = len(report.sent) if hasattr(report, "sent") else 0
                if not done:
                    break
                sent += done
        seconds = time.perf_counter() - started
    finally:
        controller.stop()
    print(
        f"sender: {sent:,} of {waiting:,} queued e-mails delivered in {seconds:.1f} s "
        f"({sent / seconds if seconds else 0:,.0f} a second); the SMTP server received "
        f"{handler.received:,}"
    )


if __name__ == "__main__":
    main()
