"""Importing a case history: the shipped example replays through the services with the clocks
worked out by hand below, exports back to the same file, and a file with problems is reported
in full by the dry run and refused whole by the import."""

import copy
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fairhear.accounts.models import Organisation, User
from fairhear.cases.models import Case
from fairhear.cases.services.verification import cases_verify_log
from fairhear.importing.history import import_history
from fairhear.importing.history_export import export_history
from fairhear.importing.models import ImportedCase
from fairhear.importing.problems import ImportRefused
from fairhear.importing.progress import ProgressBar

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "history.json"

pytestmark = pytest.mark.django_db


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def imported(source_reference: str) -> Case:
    return ImportedCase.objects.get(source_reference=source_reference).case


def clock(case: Case, name: str):
    return case.clocks.get(name=name)


def test_the_example_keeps_the_clocks_a_person_works_out_by_hand():
    summary = import_history(example(), dry_run=False)
    assert [s for s, _ in summary.imported] == [f"OLD-000{n}" for n in range(1, 6)]

    # OLD-0001, Pivotal: received on Friday 22 May 2026, the Friday before the Spring bank
    # holiday (Monday 25 May). Day 0 is Fri 22 May; Sat, Sun and the bank holiday are skipped:
    # Tue 26 (1), Wed 27 (2), Thu 28 (3), Fri 29 (4), Mon 1 Jun (5), Tue 2 (6), Wed 3 (7),
    # Thu 4 (8), Fri 5 (9), Mon 8 Jun (10). The stage 1 response (10 working days, §9 stage 1
    # step 6 and App. 1) is due Monday 8 June, not Friday 5 June; allocation (2 working days)
    # is due Wednesday 27 May. The response went on Friday 5 June: on time.
    first = imported("OLD-0001")
    assert clock(first, "stage1_response_due").due == date(2026, 6, 8)
    assert clock(first, "allocation_due").due == date(2026, 5, 27)
    response = first.events.get(kind="response_sent")
    assert response.data["on_time"] is True
    assert (first.state, first.stage, first.closure_reason) == ("closed", 1, "10.1a")

    # OLD-0002: appeal requested Wed 18 Mar 2026; 20 working days (§9 stage 2): Thu 19 (1) ...
    # Thu 2 Apr (11), then Good Friday 3 Apr and Easter Monday 6 Apr are skipped, Tue 7 Apr
    # (12) ... Fri 17 Apr (20). The stage 2 response on Tue 7 Apr closed the case on time.
    second = imported("OLD-0002")
    assert clock(second, "appeal_response_due").due == date(2026, 4, 17)
    assert (second.state, second.stage, second.closure_reason) == ("closed", 2, "final_response")
    assert second.events.filter(kind="response_sent", stage=2).get().data["on_time"] is True

    # OLD-0005: received Thu 1 Oct 2026; 10 working days: Fri 2 (1), Mon 5 (2) ... Thu 15 Oct
    # (10). The extension agreed on 9 October moves it to Thursday 22 October.
    fifth = imported("OLD-0005")
    extended = clock(fifth, "stage1_response_due")
    assert (extended.original_due, extended.due) == (date(2026, 10, 15), date(2026, 10, 22))
    assert fifth.state == "investigating"

    # OLD-0004: the incident was on 1 June 2025, eleven months before receipt (§6.1 a).
    assert imported("OLD-0004").state == "refused"
    assert imported("OLD-0003").state == "closed"


def test_each_event_keeps_its_recorded_time_and_who_did_it():
    import_history(example(), dry_run=False)
    case = imported("OLD-0001")
    allocated = case.events.get(kind="allocated")
    assert allocated.occurred_at.isoformat() == "2026-05-26T08:05:00+00:00"
    assert allocated.actor.email == "priya.shah@riverside.example"
    assert case.handler.email == "tom.evans@riverside.example"
    # The colleagues the file names are made with its capabilities, and sign in only once
    # an administrator invites them.
    tom = User.objects.get(email="tom.evans@riverside.example")
    assert tom.capabilities == ["log", "investigate"]
    assert not tom.has_usable_password()
    assert tom.line_manager.email == "priya.shah@riverside.example"
    # A case the old log took in a day late keeps both times.
    refused = imported("OLD-0004").events.get(kind="received")
    assert refused.recorded_at.isoformat() == "2026-05-05T07:45:00+00:00"


def test_a_history_imported_and_exported_is_the_same_file_and_its_log_verifies():
    import_history(example(), dry_run=False)
    assert export_history(Organisation.objects.get(slug="riverside-homes")) == example()
    check = cases_verify_log()
    assert check.clean, check.problems
    assert check.cases_checked == 5


def test_the_export_command_writes_what_the_import_command_reads(tmp_path):
    call_command("import_history", str(EXAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    out = tmp_path / "export.json"
    said = io.StringIO()
    call_command("export_history", "--organisation", "riverside-homes", str(out), stdout=said)
    assert json.loads(out.read_text(encoding="utf-8")) == example()
    assert "Wrote 5 cases with 32 events of riverside-homes" in said.getvalue()


def broken() -> dict:
    history = copy.deepcopy(example())
    cases = history["cases"]
    cases[0]["events"][1]["at"] = "2026-05-26T09:00:00"  # no offset
    cases[1]["events"][3]["kind"] = "acknowledged_by_post"  # not a kind of Fairhear's
    cases[2]["tenure"] = "freehold"
    # A closure the policy refuses: 10.1a needs the stage 1 response first (§10.1 a).
    cases[4]["events"][-1] = {
        "kind": "closed",
        "at": "2026-10-20T14:00:00+01:00",
        "by": "tom.evans@riverside.example",
        "data": {"reason_code": "10.1a"},
    }
    return history


def test_the_dry_run_reports_every_problem_by_case_event_and_field_and_writes_nothing():
    summary = import_history(broken(), dry_run=True)
    said = [str(p) for p in summary.problems]
    assert said[0] == (
        "Case 1 (OLD-0001), event 2 (accepted), field 'at': The time '2026-05-26T09:00:00' has "
        "no offset from UTC, so the moment is ambiguous; add one, as in "
        "2026-05-22T09:30:00+01:00 (British Summer Time) or +00:00."
    )
    assert said[1].startswith(
        "Case 2 (OLD-0002), event 4 (acknowledged_by_post), field 'kind': Fairhear does not "
        "import 'acknowledged_by_post' events; use one of received, accepted,"
    )
    assert said[2].startswith("Case 3 (OLD-0003), field 'tenure': Use one of lcra, lcho,")
    assert said[3].startswith("Case 5 (OLD-0005), event 7 (closed): ")
    assert len(said) == 4
    # The cases without a problem were replayed, then undone with everything else.
    assert [s for s, _ in summary.imported] == ["OLD-0004"]
    assert not Organisation.objects.exists()
    assert not Case.objects.exists()
    assert not User.objects.exists()


def test_a_problem_late_in_a_long_file_leaves_the_database_untouched():
    history = example()
    template = history["cases"][3]  # a refused complaint: two events
    history["cases"] = [
        copy.deepcopy(template) | {"source_reference": f"OLD-{n:04}"} for n in range(1, 41)
    ]
    # Case 36's refusal is refused by the service itself: the incident is in time (§6.1 a).
    history["cases"][35]["incident_date"] = "2026-04-01"
    with pytest.raises(ImportRefused) as refused:
        import_history(history, dry_run=False)
    assert [(p.case, p.event, p.kind) for p in refused.value.problems] == [(36, 2, "refused")]
    assert not Case.objects.exists()
    assert not Organisation.objects.exists()
    assert not ImportedCase.objects.exists()


def test_importing_the_same_file_twice_skips_the_cases_already_imported():
    import_history(example(), dry_run=False)
    again = import_history(example(), dry_run=False)
    assert again.imported == []
    assert [s for s, _ in again.skipped] == [f"OLD-000{n}" for n in range(1, 6)]
    assert Case.objects.count() == 5
    out = io.StringIO()
    call_command("import_history", str(EXAMPLE), stdout=out, stderr=io.StringIO())
    assert f"Skipped OLD-0001: already imported as {imported('OLD-0001').reference}." in (
        out.getvalue()
    )
    assert "imported 0 cases with 0 events, skipped 5 already imported." in out.getvalue()


def test_an_existing_organisation_is_checked_against_the_file():
    import_history(example(), dry_run=False)
    history = example()
    history["organisation"]["homes"]["lcra"] = 1300
    history["organisation"]["policy_pack"] = "mmbm"
    summary = import_history(history, dry_run=True)
    assert [p.field for p in summary.problems] == [
        "organisation.homes.lcra",
        "organisation.policy_pack",
    ]
    assert "already exists with 1200, not 1300" in summary.problems[0].message


def test_the_command_dry_run_says_what_it_would_do(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_history", str(EXAMPLE), "--dry-run", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "riverside-homes: would import 5 cases with 32 events; the organisation is new; "
        "5 new colleagues.",
        "Dry run: no problems found; nothing was written.",
    ]
    assert err.getvalue() == ""  # no progress bar when stderr is not a terminal
    assert not Case.objects.exists()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken()), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Dry run: 4 problems; nothing was written\."):
        call_command("import_history", str(bad), "--dry-run", stdout=out, stderr=err)
    assert out.getvalue().startswith("Case 1 (OLD-0001), event 2 (accepted), field 'at':")
    with pytest.raises(CommandError, match=r"4 problems in .*; nothing was imported"):
        call_command("import_history", str(bad), stdout=io.StringIO(), stderr=err)
    assert not Case.objects.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_redraws_one_line_on_a_terminal():
    screen = _Terminal()
    bar = ProgressBar(screen, "Importing")
    for done in range(1, 5):
        bar(done, 4)
    bar.end()
    assert screen.getvalue().split("\r")[1:] == [
        "Importing [#######-----------------------] 1/4 (25%)",
        "Importing [###############---------------] 2/4 (50%)",
        "Importing [######################--------] 3/4 (75%)",
        "Importing [##############################] 4/4 (100%)\n",
    ]


DOCS = Path(__file__).resolve().parents[3] / "docs" / "import.md"


def test_the_example_in_the_docs_imports_and_the_docs_name_every_kind_it_takes():
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("```json\n", 1)[1].split("\n```", 1)[0]
    summary = import_history(json.loads(block), dry_run=True)
    assert summary.problems == []
    assert [s for s, _ in summary.imported] == ["OLD-0001"]
    from fairhear.importing.events import EVENT_KINDS

    for action in EVENT_KINDS:
        assert f"| `{action.value}` |" in text
