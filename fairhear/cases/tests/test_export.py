"""The log exported as an Excel workbook and by `manage.py export_log`: the same cases and
fields as the CSV (which test_queues.py checks), dates as date cells, nothing run as a formula,
and only what the colleague may see. Today is fixed (Wed 4 March 2026)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from fairhear.cases import services as s
from fairhear.cases.export import XLSX_CUT, XLSX_MAX_CELL, XLSX_TYPE, xlsx_text
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.cases.tests.test_queues import handled, london
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import CaseKind

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def workbook_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_the_excel_export_is_the_list_with_date_cells_and_no_formulas(client, team):
    risky = handled(
        team,
        london(2026, 3, 3),
        complainant=s.PersonDetails(name='=HYPERLINK("http://x")', email="a@example.org"),
    )
    plain = handled(team, london(2026, 2, 2))
    other = handled(team, london(2026, 3, 3), handler=team.investigator2)
    client.force_login(team.investigator)

    response = client.get(reverse("cases:queue", args=["mine"]), {"export": "xlsx"})

    assert response["Content-Type"] == XLSX_TYPE
    assert 'attachment; filename="fairhear-mine-2026-03-04.xlsx"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Cases"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Reference", "Kind", "Received")
    by_ref = {r[0]: r for r in rows[1:]}
    assert set(by_ref) == {risky.reference, plain.reference}
    assert other.reference not in by_ref
    # Text a complainant typed stays text: a cell, not a formula.
    cell = next(c for c in book.worksheets[0]["D"] if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x")'
    # Received 2 February; Pivotal §9 stage 1: the response is due 10 working days after
    # acknowledgement on Monday 2 February 2026, so Monday 16 February. Dates are date cells.
    assert by_ref[plain.reference][2] == datetime(2026, 2, 2)
    assert by_ref[plain.reference][10] == datetime(2026, 2, 16)
    assert [r[0] for r in rows[1:]] == [plain.reference, risky.reference]  # the list's order


def test_the_excel_and_csv_exports_hold_the_same_cells(client, team):
    handled(team, london(2026, 2, 2), summary="Damp in the bathroom;\nmould on the ceiling.")
    receive_complaint(team, london(2026, 3, 2), kind=CaseKind.COMPLIMENT)
    client.force_login(team.lead)
    url = reverse("cases:search")

    text = b"".join(client.get(url, {"export": "csv", "kind": ""}).streaming_content).decode()
    xlsx = b"".join(client.get(url, {"export": "xlsx", "kind": ""}).streaming_content)

    from_csv = list(csv.reader(io.StringIO(text)))
    from_xlsx = [
        ["" if v is None else v.date().isoformat() if isinstance(v, datetime) else v for v in r]
        for r in workbook_rows(xlsx)
    ]
    assert len(from_csv) == 3
    assert from_xlsx == from_csv


def test_a_complaint_about_the_colleague_is_not_in_their_excel_export(client, team):
    about_them = receive_complaint(team, london(2026, 3, 4), about_colleagues=[team.allocator])
    receive_complaint(team, london(2026, 3, 4))
    client.force_login(team.allocator)

    response = client.get(reverse("cases:queue", args=["to-allocate"]), {"export": "xlsx"})

    references = [r[0] for r in workbook_rows(b"".join(response.streaming_content))[1:]]
    assert len(references) == 1
    assert about_them.reference not in references


def test_an_excel_cell_never_holds_what_the_file_cannot():
    assert xlsx_text("Bell\x07 and form feed\x0c") == "Bell and form feed"
    assert xlsx_text("Tab\tand\nline") == "Tab\tand\nline"
    long = "x" * 40_000
    cut = xlsx_text(long)
    assert len(cut) == XLSX_MAX_CELL
    assert cut.endswith(XLSX_CUT)
    assert xlsx_text(date(2026, 3, 4)) == "2026-03-04"


def test_the_command_writes_what_the_colleague_may_see(team, tmp_path):
    mine = handled(team, london(2026, 2, 2))
    theirs = handled(team, london(2026, 2, 3), handler=team.investigator2)
    restricted = handled(team, london(2026, 2, 4))
    s.case_restrict_access(
        case=restricted, actor=team.lead, reason="Staff conduct", named=[team.reviewer]
    )
    out = tmp_path / "log.xlsx"

    call_command(
        "export_log", "--organisation", team.org.slug, "--as", team.investigator2.email, str(out)
    )
    assert [r[0] for r in workbook_rows(out.read_bytes())[1:]] == [theirs.reference]

    call_command("export_log", "--organisation", team.org.slug, "--as", team.lead.email, str(out))
    assert [r[0] for r in workbook_rows(out.read_bytes())[1:]] == [
        mine.reference,
        theirs.reference,
        restricted.reference,
    ]
    assert not list(tmp_path.glob(".*partial"))


def test_the_command_writes_csv_for_a_period(team, tmp_path, capsys):
    handled(team, london(2026, 1, 30))
    february = handled(team, london(2026, 2, 2))
    handled(team, london(2026, 3, 2))
    out = tmp_path / "log.csv"

    call_command(
        "export_log",
        *("--organisation", team.org.slug, "--as", team.lead.username),
        *("--from", "2026-02-01", "--to", "2026-02-28", str(out)),
    )

    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert [r[0] for r in rows[1:]] == [february.reference]
    assert "Wrote 1 case to" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--organisation", "nobody"), "There is no organisation 'nobody'"),
        (("--as", "ghost@example.org"), "no active colleague whose e-mail address"),
        (("--from", "1/2/2026"), "--from '1/2/2026' is not a date: write it as YYYY-MM-DD"),
        (("--from", "2026-03-01", "--to", "2026-02-01"), "is before --from 2026-03-01; swap"),
    ],
)
def test_the_command_says_what_is_wrong(team, tmp_path, args, says):
    given = {"--organisation": team.org.slug, "--as": team.lead.email}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [part for pair in given.items() for part in pair]

    with pytest.raises(CommandError, match=says.replace("(", r"\(")):
        call_command("export_log", *argv, str(tmp_path / "log.csv"))
    assert not (tmp_path / "log.csv").exists()


def test_an_excel_workbook_cannot_go_to_standard_output(team):
    with pytest.raises(CommandError, match="cannot go to standard output"):
        call_command(
            "export_log",
            *("--organisation", team.org.slug, "--as", team.lead.email, "--format", "xlsx", "-"),
        )
