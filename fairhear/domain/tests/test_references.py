"""The keyed shuffle behind case references: one code per number, readable, key-dependent."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhear.domain.references import (
    CAPACITY,
    case_reference,
    code_for,
    normalise_reference,
    permute,
)

KEY = bytes(range(32))
numbers = st.integers(min_value=0, max_value=CAPACITY - 1)


def test_the_capacity_is_every_six_character_code():
    # 32 characters in each of 6 places: 32⁶ = 2³⁰ = 1,073,741,824.
    assert CAPACITY == 1_073_741_824


def test_the_first_ten_thousand_numbers_get_ten_thousand_different_codes():
    codes = [code_for(KEY, n) for n in range(1, 10_001)]

    assert len(set(codes)) == 10_000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{6}", c) for c in codes)


@given(numbers, numbers)
def test_two_different_numbers_never_share_a_code(a, b):
    assert (permute(KEY, a) == permute(KEY, b)) == (a == b)


@given(numbers)
def test_every_number_lands_inside_the_codes(n):
    assert 0 <= permute(KEY, n) < CAPACITY


def test_another_key_gives_other_codes():
    other = bytes(reversed(range(32)))

    ours = [code_for(KEY, n) for n in range(1, 51)]
    theirs = [code_for(other, n) for n in range(1, 51)]

    assert sum(a == b for a, b in zip(ours, theirs, strict=True)) < 3


def test_a_reference_is_kind_year_and_two_groups_of_three():
    assert re.fullmatch(
        r"C-2026-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}", case_reference("C", 2026, KEY, 1)
    )


def test_a_reference_as_heard_is_read_back_to_its_stored_form():
    assert normalise_reference("  c-2026-o7k-xil ") == "C-2026-07K-X11"


@pytest.mark.parametrize("number", [-1, CAPACITY])
def test_a_number_outside_the_codes_is_refused(number):
    with pytest.raises(ValueError, match="outside 0 to 1073741823"):
        permute(KEY, number)


def test_a_missing_key_is_refused():
    with pytest.raises(ValueError, match="A reference key is needed"):
        permute(b"", 1)
