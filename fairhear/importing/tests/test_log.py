"""Importing a spreadsheet log: the shipped sample (40 rows with blank cells, dates written
three ways, Yes/No and stray spaces) becomes 40 cases with the clocks worked out by hand
below, its export keeps every one of its fields, and a messy row is reported by row and
column with nothing written."""

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from dateutil.parser import parse as parse_date
from django.core.management import CommandError, call_command
from django.db.models import OuterRef, Subquery
from openpyxl import Workbook

from fairhear.accounts.models import Organisation
from fairhear.cases.export import case_csv_lines
from fairhear.cases.models import Case
from fairhear.cases.services.verification import cases_verify_log
from fairhear.importing.history import import_history
from fairhear.importing.log import NOT_IN_LOG, import_log, read_rows
from fairhear.importing.log_mapping import read_mapping
from fairhear.importing.models import ImportedCase
from fairhear.importing.problems import ImportRefused

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LOG = EXAMPLES / "legacy-log.csv"
MAPPING = EXAMPLES / "legacy-log-mapping.toml"

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """Riverside Homes and its colleagues, from the history example without its cases."""
    history = json.loads((EXAMPLES / "history.json").read_text(encoding="utf-8"))
    history["cases"] = []
    import_history(history, dry_run=False)
    return Organisation.objects.get(slug="riverside-homes")


def run(org, rows=None, dry_run=False):
    mapping, problems = read_mapping(MAPPING, [])
    assert problems == []
    return import_log(
        organisation=org, rows=rows or read_rows(LOG), mapping=mapping, dry_run=dry_run
    )


def case(ref: str) -> Case:
    return ImportedCase.objects.get(source_reference=ref).case


def test_the_sample_log_checks_clean_and_the_dry_run_writes_nothing(org):
    summary = run(org, dry_run=True)
    assert summary.problems == []
    assert len(summary.imported) == 40  # 41 lines under the header, one of them blank
    assert not Case.objects.exists()


def test_the_sample_log_becomes_cases_with_the_clocks_worked_out_by_hand(org):
    run(org)
    assert Case.objects.count() == 40
    # CMP-034: received Friday 28 August 2026, before the Summer bank holiday (Monday 31
    # August). Day 0 is Fri 28; Tue 1 Sep (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 (5),
    # Tue 8 (6), Wed 9 (7), Thu 10 (8), Fri 11 (9), Mon 14 Sep (10): the stage 1 response
    # (10 working days, Pivotal §9 stage 1) is due Monday 14 September.
    late_summer = case("CMP-034")
    assert late_summer.clocks.get(name="stage1_response_due").due == date(2026, 9, 14)
    assert (late_summer.state, late_summer.closure_reason) == ("closed", "10.1a")
    # CMP-003: the appeal was requested on Monday 2 February 2026; 20 working days (§9 stage
    # 2), with no bank holiday in February, is Monday 2 March. Answered on 17 February.
    appeal = case("CMP-003")
    assert appeal.clocks.get(name="appeal_response_due").due == date(2026, 3, 2)
    assert (appeal.state, appeal.stage, appeal.closure_reason) == ("closed", 2, "final_response")
    assert appeal.events.get(kind="response_sent", stage=2).data["on_time"] is True
    assert appeal.handler.email == "ruth.oduya@riverside.example"
    # A row with no acknowledgement date is acknowledged with the step before it, saying so.
    unacknowledged = case("CMP-010").events.get(kind="acknowledged")
    assert unacknowledged.data["understanding"] == NOT_IN_LOG
    # " CMP-012" with a stray space is CMP-012; "Yes " is yes.
    assert case("CMP-012").reference
    assert case("CMP-013").safeguarding is True
    assert case("CMP-008").state == "refused"
    assert case("CMP-005").kind == "compliment"
    assert case("CMP-005").state == "closed"
    assert case("CMP-038").state == "investigating"
    assert cases_verify_log().clean


def read_day(cell: str) -> datetime:
    """The cell's date as a person reads it, by dateutil rather than the import's own reader:
    day first, except in a year-first date (2026-02-04 is 4 February)."""
    cell = cell.strip()
    return parse_date(cell, dayfirst=not re.match(r"\d{4}-", cell))


def _expected(row: dict) -> dict:
    """What the export must say for a row of the log, worked out from the cell as a person
    reads it."""

    def day(cell: str) -> str:
        return read_day(cell).date().isoformat() if cell.strip() else ""

    def words(cell: str) -> str:
        return " ".join(cell.split()).lower()

    return {
        "Received": day(row["Date Rec'd "]),
        "Kind": words(row["Type"]),
        "Complainant": row["Complainant"],
        "Complainant e-mail": row["Email"],
        "Complainant phone": row["Phone"],
        "Complainant address": row["Address"],
        "Service area": row["Area"],
        "Summary": row["Details"],
        "Desired outcome": row["Outcome wanted"],
        "Incident date": day(row["Incident date"]),
        # A response the log gives no acknowledgement date for was acknowledged with the step
        # before it (the receipt), saying so in the event.
        "Acknowledged": day(row["Acknowledged"])
        or (day(row["Date Rec'd "]) if row["Response sent"] else ""),
        "Stage 1 response": day(row["Response sent"]),
        "Stage 1 outcome": words(row["Outcome"]).replace("partially", "partly"),
        "Remedy": row["Remedy"],
        "Stage 2 requested": day(row["Stage 2 requested"]),
        "Stage 2 response": day(row["Stage 2 response"]),
        "Stage 2 outcome": words(row["Stage 2 outcome"]),
        "Closed": day(row["Closed"]),
        "Not accepted": day(row["Not accepted"]),
    }


def test_importing_the_sample_log_then_exporting_it_loses_no_field(org):
    run(org)
    source = ImportedCase.objects.filter(case=OuterRef("pk")).values("source_reference")
    cases = Case.objects.annotate(previous=Subquery(source))
    lines = "".join(case_csv_lines(cases, extra=(("Previous reference", "previous"),)))
    exported = {r["Previous reference"]: r for r in csv.DictReader(io.StringIO(lines))}
    log = [r for r in csv.DictReader(LOG.open(encoding="utf-8")) if r["Ref"].strip()]
    assert len(exported) == len(log) == 40
    lowered = {"Kind", "Stage 1 outcome", "Stage 2 outcome"}
    for row in log:
        out = exported[row["Ref"].strip()]
        for column, value in _expected(row).items():
            got = out[column].lower() if column in lowered else out[column]
            assert got == value, (row["Ref"], column)
        # Channel, tenure, category and the reasons are the pack's and Fairhear's words for
        # what the log wrote in its own.
        assert out["Channel"].lower().startswith(row["How received"].strip().lower()[:3])
        if row["Category"]:
            assert out["Categories"].lower().startswith(row["Category"].split(";")[0].lower())
        handler = " ".join(row["Handled by"].split()).lower()
        if handler:
            assert out["Stage 1 handled by"] == "Tom Evans", handler
        if row["Stage 2 by"]:
            assert out["Handled by"] == row["Stage 2 by"]
        if row["Safeguarding?"].strip() == "Yes":
            assert "Safeguarding" in out["Marked"]
        if row["Closure reason"]:
            assert out["Outcome"] in {
                "The complainant is satisfied with the outcome",
                "Nothing heard within 10 working days of the stage 1 response",
                "The complainant does not want to go on with the complaint",
            }
        if row["Why not accepted"]:
            assert out["Reason not accepted"] == "The matter happened over 6 months ago"
    tenures = {r["Previous reference"]: r["Tenure"] for r in exported.values()}
    assert tenures["CMP-001"] == "Low-cost rental"  # "LCRA"
    assert tenures["CMP-002"] == "Low-cost home ownership"  # "Shared ownership"
    assert tenures["CMP-003"] == "Not known"  # blank


def _messy() -> list[dict]:
    rows = read_rows(LOG)
    rows[0]["Date Rec'd"] = "31/2/2026"  # no such day
    rows[1]["Safeguarding?"] = "Maybe"
    rows[2]["Handled by"] = "Bob"
    rows[3]["Category"] = "Repairs; Gardens"
    rows[4]["Type"] = "Complaint"
    rows[4]["Not accepted"] = ""
    rows[4]["Closed"] = "1/1/2026"  # before it was received: the service refuses it
    rows[4]["Closure reason"] = "10.1b"
    return rows


def test_a_messy_log_is_reported_by_row_and_column_and_nothing_is_written(org):
    summary = run(org, rows=_messy(), dry_run=True)
    said = [str(p) for p in summary.problems]
    assert said[0] == (
        "Row 2 (CMP-001), column \"Date Rec'd\": '31/2/2026' is not a real date; write a date "
        "such as 3/2/2026 (day first), 3 Feb 2026 or 2026-02-03."
    )
    assert said[1] == "Row 3 (CMP-002), column 'Safeguarding?': 'Maybe' is not Yes or No."
    assert said[2] == (
        "Row 4 (CMP-003), column 'Handled by': 'Bob' is not a colleague of the organisation "
        "(name or e-mail)."
    )
    assert said[3].startswith(
        "Row 5 (CMP-004), column 'Category': 'Gardens' is not a category Fairhear knows;"
    )
    assert said[4] == (
        "Row 6 (CMP-005), column 'Closed': That date is before the case was received "
        "(Wed 4 Feb 2026)."
    )
    assert len(said) == 5
    assert not Case.objects.exists()
    with pytest.raises(ImportRefused):
        run(org, rows=_messy())
    assert not Case.objects.exists()


def test_an_excel_log_with_real_date_cells_reads_as_the_csv_does(org, tmp_path):
    rows = read_rows(LOG)
    book = Workbook()
    sheet = book.active
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        cells = dict(row)
        if cells["Date Rec'd"].strip():
            cells["Date Rec'd"] = read_day(cells["Date Rec'd"])
        sheet.append([cells[h] or None for h in header])
    path = tmp_path / "log.xlsx"
    book.save(path)
    summary = run(org, rows=read_rows(path))
    assert summary.problems == []
    assert case("CMP-034").clocks.get(name="stage1_response_due").due == date(2026, 9, 14)
    assert case("CMP-034").received_at.isoformat() == "2026-08-28T08:00:00+00:00"  # 09:00 BST


def test_the_command_checks_imports_and_skips_what_it_imported_before(org):
    out = io.StringIO()
    args = [str(LOG), "--organisation", "riverside-homes", "--map", str(MAPPING)]
    call_command("import_log", *args, "--dry-run", stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines() == [
        "riverside-homes: would import 40 cases with 242 events.",
        "Dry run: no problems found; nothing was written.",
    ]
    call_command("import_log", *args, stdout=io.StringIO(), stderr=io.StringIO())
    again = io.StringIO()
    call_command("import_log", *args, stdout=again, stderr=io.StringIO())
    assert "imported 0 cases with 0 events, skipped 40 already imported." in again.getvalue()
    assert Case.objects.count() == 40


def test_a_column_mapped_on_the_command_line_is_checked(org):
    args = [str(LOG), "--organisation", "riverside-homes", "--map", str(MAPPING)]
    out = io.StringIO()
    with pytest.raises(CommandError, match="The mapping has problems"):
        call_command("import_log", *args, "--map", "Details=description", stdout=out)
    assert "'description' is not a field Fairhear takes from a log" in out.getvalue()
