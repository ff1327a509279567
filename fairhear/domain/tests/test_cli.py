"""The `fairhear` command line: `policy check` and `timetable`, their output and their errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fairhear.cli import main
from fairhear.domain.policy.load import PACKS_DIR, load_shipped_pack, shipped_pack_names

RECEIVED = "2023-12-22T10:00:00+00:00"  # Fri 22 Dec 2023, the Friday before Christmas
PIVOTAL_EXAMPLES = f"Worked examples: {len(load_shipped_pack('pivotal').golden)} passed."


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------------------------------------
# fairhear policy check


@pytest.mark.parametrize("name", ["pivotal", "mmbm", "hos-code-2024"])
def test_policy_check_passes_each_shipped_pack_and_prints_stages_and_clocks(capsys, name):
    status, out, err = run(capsys, "policy", "check", name)
    assert status == 0, err
    assert err == ""
    assert "Stages:" in out
    assert "Clocks:" in out
    assert "Worked examples:" in out
    assert "passed." in out


def test_policy_check_lists_pivotal_stages_and_clocks_with_their_sources(capsys):
    _, out, _ = run(capsys, "policy", "check", "pivotal")
    assert out.splitlines()[0] == (
        "pivotal 3.0: Pivotal, Complaints and Compliments Policy and Procedure"
    )
    assert "Time limit: 6 months (§6.1 a)" in out
    assert "  1. Stage 1: handled by Service Manager (§9 stage 1)" in out
    assert "  2. Stage 2 (appeal to the SLT): handled by SLT member, final (§9 stage 2)" in out
    assert "  acknowledgement_due: 2 working days after allocated (" in out
    assert (
        "  appeal_request_due: 10 working days after stage1_response_received or "
        "stage1_response_sent (§9 stage 2 point 1; App. 1 stage 2 point 1)"
    ) in out
    assert PIVOTAL_EXAMPLES in out


def test_policy_check_lists_mmbm_calendar_day_and_month_clocks(capsys):
    _, out, _ = run(capsys, "policy", "check", "mmbm")
    assert "  stage2_request_due: 28 calendar days after stage1_response_sent (§8.2.2)" in out
    assert (
        "  restriction_review_due: 6 months after restriction_applied or restriction_reviewed"
    ) in out
    assert "  3. Stage 3 (appeal to the Directors): handled by Director, final (§8.3)" in out


def test_policy_check_accepts_a_file_path(capsys, tmp_path):
    path = tmp_path / "copy.toml"
    path.write_text((PACKS_DIR / "hos-code-2024.toml").read_text(encoding="utf-8"))
    status, out, _ = run(capsys, "policy", "check", str(path))
    assert status == 0
    assert out.startswith(
        "hos-code-2024 2024: Housing Ombudsman Service model, Complaint Handling Code"
    )


def test_policy_check_of_a_broken_pack_names_the_file_and_the_field(capsys, tmp_path):
    text = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
    path = tmp_path / "broken.toml"
    path.write_text(text.replace('response_clock = "appeal_response_due"', 'response_clock = "x"'))
    status, out, err = run(capsys, "policy", "check", str(path))
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        "The policy pack is not valid:",
        "  broken.toml: stages[1].response_clock: names the clock 'x', which is not defined "
        "under [clocks].",
    ]


def test_policy_check_of_invalid_toml(capsys, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[pack]\nname = "x\n')
    status, _, err = run(capsys, "policy", "check", str(path))
    assert status == 1
    assert "broken.toml: is not valid TOML (" in err


def test_policy_check_fails_a_pack_whose_worked_examples_fail(capsys, tmp_path):
    text = (PACKS_DIR / "mmbm.toml").read_text(encoding="utf-8")
    path = tmp_path / "mmbm-edited.toml"
    # MMBM §8.3.3: 3 Dec 2024 + 28 days is 31 Dec, not 30 Dec.
    path.write_text(
        text.replace("stage3_outcome_due = 2024-12-31", "stage3_outcome_due = 2024-12-30")
    )
    status, out, err = run(capsys, "policy", "check", str(path))
    assert status == 1
    assert out == ""
    assert "its own worked examples fail" in err
    assert "stage3_outcome_due should be Mon 30 Dec 2024 but the pack gives Tue 31 Dec 2024." in err


# ---------------------------------------------------------------------------------------------
# fairhear timetable --format json


def test_timetable_json_shape(capsys):
    status, out, err = run(
        capsys,
        "timetable",
        "--policy",
        "pivotal",
        "--received",
        RECEIVED,
        "--event",
        "allocated=2023-12-28T09:00:00+00:00",
        "--incident-date",
        "2023-06-22",
        "--format",
        "json",
    )
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"policy", "version", "clocks", "acceptance"}
    assert data["policy"] == "pivotal"
    assert data["version"] == "3.0"
    assert set(data["acceptance"]) == {"in_time", "reason"}
    assert data["acceptance"]["in_time"] is True
    names = [c["name"] for c in data["clocks"]]
    assert names == [
        "log_and_notify_due",
        "allocation_due",
        "acknowledgement_due",
        "stage1_response_due",
        "stage1_extended_response_due",
        "appeal_request_due",
        "appeal_acknowledgement_due",
        "appeal_response_due",
        "auto_close_due",
    ]
    for clock in data["clocks"]:
        assert {"name", "starts_from", "due"} <= set(clock)
    by_name = {c["name"]: c for c in data["clocks"]}
    # Pivotal §9 stage 1, counted by hand in the pack's golden[0]: 25, 26 Dec and 1 Jan skipped.
    assert by_name["log_and_notify_due"]["due"] == "2023-12-27"
    assert by_name["acknowledgement_due"]["due"] == "2024-01-02"
    assert by_name["acknowledgement_due"]["starts_from"] == "allocated"
    assert by_name["stage1_response_due"]["due"] == "2024-01-10"
    # Not started: due is null, not missing.
    assert by_name["appeal_request_due"]["due"] is None
    assert by_name["appeal_request_due"]["starts_from"] == (
        "stage1_response_received or stage1_response_sent"
    )
    assert by_name["auto_close_due"]["due"] is None


def test_timetable_json_for_the_code_on_the_scottish_calendar(capsys):
    """Code 6.3 (REGULATION.md §1 worked example): 15 Jan 2026 in Scotland."""
    status, out, _ = run(
        capsys,
        "timetable",
        "--policy",
        "hos-code-2024",
        "--received",
        "2025-12-19T10:00:00+00:00",
        "--event",
        "acknowledged=2025-12-30T10:00:00+00:00",
        "--nation",
        "scotland",
        "--format",
        "json",
    )
    assert status == 0
    by_name = {c["name"]: c for c in json.loads(out)["clocks"]}
    assert by_name["stage1_response_due"]["due"] == "2026-01-15"


def test_timetable_json_acceptance_out_of_time(capsys):
    """MMBM §6.1: 29 Feb 2024 + 12 months is 28 Feb 2025; received 1 Mar 2025 is late."""
    _, out, _ = run(
        capsys,
        "timetable",
        "--policy",
        "mmbm",
        "--received",
        "2025-03-01T10:00:00+00:00",
        "--incident-date",
        "2024-02-29",
        "--format",
        "json",
    )
    acceptance = json.loads(out)["acceptance"]
    assert acceptance["in_time"] is False
    assert "ended on Fri 28 Feb 2025" in acceptance["reason"]


def test_timetable_exceptional_circumstances_flag(capsys):
    """MMBM §6.1 "unless there are exceptional circumstances"."""
    _, out, _ = run(
        capsys,
        "timetable",
        "--policy",
        "mmbm",
        "--received",
        "2025-03-01T10:00:00+00:00",
        "--incident-date",
        "2024-02-29",
        "--exceptional-circumstances",
        "--format",
        "json",
    )
    assert json.loads(out)["acceptance"]["in_time"] is True


def test_timetable_closure_days_move_the_dates(capsys):
    """Pivotal §9 stage 1: closed on Wed 27 Dec 2023, logging is due Thu 28 Dec instead."""
    _, out, _ = run(
        capsys,
        "timetable",
        "--policy",
        "pivotal",
        "--received",
        RECEIVED,
        "--closure",
        "2023-12-27",
        "--format",
        "json",
    )
    by_name = {c["name"]: c for c in json.loads(out)["clocks"]}
    assert by_name["log_and_notify_due"]["due"] == "2023-12-28"
    assert "the closure day 27 Dec" in by_name["log_and_notify_due"]["explanation"]


# ---------------------------------------------------------------------------------------------
# fairhear timetable --format text


def test_timetable_text_explains_each_date_in_words(capsys):
    status, out, _ = run(capsys, "timetable", "--policy", "pivotal", "--received", RECEIVED)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Pivotal: Complaints and Compliments Policy and Procedure (pivotal 3.0)"
    assert lines[1] == "Received Fri 22 Dec 2023; bank holidays of England and Wales."
    assert (
        "10 working days after Fri 22 Dec 2023, skipping the bank holidays 25 Dec, 26 Dec and 1 Jan"
    ) in out
    response = next(line for line in lines if line.startswith("stage1_response_due "))
    assert "Wed 10 Jan 2024" in response
    appeal = next(line for line in lines if line.startswith("appeal_request_due "))
    assert "not started" in appeal
    assert "Starts when " in appeal
    assert lines[-1].startswith("Time limit: in time. No incident date was recorded")


def test_timetable_text_says_out_of_time(capsys):
    """Pivotal §6.1 a: 29 Feb 2024 + 6 months is 29 Aug 2024."""
    _, out, _ = run(
        capsys,
        "timetable",
        "--policy",
        "pivotal",
        "--received",
        "2024-08-30T10:00:00+01:00",
        "--incident-date",
        "2024-02-29",
    )
    assert out.splitlines()[-1] == (
        "Time limit: out of time. Received Fri 30 Aug 2024, after the 6-month time limit "
        "(§6.1 a) ended on Thu 29 Aug 2024 (6 months after the incident on Thu 29 Feb 2024)."
    )


def test_timetable_uses_the_london_date_of_each_timestamp(capsys):
    """23:30 UTC on Sun 31 Mar 2024 is 00:30 BST on Mon 1 Apr (BRIEF)."""
    _, out, _ = run(
        capsys, "timetable", "--policy", "pivotal", "--received", "2024-03-31T23:30:00+00:00"
    )
    assert "Received Mon 1 Apr 2024;" in out


# ---------------------------------------------------------------------------------------------
# Bad input: non-zero exit and one line on stderr saying what is wrong.


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["--event", "appealed=2024-01-02T10:00:00+00:00"],
            "Unknown event 'appealed'; the pivotal pack knows ",
        ),
        (
            ["--event", "allocated"],
            "--event 'allocated' must be NAME=TIMESTAMP.",
        ),
        (
            ["--event", "allocated=yesterday"],
            "--event allocated: 'yesterday' is not a date and time; write it as ISO 8601",
        ),
        (
            ["--incident-date", "2023-02-30"],
            "--incident-date '2023-02-30' is not a date; write it as YYYY-MM-DD.",
        ),
        (
            ["--closure", "27/12/2023"],
            "--closure '27/12/2023' is not a date; write it as YYYY-MM-DD.",
        ),
        (
            ["--event", "allocated=2023-12-28T09:00:00"],
            "--event allocated: '2023-12-28T09:00:00' has no UTC offset; add one",
        ),
        (
            ["--event", "allocated=2023-12-21T09:00:00+00:00"],
            "The event allocated on Thu 21 Dec 2023 is before the complaint was received on "
            "Fri 22 Dec 2023; check both dates.",
        ),
        (
            ["--category", "plumbing"],
            "--category 'plumbing' is not a category of the pivotal pack; use one of "
            "safeguarding, health_and_safety, repairs,",
        ),
        (
            ["--incident-date", "2023-12-23"],
            "The incident date Sat 23 Dec 2023 is after the complaint was received "
            "(Fri 22 Dec 2023); check both dates.",
        ),
    ],
)
def test_timetable_bad_input_is_one_line(capsys, argv, says):
    status, out, err = run(
        capsys, "timetable", "--policy", "pivotal", "--received", RECEIVED, *argv
    )
    assert status != 0
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("fairhear: ")
    assert says in err


def test_timetable_received_without_an_offset_is_one_line(capsys):
    status, _, err = run(
        capsys, "timetable", "--policy", "pivotal", "--received", "2023-12-22T10:00"
    )
    assert status != 0
    assert len(err.splitlines()) == 1
    assert err.startswith("fairhear: --received: '2023-12-22T10:00' has no UTC offset; add one")
    assert "+01:00 for British Summer Time" in err


def test_timetable_malformed_received_is_one_line(capsys):
    status, _, err = run(capsys, "timetable", "--policy", "pivotal", "--received", "22/12/2023")
    assert status != 0
    assert len(err.splitlines()) == 1
    assert "'22/12/2023' is not a date and time" in err


@pytest.mark.parametrize(
    "command", [["timetable", "--received", RECEIVED, "--policy"], ["policy", "check"]]
)
def test_an_unknown_policy_name_is_one_line(capsys, command):
    status, out, err = run(capsys, *command, "pivot")
    assert status != 0
    assert out == ""
    assert err.splitlines() == [
        "fairhear: 'pivot' is not a shipped pack; choose one of "
        f"{', '.join(shipped_pack_names())} or give the path of a .toml file."
    ]


def test_a_missing_pack_file_is_one_line(capsys, tmp_path):
    missing = str(tmp_path / "absent.toml")
    status, _, err = run(capsys, "policy", "check", missing)
    assert status != 0
    assert err.splitlines() == [f"fairhear: there is no pack file {missing!r}; check the path."]


def test_no_command_prints_help(capsys):
    status, out, _ = run(capsys)
    assert status == 2
    assert "policy" in out
    assert "timetable" in out


# ---------------------------------------------------------------------------------------------
# As a program


def test_python_dash_m_fairhear_runs_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "fairhear", "policy", "check", "pivotal"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert PIVOTAL_EXAMPLES in result.stdout


def test_the_installed_console_script_exits_with_the_status():
    script = Path(sys.executable).parent / "fairhear"
    if not script.exists():
        pytest.skip("the fairhear console script is not installed in this environment")
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [str(script), "timetable", "--policy", "nope", "--received", RECEIVED],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("fairhear: 'nope' is not a shipped pack")


def test_timetable_refuses_an_event_earlier_on_the_day_of_receipt(capsys):
    status, out, err = run(
        capsys,
        "timetable",
        "--policy",
        "pivotal",
        "--received",
        "2024-01-05T10:00:00+00:00",
        "--event",
        "allocated=2024-01-05T09:00:00+00:00",
    )
    assert status == 2
    assert out == ""
    assert err == (
        "fairhear: --event allocated at 2024-01-05T09:00:00+00:00 is before the complaint was "
        "received at 2024-01-05T10:00:00+00:00; check both times.\n"
    )
