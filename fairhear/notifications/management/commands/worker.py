"""Run the worker: queued background tasks, the clock sweep every minute and the outbox
sender, until stopped (docs/operations.md, "The worker")."""

from django.core.management.base import BaseCommand, CommandParser

from fairhear.notifications.worker import Worker, backend_name, install_signal_handlers


class Command(BaseCommand):
    help = "Run queued tasks, sweep the clocks every minute and send the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="run the queued tasks, one sweep and one outbox round, then stop",
        )
        parser.add_argument("--worker-id", default="", help="this worker's name on the status page")

    def handle(self, *args: object, **options: object) -> None:
        worker = Worker(worker_id=options["worker_id"]) if options["worker_id"] else Worker()
        install_signal_handlers(worker)
        if not options["once"]:
            self.stdout.write(
                f"Worker {worker.worker_id}: tasks from the {backend_name()} queue, a sweep "
                f"every {worker.sweep_every:g} s, the outbox every {worker.outbox_every:g} s. "
                "Stop it with Ctrl+C."
            )
        worker.run(once=bool(options["once"]))
        if options["once"]:
            self.stdout.write(f"Worker {worker.worker_id}: {worker.tasks_run} tasks run.")
