"""The command line never shows a traceback: hostile input gets one plain line and exit status
1 (the pack is not valid) or 2 (the command was given something it cannot use).

Each case here raised a traceback, hung or used gigabytes before the bounds in
fairhear/domain/policy/limits.py and the year check in fairhear/domain/clock.py. The commands
run in a child process, as a person would run them, with a time limit so that a hang fails."""

import subprocess
import sys
from pathlib import Path

import pytest

from fairhear.domain.policy.load import PACKS_DIR, load_pack_text

PIVOTAL = (PACKS_DIR / "pivotal.toml").read_text(encoding="utf-8")
OK_RECEIVED = "2024-01-05T10:00:00+00:00"


def fairhear(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "fairhear", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def pack_with(tmp_path: Path, old: str, new: str, *, prefix: bytes = b"") -> str:
    assert PIVOTAL.count(old) >= 1
    path = tmp_path / "edited.toml"
    path.write_bytes(prefix + PIVOTAL.replace(old, new, 1).encode("utf-8"))
    return str(path)


def assert_plain(result: subprocess.CompletedProcess, status: int) -> list[str]:
    assert "Traceback" not in result.stderr
    assert result.returncode == status, result.stderr
    assert result.stdout == ""
    return result.stderr.splitlines()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--received", "9999-12-30T12:00:00+00:00"],
            "fairhear: --received: '9999-12-30T12:00:00+00:00' is in the year 9999; "
            "give a date from 1900 to 2200.",
        ),
        (
            ["--received", "0001-01-01T00:30:00+05:00"],
            "fairhear: --received: '0001-01-01T00:30:00+05:00' is in the year 1; "
            "give a date from 1900 to 2200.",
        ),
        (
            ["--received", OK_RECEIVED, "--event", "allocated=9999-12-31T23:59:59-23:59"],
            "fairhear: --event allocated: '9999-12-31T23:59:59-23:59' is in the year 9999; "
            "give a date from 1900 to 2200.",
        ),
        (
            ["--received", OK_RECEIVED, "--incident-date", "9999-12-31"],
            "fairhear: --incident-date 9999-12-31 is in the year 9999; "
            "give a date from 1900 to 2200.",
        ),
        (
            ["--received", OK_RECEIVED, "--closure", "0001-01-01"],
            "fairhear: --closure 0001-01-01 is in the year 1; give a date from 1900 to 2200.",
        ),
        (
            ["--received", "2" * 100_000],
            "fairhear: --received: '2222222222222222222222222222222222222222'… is too long for "
            "a date and time; write it as ISO 8601 with an offset, for example "
            "2024-01-05T14:30:00+00:00.",
        ),
    ],
)
def test_a_far_or_absurd_date_is_refused_in_one_line(argv, message):
    result = fairhear("timetable", "--policy", "pivotal", *argv)
    assert assert_plain(result, 2) == [message]


def test_a_path_of_100000_characters_is_not_a_pack_file():
    result = fairhear("policy", "check", "a" * 100_000 + ".toml")
    (line,) = assert_plain(result, 2)
    assert line.startswith("fairhear: there is no pack file 'aaaa")
    assert line.endswith("…'; check the path.")
    assert len(line) < 200


def test_a_deeply_nested_pack_is_refused(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = fairhear("policy", "check", str(path))
    assert assert_plain(result, 1) == [
        "The policy pack is not valid:",
        "  deep.toml: nests lists or tables too deeply to be a pack.",
    ]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'working_days = 10\nmet_by = "stage1_response_sent"',
            'months = 1e30\nmet_by = "stage1_response_sent"',
            "clocks.stage1_response_due.months: must be a whole number from 0 to 120; "
            "got the number 1e+30.",
        ),
        (
            'working_days = 10\nmet_by = "stage1_response_sent"',
            'working_days = 3000000\nmet_by = "stage1_response_sent"',
            "clocks.stage1_response_due.working_days: must be from 0 to 2,000; got 3,000,000.",
        ),
        (
            'working_days = 10\nmet_by = "stage1_response_sent"',
            'calendar_days = 3651\nmet_by = "stage1_response_sent"',
            "clocks.stage1_response_due.calendar_days: must be from 0 to 3,650; got 3,651.",
        ),
        (
            "number = 1\n",
            "number = 99999999999\n",
            "stages[0].number: must be from 1 to 10; got 99,999,999,999.",
        ),
        ("months = 6\n", "months = 121\n", "time_limit.months: must be from 1 to 120; got 121."),
    ],
)
def test_a_number_beyond_its_bound_names_the_bound(tmp_path, old, new, problem):
    # The stage number 99999999999 used to make Fairhear list every milestone of every stage
    # up to it, using gigabytes before failing; now it stops at the bound of 10 stages.
    result = fairhear("policy", "check", pack_with(tmp_path, old, new))
    assert assert_plain(result, 1) == ["The policy pack is not valid:", f"  edited.toml: {problem}"]


def test_a_pack_saved_with_a_byte_order_mark_loads(tmp_path):
    path = pack_with(tmp_path, "months = 6\n", "months = 6\n", prefix=b"\xef\xbb\xbf")
    result = fairhear("policy", "check", path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("pivotal 3.0: Pivotal, Complaints and Compliments Policy")


def test_a_pack_file_larger_than_a_megabyte_is_refused(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(PIVOTAL + "\n# " + "x" * 1_000_000 + "\n", encoding="utf-8")
    result = fairhear("policy", "check", str(path))
    assert assert_plain(result, 1) == [
        "The policy pack is not valid:",
        "  big.toml: is larger than 1,000,000 bytes; is it a pack?",
    ]


def test_a_worked_example_in_a_far_year_is_a_failed_example_not_a_crash(tmp_path):
    old = 'received = "'
    assert old in PIVOTAL
    start = PIVOTAL.index(old) + len(old)
    stamp = PIVOTAL[start : PIVOTAL.index('"', start)]
    far = "9999" + stamp[4:]
    result = fairhear("policy", "check", pack_with(tmp_path, stamp, far))
    lines = assert_plain(result, 1)
    assert lines[0].endswith("its own worked examples fail:")
    assert "is in the year 9999; give a date from 1900 to 2200." in lines[1]


def test_a_list_of_more_than_200_entries_is_refused():
    reasons = "".join(
        f'\n[[categories]]\ncode = "c{n}"\nlabel = "Category {n}"\n' for n in range(201)
    )
    with pytest.raises(ValueError, match=r"categories: has 2\d\d entries; a pack may have 200\."):
        load_pack_text(PIVOTAL + reasons, source="pivotal.toml")
