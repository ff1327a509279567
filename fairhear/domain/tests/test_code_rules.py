"""A pack checked against the Housing Ombudsman Complaint Handling Code 2024: every departure,
with the Code section, for MMBM (seed 000) and Pivotal (seed 003), worked out by hand.

The Code pack's own figures (REGULATION.md §1), counted in working days from the start of each
stage: stage 1 acknowledgement 5 from receipt (6.2); response 10 from the acknowledgement,
which is due within 5, so at most 15 from receipt (6.3); an extension at most 10 more, so 25
(6.4). Stage 2 acknowledgement 5 from the request (6.11); response 20 from it, so 25 (6.14); an
extension at most 20 more, so 45 (6.15).
"""

from pathlib import Path

import pytest

from fairhear.cli import main
from fairhear.domain.clock import Duration, Unit
from fairhear.domain.policy.load import load_pack_text, load_shipped_pack
from fairhear.domain.policy.rules import departures_from_code, most_working_days

CODE = load_shipped_pack("hos-code-2024")
PACKS = Path(__file__).parent.parent / "policy" / "packs"
PUBLISHED = Path(__file__).parent / "published"

MMBM_DEPARTURES = [
    # §8: "try and resolve complaints at a local level first", before stage 1.
    "Code 5.2: There may be no stage 0 or informal stage before stage 1. The pack tries to "
    "resolve the complaint locally before stage 1 (§8 (second paragraph); §12).",
    # §8: "a three-stage process".
    "Code 5.3: A process with more than two stages is not acceptable under any circumstances, "
    "and there must be two. The pack has 3 stages: Stage 1 (initial investigation) (§8.1); "
    "Stage 2 (review) (§8.2); Stage 3 (appeal to the Directors) (§8.3).",
    # §8.1.3: 28 working days from receipt, against the Code's 15.
    "Code 6.3: The stage 1 response may take no longer than the Code allows. Stage 1 (initial "
    "investigation): stage1_response_due (§8.1.3) gives up to 28 working days after the "
    "complaint is received; the Code allows at most 15 (Code 6.3; KPIS.md CH02).",
    # §8.1.3: "we may take longer ... we will keep you informed": no limit, against 25.
    "Code 6.4: A stage 1 extension must have a limit, no later than the Code's. Stage 1 "
    "(initial investigation): stage1_response_due may be extended with no limit (§8.1; "
    "§8.1.3); the Code allows at most 25 working days after the complaint is received "
    "(Code 6.4; Code 6.5).",
    # §8.2.5 and §8.2.7: acknowledged within 3, then 28 from the acknowledgement: 31, against 25.
    "Code 6.14: The stage 2 final response may take no longer than the Code allows. Stage 2 "
    "(review): stage2_response_due (§8.2.7) gives up to 31 working days after stage 2 is asked "
    "for; the Code allows at most 25 (Code 6.14).",
    # §8.2.7: "agree a revised time limit": no limit, against 45.
    "Code 6.15 [M]: A stage 2 extension must have a limit, no later than the Code's. Stage 2 "
    "(review): stage2_response_due may be extended with no limit (§8.2.7); the Code allows at "
    "most 45 working days after stage 2 is asked for (Code 6.15 [M]; Code 6.16 [M]).",
]

PIVOTAL_DEPARTURES = [
    # §6.1 a: 6 months, against the Code's 12.
    "Code 2.3: Complaints made within the Code's time limit must be accepted, so the pack's "
    "time limit for complaining may not be shorter. The pack refuses complaints made more than "
    "6 months after the issue (§6.1 a); the Code's limit is 12 months (Code 2.2; Code 2.3).",
    # §6.1 a allows no exceptional circumstances.
    "Code 2.3: Discretion must be considered for a complaint made after the time limit. The "
    "pack never accepts a complaint out of time, whatever the circumstances (§6.1 a).",
    # §9 stage 2 point 4: "a written explanation ... together with the date": no limit.
    "Code 6.15 [M]: A stage 2 extension must have a limit, no later than the Code's. Stage 2 "
    "(appeal to the SLT): appeal_response_due may be extended with no limit (§9 stage 2 point "
    "4; §14.2); the Code allows at most 45 working days after stage 2 is asked for (Code 6.15 "
    "[M]; Code 6.16 [M]).",
]
# Pivotal within the Code: acknowledgement 2 WD from the allocation, itself due within 2 of
# receipt (4 ≤ 5); response 10 from receipt (≤ 15); extension to 20 from receipt (≤ 25); appeal
# acknowledged within 3 (≤ 5) and answered within 20 of the appeal (≤ 25); a different handler.


def test_mmbm_departs_from_the_code_by_local_resolution_three_stages_and_its_timescales():
    assert [str(d) for d in departures_from_code(load_shipped_pack("mmbm"), CODE)] == (
        MMBM_DEPARTURES
    )


def test_pivotal_departs_from_the_code_by_its_time_limit_and_an_unlimited_appeal_extension():
    assert [str(d) for d in departures_from_code(load_shipped_pack("pivotal"), CODE)] == (
        PIVOTAL_DEPARTURES
    )


def test_the_code_pack_does_not_depart_from_itself():
    assert departures_from_code(CODE, CODE) == []


def test_a_late_acknowledgement_and_a_same_handler_stage_2_depart_from_the_code():
    text = (PACKS / "hos-code-2024.toml").read_text()
    text = text.replace(
        'working_days = 5\nmet_by = "acknowledged"', 'working_days = 6\nmet_by = "acknowledged"'
    )
    text = text.replace("different_handler = true", "different_handler = false")
    pack = load_pack_text(text)
    assert [str(d) for d in departures_from_code(pack, CODE)] == [
        # 6 working days to acknowledge, against 5; the response, 10 from an acknowledgement
        # due within 6, may then take 16, against 15; its extension 26, against 25.
        "Code 6.2: A complaint must be acknowledged, defined and logged at stage 1 within the "
        "Code's time. Stage 1: stage1_acknowledgement_due (Code 6.2) gives up to 6 working days "
        "after the complaint is received; the Code allows at most 5 (Code 6.2).",
        "Code 6.3: The stage 1 response may take no longer than the Code allows. Stage 1: "
        "stage1_response_due (Code 6.3; KPIS.md CH02) gives up to 16 working days after the "
        "complaint is received; the Code allows at most 15 (Code 6.3; KPIS.md CH02).",
        "Code 6.4: A stage 1 extension must have a limit, no later than the Code's. Stage 1: "
        "stage1_response_due may be extended to 26 working days after the complaint is "
        "received (Code 6.4; Code 6.5); the Code allows at most 25 (Code 6.4; Code 6.5).",
        "Code 6.13: The stage 2 handler must not be the person who handled stage 1. Stage 2 "
        "may be handled by the stage 1 handler (Code 6.10 to 6.19).",
    ]


@pytest.mark.parametrize(
    ("duration", "most"),
    [
        (Duration(10, Unit.WORKING_DAYS), 10),
        (Duration(28, Unit.CALENDAR_DAYS), 20),  # four whole weeks
        (Duration(3, Unit.CALENDAR_DAYS), 3),  # three weekdays in a row
        (Duration(6, Unit.CALENDAR_DAYS), 5),  # a week less a day holds at most 5
        (Duration(1, Unit.MONTHS), 23),  # 31 days: 4 weeks (20) and 3 weekdays
    ],
)
def test_calendar_days_and_months_count_as_the_most_weekdays_they_can_hold(duration, most):
    assert most_working_days(duration) == most


@pytest.mark.parametrize("path", sorted(PUBLISHED.glob("*.toml")), ids=lambda p: p.name)
def test_every_first_published_pack_can_be_checked_against_the_code(path):
    departures_from_code(load_pack_text(path.read_text()), CODE)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_policy_check_against_the_code_prints_mmbms_departures_and_exits_3(capsys):
    status, out, err = run(capsys, "policy", "check", "--against", "hos-code-2024", "mmbm")
    assert (status, err) == (3, "")
    assert out.splitlines() == [
        "mmbm 1 departs from the Complaint Handling Code (2024) (hos-code-2024 2024) in 6 ways:",
        *(f"  {d}" for d in MMBM_DEPARTURES),
    ]


def test_policy_check_against_the_code_exits_0_when_nothing_departs(capsys):
    status, out, _ = run(capsys, "policy", "check", "--against", "hos-code-2024", "hos-code-2024")
    assert status == 0
    assert out == (
        "hos-code-2024 2024 does not depart from the Complaint Handling Code (2024) "
        "(hos-code-2024 2024).\n"
    )


def test_policy_check_against_another_pack_says_only_the_code_has_rules(capsys):
    status, out, err = run(capsys, "policy", "check", "--against", "pivotal", "mmbm")
    assert (status, out) == (2, "")
    assert err == (
        "fairhear: --against 'pivotal': the rules are the Housing Ombudsman's Complaint Handling "
        "Code; use --against hos-code-2024 (or a .toml file of that pack).\n"
    )
