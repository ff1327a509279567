"""`manage.py report pivotal-kpis|tsm|mmbm-quarterly`: the report figures for scripts and
auditors, as JSON (keys in docs/reports.md), a text table or CSV; and the board reports as PDF
(`kpi-sheet`, `board-quarterly`, `annual-report`, or `pivotal-kpis --format pdf` for one
calendar month), written to --output. Bad arguments are told in plain words and exit with
code 2."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fairhear.accounts.models import Organisation
from fairhear.domain.kpis import By, date_out_of_range
from fairhear.reporting.board import BadPeriod, Kind, ReportPeriod, read_period
from fairhear.reporting.board_pdf import board_pdf
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import pivotal_kpis
from fairhear.reporting.mmbm import mmbm_quarterly
from fairhear.reporting.narratives import narrative_for
from fairhear.reporting.output import as_csv, as_text
from fairhear.reporting.tsm import tsm

BAD_ARGUMENTS = 2
BOARD = {
    "kpi-sheet": (Kind.MONTHLY, "--month", "The monthly KPI sheet for one calendar month."),
    "board-quarterly": (
        Kind.QUARTERLY,
        "--quarter",
        "The quarterly report to the board or the directors for one calendar quarter.",
    ),
    "annual-report": (
        Kind.ANNUAL,
        "--year",
        "The annual complaints performance and service-improvement report for the financial "
        "year from 1 April YEAR.",
    ),
}


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, like 2026-04-01"
        ) from None
    problem = date_out_of_range(day)
    if problem:
        raise argparse.ArgumentTypeError(f"{text}: {problem[0].lower()}{problem[1:]}")
    return day


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2098:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it like 2026")
    return int(text)


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_ARGUMENTS)


class Command(BaseCommand):
    help = "Print a report's figures from the case event log (docs/reports.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")

        def common(
            name: str, about: str, formats: tuple[str, ...] = ("text", "json", "csv")
        ) -> argparse.ArgumentParser:
            sub = reports.add_parser(name, help=about, description=about)
            sub.add_argument("--organisation", required=True, metavar="SLUG")
            sub.add_argument("--format", choices=formats, default=formats[0], dest="output")
            sub.add_argument("--output", dest="file", metavar="FILE", help="where to write the PDF")
            return sub

        pivotal = common(
            "pivotal-kpis",
            "Pivotal's 21.3 KPIs (a) to (i) for a period; as a PDF, the KPI sheet of one month.",
            ("text", "json", "csv", "pdf"),
        )
        pivotal.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
        pivotal.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
        pivotal.add_argument("--by", choices=[b.value for b in By], default="month")
        pivotal.add_argument("--service-area", metavar="NAME")
        pivotal.add_argument("--category", metavar="CODE")
        for name, about in (
            ("tsm", "TSM CH01 and CH02 for the financial year from 1 April YEAR."),
            ("mmbm-quarterly", "MMBM's quarterly report to directors for the calendar YEAR."),
        ):
            common(name, about).add_argument("--year", type=_year, required=True)
        for name, (_kind, option, about) in BOARD.items():
            common(name, about, ("pdf",)).add_argument(
                option, dest="period", required=True, metavar=option[2:].upper()
            )

    def handle(self, *args: object, **options: object) -> None:
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
            raise _fail(f"No organisation has the slug {slug!r}. Known: {known or 'none'}.")
        report = options["report"]
        if options.get("file") and options["output"] != "pdf":
            raise _fail("--output is for --format pdf; the other formats print to the screen.")
        if report in BOARD:
            kind, option, _about = BOARD[report]
            try:
                chosen = read_period(kind, options["period"], timezone.localdate())
            except BadPeriod as problem:
                raise _fail(f"{option} {options['period']}: {problem}") from None
            self._pdf(organisation, chosen, options.get("file"))
            return
        if report == "pivotal-kpis":
            start, end = options["start"], options["end"]
            if start > end:
                raise _fail(
                    f"--from {start.isoformat()} is after --to {end.isoformat()}; "
                    "give the earlier date first."
                )
            area = options.get("service_area")
            if area and not organisation.service_areas.filter(name=area).exists():
                names = ", ".join(organisation.service_areas.values_list("name", flat=True))
                raise _fail(f"{organisation} has no service area {area!r}. Known: {names}.")
            scope = Scope(organisation, service_area=area, category=options.get("category"))
            if options["output"] == "pdf":
                self._pdf(organisation, _one_month(start, end), options.get("file"), scope)
                return
            result = pivotal_kpis(scope, start, end, By(options["by"]))
        elif report == "tsm":
            result = tsm(Scope(organisation), options["year"])
        else:
            result = mmbm_quarterly(Scope(organisation), options["year"])
        if options["output"] == "json":
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        elif options["output"] == "csv":
            self.stdout.write(as_csv(result), ending="")
        else:
            self.stdout.write(as_text(result), ending="")

    def _pdf(
        self,
        organisation: Organisation,
        report: ReportPeriod,
        file: str | None,
        scope: Scope | None = None,
    ) -> None:
        if not file:
            raise _fail("A PDF needs a file to go to: add --output FILE, like --output report.pdf.")
        path = Path(file)
        if not path.parent.is_dir():
            raise _fail(
                f"--output {file}: the folder {path.parent} does not exist; create it first."
            )
        if path.is_dir():
            raise _fail(
                f"--output {file} is a folder; give a file name, like {path / 'report.pdf'}."
            )
        texts = narrative_for(organisation=organisation, report=report)
        pdf = board_pdf(scope or Scope(organisation), report, texts, timezone.localdate())
        try:
            path.write_bytes(pdf)
        except OSError as error:
            raise _fail(f"--output {file} could not be written: {error.strerror}.") from None
        self.stdout.write(f"Wrote {file} ({len(pdf):,} bytes): {report.words}.")


def _one_month(start: date, end: date) -> ReportPeriod:
    """The KPI sheet's month when --from and --to are its first and last days."""
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if start.day != 1 or end != following - timedelta(days=1):
        raise _fail(
            "A KPI sheet is for one calendar month: give its first and last days, like "
            "--from 2026-05-01 --to 2026-05-31 (or use: report kpi-sheet --month 2026-05)."
        )
    try:
        return read_period(Kind.MONTHLY, f"{start:%Y-%m}", timezone.localdate())
    except BadPeriod as problem:
        raise _fail(str(problem)) from None
