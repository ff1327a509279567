"""`manage.py report pivotal-kpis|tsm|mmbm-quarterly`: the report figures for scripts and
auditors, as JSON (keys in docs/reports.md), a text table or CSV. Bad arguments are told in
plain words and exit with code 2."""

from __future__ import annotations

import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhear.accounts.models import Organisation
from fairhear.domain.kpis import By, date_out_of_range
from fairhear.reporting.events import Scope
from fairhear.reporting.figures import pivotal_kpis
from fairhear.reporting.mmbm import mmbm_quarterly
from fairhear.reporting.output import as_csv, as_text
from fairhear.reporting.tsm import tsm

BAD_ARGUMENTS = 2


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

        def common(name: str, about: str) -> argparse.ArgumentParser:
            sub = reports.add_parser(name, help=about, description=about)
            sub.add_argument("--organisation", required=True, metavar="SLUG")
            sub.add_argument(
                "--format", choices=["json", "text", "csv"], default="text", dest="output"
            )
            return sub

        pivotal = common("pivotal-kpis", "Pivotal's 21.3 KPIs (a) to (i) for a period.")
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

    def handle(self, *args: object, **options: object) -> None:
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
            raise _fail(f"No organisation has the slug {slug!r}. Known: {known or 'none'}.")
        report = options["report"]
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
