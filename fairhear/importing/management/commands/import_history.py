"""Import a case history from another system as JSON (docs/import.md)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.importing.history import import_history
from fairhear.importing.problems import ImportRefused
from fairhear.importing.progress import ProgressBar
from fairhear.importing.report import plural, report


class Command(BaseCommand):
    help = (
        "Replay a JSON case history (docs/import.md) through Fairhear's own services at the "
        "times it records. --dry-run reports every problem and writes nothing; without it the "
        "import is all or nothing. Cases imported before (by source reference) are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the history file (JSON)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path} is not JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
        bar = ProgressBar(sys.stderr, "Importing" if not options["dry_run"] else "Checking")
        try:
            summary = import_history(raw, dry_run=bool(options["dry_run"]), progress=bar)
        except ImportRefused as refused:
            bar.end()
            for problem in refused.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"{plural(len(refused.problems), 'problem')} in {path}; nothing was imported. "
                "Run with --dry-run to check the file without importing."
            ) from None
        bar.end()
        report(self.stdout, summary)
