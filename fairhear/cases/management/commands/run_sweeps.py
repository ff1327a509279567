"""Run the scheduled sweeps: close cases whose auto-close date has passed (Pivotal §10.1 c).

Run it once a day from a scheduler, or leave it running with --every.
"""

import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from fairhear.cases.services import cases_auto_close_sweep


class Command(BaseCommand):
    help = "Close cases whose auto-close date has passed with nothing more heard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="keep running, sweeping again after this many seconds",
        )

    def handle(self, *args: object, **options: object) -> None:
        while True:
            closed = cases_auto_close_sweep(today=timezone.localdate())
            self.stdout.write(
                f"Closed {len(closed)} case{'s' if len(closed) != 1 else ''} automatically"
                + (f": {', '.join(closed)}" if closed else ".")
            )
            if not options["every"]:
                return
            time.sleep(options["every"])
