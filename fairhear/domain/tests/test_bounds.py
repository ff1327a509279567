"""Date bounds on a case (domain/bounds.py) and the pack's optional `in_force_from`.

Days of the week from a printed calendar: Sun 1 Oct 2023, Fri 30 Sep 2022, Sat 1 Oct 2022,
Mon 1 Apr 2024, Fri 31 Mar 2023, Tue 1 Dec 2026.
"""

from datetime import date
from pathlib import Path

import pytest

from fairhear.domain.bounds import action_due_problem, version_confirmation, year_problem
from fairhear.domain.policy.load import PackInvalid, load_pack_text, load_shipped_pack

PUBLISHED = Path(__file__).parent / "published"
PIVOTAL_SOURCE_LINE = 'source = "Seed 003: Pivotal Complaints and Compliments Policy and Procedure'


def test_the_shipped_packs_say_when_they_came_into_force():
    # Pivotal 3.0 was "issued October 2023" (seed 003), read as from the first of the month;
    # the Code is statutory from 1 April 2024 (REGULATION.md §1); MMBM's policy is undated.
    assert load_shipped_pack("pivotal").in_force_from == date(2023, 10, 1)
    assert load_shipped_pack("hos-code-2024").in_force_from == date(2024, 4, 1)
    assert load_shipped_pack("mmbm").in_force_from is None


@pytest.mark.parametrize("path", sorted(PUBLISHED.glob("*.toml")), ids=lambda p: p.stem)
def test_packs_published_before_the_field_existed_load_with_no_date(path):
    pack = load_pack_text(path.read_text(encoding="utf-8"), source=path.name)
    assert pack.in_force_from is None
    assert version_confirmation(pack, date(1999, 1, 1)) == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"October 2023"', "must be a date such as 2023-10-01."),
        ("2023-10-01T09:00:00", "must be a date such as 2023-10-01."),
        ("0001-01-01", "must be a date from 1900 to 2200."),
    ],
)
def test_a_wrong_in_force_date_is_a_plain_problem(value, message):
    text = (PUBLISHED / "pivotal-3.0-first-published.toml").read_text(encoding="utf-8")
    start = text.index(PIVOTAL_SOURCE_LINE)
    end = text.index("\n", start)
    text = f"{text[: end + 1]}in_force_from = {value}\n{text[end + 1 :]}"

    with pytest.raises(PackInvalid) as caught:
        load_pack_text(text, source="pivotal.toml")

    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("pack.in_force_from", message)
    ]


@pytest.mark.parametrize(
    ("received", "asks"),
    [
        (date(2022, 9, 30), True),  # Sun 1 Oct 2023 less 12 months is Sat 1 Oct 2022
        (date(2022, 10, 1), False),
        (date(2023, 10, 1), False),
    ],
)
def test_version_confirmation_asks_only_more_than_12_months_before(received, asks):
    assert bool(version_confirmation(load_shipped_pack("pivotal"), received)) is asks


def test_the_code_pack_names_itself_when_it_asks():
    # Statutory from Mon 1 Apr 2024; 12 months before is Sat 1 Apr 2023.
    question = version_confirmation(load_shipped_pack("hos-code-2024"), date(2023, 3, 31))
    assert "version 2024 (Housing Ombudsman Service model), in force from Mon 1 Apr 2024" in (
        question
    )


def test_years_outside_1900_to_2200_cannot_be_right():
    assert year_problem(date(1900, 1, 1), "The date") == ""
    assert year_problem(date(2200, 12, 31), "The date") == ""
    assert year_problem(date(1899, 12, 31), "The date") == (
        "The date is in the year 1899, which cannot be right; check the year (Fairhear takes "
        "dates from 1900 to 2200)."
    )


def test_an_action_is_due_on_or_after_its_response():
    responded = date(2026, 12, 1)
    assert action_due_problem(1, "Fix it", responded, responded) == ""
    assert "before the response promising it is sent on Tue 1 Dec 2026" in action_due_problem(
        1, "Fix it", date(2026, 11, 30), responded
    )
