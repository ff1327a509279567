"""Import a case history from another system as JSON (docs/import.md)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.importing.history import ImportSummary, import_history
from fairhear.importing.problems import ImportRefused
from fairhear.importing.progress import ProgressBar


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
                f"{_plural(len(refused.problems), 'problem')} in {path}; nothing was imported. "
                "Run with --dry-run to check the file without importing."
            ) from None
        bar.end()
        self._report(summary)

    def _report(self, summary: ImportSummary) -> None:
        for problem in summary.problems:
            self.stdout.write(str(problem))
        for source, reference in summary.skipped:
            self.stdout.write(f"Skipped {source}: already imported as {reference}.")
        would = "would import" if summary.dry_run else "imported"
        line = (
            f"{summary.organisation or 'The organisation'}: {would} "
            f"{_plural(len(summary.imported), 'case')} with {_plural(summary.events, 'event')}"
        )
        if summary.skipped:
            line += f", skipped {len(summary.skipped)} already imported"
        if summary.organisation_created:
            line += "; the organisation is new"
        if summary.colleagues_created:
            line += f"; {_plural(len(summary.colleagues_created), 'new colleague')}"
        self.stdout.write(line + ".")
        if summary.dry_run:
            if summary.problems:
                count = _plural(len(summary.problems), "problem")
                raise CommandError(f"Dry run: {count}; nothing was written.")
            self.stdout.write("Dry run: no problems found; nothing was written.")
