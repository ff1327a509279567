"""Deliver the outbox's due messages over SMTP: once, or again and again with --loop.

Several senders may run at once; each message is claimed by one of them (docs/operations.md,
"E-mail out"). Until the worker runs it on a schedule, run it from a scheduler or leave it
running with --loop.
"""

import signal
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.smtp import SmtpConfigError


class Command(BaseCommand):
    help = "Send the e-mail waiting in the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="keep running, looking for due mail again"
        )
        parser.add_argument(
            "--every",
            type=float,
            default=10.0,
            metavar="SECONDS",
            help="with --loop: wait this long after a run that found nothing (default 10)",
        )

    def handle(self, *args: object, **options: object) -> None:
        stopping = []
        if options["loop"]:
            # Finish the message in hand, then stop, when asked to (SIGTERM from a supervisor).
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while not stopping:
            try:
                report = outbox_send_due()
            except SmtpConfigError as exc:
                raise CommandError(str(exc)) from exc
            if report.sent or report.deferred or report.failed or not options["loop"]:
                self.stdout.write(f"Outbox: {report}.")
            if not options["loop"]:
                return
            if not (report.sent or report.deferred or report.failed):
                time.sleep(options["every"])
