"""Export the complaints and compliments log, as one colleague may see it, to CSV or Excel."""

import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from fairhear.accounts.models import Organisation, User
from fairhear.cases.export import case_csv_lines, case_xlsx_write
from fairhear.cases.selectors import case_list_visible_to
from fairhear.domain.lifecycle import CaseKind


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-04-01."
        ) from None


class Command(BaseCommand):
    help = (
        "Write every case the colleague may see (need to know, as on the web: --as names them) "
        "to a CSV file or an Excel workbook, one row per case with the fields of the log, "
        "read in chunks so that a million cases export in flat memory. docs/reports.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument(
            "--as",
            dest="colleague",
            required=True,
            help="the e-mail address (or user name) of the colleague whose access it follows",
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None)
        parser.add_argument("--kind", choices=[k.value for k in CaseKind])
        parser.add_argument("--from", dest="start", help="received on or after (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="received on or before (YYYY-MM-DD)")
        parser.add_argument(
            "output", help="the file to write (.csv or .xlsx), or - for CSV on standard output"
        )

    def handle(self, *args: object, **options: object) -> None:
        org = Organisation.objects.filter(slug=options["organisation"]).first()
        if org is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        named = str(options["colleague"])
        user = (
            User.objects.filter(organisation=org, is_active=True)
            .filter(Q(email__iexact=named) | Q(username=named))
            .first()
        )
        if user is None:
            raise CommandError(
                f"{org} has no active colleague whose e-mail address or user name is "
                f"{named!r}: the export shows what one colleague may see, so "
                "name one with --as."
            )
        output = str(options["output"])
        fmt = options["format"] or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
        if output == "-" and fmt == "xlsx":
            raise CommandError("An Excel workbook cannot go to standard output; name a file.")
        cases = case_list_visible_to(user=user).order_by("received_at", "reference")
        if options["kind"]:
            cases = cases.filter(kind=options["kind"])
        start = _day(options["start"], "--from") if options["start"] else None
        end = _day(options["end"], "--to") if options["end"] else None
        if start and end and end < start:
            raise CommandError(f"--to {end} is before --from {start}; swap them.")
        if start:
            cases = cases.filter(received_at__gte=_midnight(start))
        if end:
            cases = cases.filter(received_at__lt=_midnight(end, after=True))
        written = self._write(cases, output, fmt)
        where = "standard output" if output == "-" else output
        self.stderr.write(f"Wrote {written:,} case{'s' if written != 1 else ''} to {where}.")

    def _write(self, cases: object, output: str, fmt: str) -> int:
        if output == "-":
            return self._lines(cases, sys.stdout)
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {str(path.parent)!r} to write {path.name} in.")
        # Written beside the file and moved over it when complete: a stopped export never
        # leaves half a file under the name asked for.
        partial = path.with_name(f".{path.name}.partial")
        try:
            if fmt == "xlsx":
                with partial.open("wb") as out:
                    written = case_xlsx_write(cases, out)
            else:
                with partial.open("w", encoding="utf-8", newline="") as out:
                    written = self._lines(cases, out)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        return written

    @staticmethod
    def _lines(cases: object, out: object) -> int:
        lines = case_csv_lines(cases)
        out.write(next(lines))
        written = 0
        for line in lines:
            out.write(line)
            written += 1
        return written


def _midnight(day: date, after: bool = False) -> datetime:
    """The start of the London day (or of the day after)."""
    if after:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))
