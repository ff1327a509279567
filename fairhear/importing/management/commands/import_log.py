"""Import a spreadsheet log (CSV or Excel, one row per case) through a column mapping."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.accounts.models import Organisation
from fairhear.importing.log import import_log, read_rows
from fairhear.importing.log_mapping import read_mapping
from fairhear.importing.problems import ImportRefused
from fairhear.importing.progress import ProgressBar
from fairhear.importing.report import plural, report


class Command(BaseCommand):
    help = (
        "Make a case of each row of a spreadsheet log (.csv or .xlsx), with its dates as the "
        "events of its history (docs/import.md). --map FILE.toml names the columns, and "
        "--map 'Header=field' adds or changes one. --dry-run reports every problem by row "
        "and column and writes nothing; without it the import is all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the log (.csv, or .xlsx: its first sheet)")
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            help="the column mapping (a .toml file), or Header=field (repeat for more)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )

    def handle(self, *args: object, **options: object) -> None:
        org = Organisation.objects.filter(slug=options["organisation"]).first()
        if org is None or org.active_policy_version is None:
            raise CommandError(
                f"There is no organisation {options['organisation']!r} with an active policy; "
                "make it first (an administrator, or import_history with no cases)."
            )
        files = [m for m in options["map"] if m.endswith(".toml")]
        pairs = [m for m in options["map"] if not m.endswith(".toml")]
        if len(files) > 1:
            raise CommandError("Give one mapping file; add single columns as Header=field.")
        mapping, problems = read_mapping(Path(files[0]) if files else None, pairs)
        if problems:
            for problem in problems:
                self.stdout.write(str(problem))
            raise CommandError("The mapping has problems; nothing was imported.")
        path = Path(str(options["file"]))
        try:
            rows = read_rows(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        dry_run = bool(options["dry_run"])
        bar = ProgressBar(sys.stderr, "Checking" if dry_run else "Importing")
        try:
            summary = import_log(
                organisation=org, rows=rows, mapping=mapping, dry_run=dry_run, progress=bar
            )
        except ImportRefused as refused:
            bar.end()
            for problem in refused.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"{plural(len(refused.problems), 'problem')} in {path}; nothing was imported. "
                "Run with --dry-run to check the log without importing."
            ) from None
        bar.end()
        report(self.stdout, summary)
