"""The rule that recognises a person who comes back (domain/people.py; docs/policy-packs.md,
"People across cases"): certain only on the name and something that identifies them; a shared
e-mail or phone alone is asked about; a name alone is never a match."""

import pytest

from fairhear.domain.people import (
    Likeness,
    PersonKeys,
    detail_changes,
    first_address_line,
    likeness,
    match_person,
    normalise_name,
    normalise_phone,
    person_keys,
    postcode_in,
)


def test_names_compare_without_case_accents_punctuation_or_a_title():
    assert normalise_name("  Mrs  Zoë O'Brien ") == "zoe o brien"
    assert normalise_name("ZOE O BRIEN") == "zoe o brien"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("01632 960 001", "01632960001"),
        ("+44 1632 960001", "01632960001"),
        ("0044 1632-960001", "01632960001"),
        ("960001", ""),  # too short to identify anyone
    ],
)
def test_phone_numbers_compare_as_their_digits_with_44_read_as_a_leading_0(given, expected):
    assert normalise_phone(given) == expected


def test_the_postcode_is_found_anywhere_in_an_address():
    assert postcode_in("Flat 2, 10 High Street\nLeeds ls1 4ap") == "LS14AP"
    assert postcode_in("10 High Street, Leeds") == ""


ADA = person_keys(name="Ada Lovelace", email="ada@example.org", phone="01632 960001")


def test_the_same_name_and_e_mail_is_the_same_person_even_with_a_new_phone():
    new = person_keys(name="ada lovelace", email="ADA@example.org ", phone="07700 900123")
    assert likeness(new, ADA) == (Likeness.SAME, ("the same name", "the same e-mail address"))


def test_a_shared_e_mail_under_another_name_is_only_possible():
    # A household sharing one address, or a representative: the colleague is asked.
    new = person_keys(name="Byron Lovelace", email="ada@example.org")
    assert likeness(new, ADA) == (Likeness.POSSIBLE, ("the same e-mail address",))


def test_a_name_alone_is_never_a_match():
    assert likeness(person_keys(name="Ada Lovelace"), ADA) == (Likeness.NONE, ())
    other_details = person_keys(name="Ada Lovelace", email="a.l@example.com", phone="020 7946 0000")
    assert likeness(other_details, ADA)[0] is Likeness.NONE


def test_name_and_postcode_match_unless_both_e_mail_and_phone_say_otherwise():
    known = person_keys(name="Ada Lovelace", email="ada@example.org", address="1 Road, LS1 4AP")
    assert likeness(person_keys(name="Ada Lovelace", address="LS1 4AP"), known)[0] is (
        Likeness.SAME
    )
    known_phone = PersonKeys(
        name="ada lovelace", email="ada@example.org", phone="01632960001", postcode="LS14AP"
    )
    both_differ = person_keys(
        name="Ada Lovelace", email="other@example.org", phone="020 7946 0000", address="LS1 4AP"
    )
    assert likeness(both_differ, known_phone)[0] is Likeness.POSSIBLE


def test_one_certain_match_is_reused_and_two_are_asked_about():
    new = person_keys(name="Ada Lovelace", email="ada@example.org")
    assert match_person(new, [(7, ADA)]).same == 7
    twice = match_person(new, [(7, ADA), (9, ADA)])
    assert twice.same is None
    assert [pid for pid, _ in twice.possible] == [7, 9]


def test_a_new_contact_changes_only_the_details_it_gives():
    known = {"email": "ada@example.org", "phone": "01632 960001", "address": "1 Road"}
    given = {"email": "ADA@example.org", "phone": "07700 900123", "address": ""}
    changes = detail_changes(known, given)
    assert [(c.field, c.was, c.now) for c in changes] == [("phone", "01632 960001", "07700 900123")]


@pytest.mark.parametrize(
    ("address", "line"),
    [
        ("12 High Street\nLeeds\nLS1 4AB", "12 high street"),
        ("12, High St.\nLeeds LS1 4AB", "12 high street"),
        ("  12  HIGH   STREET , Leeds, LS1 4AB", "12 high street"),
        ("Flat 3, Rosé Court\nLeeds", "flat 3 rose court"),
        ("Flat 3 Rose Ct", "flat 3 rose court"),
        ("LS1 4AB", ""),
        ("", ""),
        ("\n\n", ""),
    ],
)
def test_the_first_line_of_an_address_is_compared_without_case_punctuation_or_short_words(
    address, line
):
    assert first_address_line(address) == line
