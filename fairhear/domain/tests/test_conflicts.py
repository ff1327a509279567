"""The sentence a colleague reads when someone else changed the case while they were on its
page. Times are London times, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fairhear.domain.conflicts import Change, overtaken_message
from fairhear.domain.lifecycle import Action

AFTER = (
    " while you were on this page; nothing you entered was saved — check the case and try again."
)


def test_one_allocation_today_names_who_to_whom_and_when():
    change = Change(
        Action.ALLOCATE,
        "Sam Patel",
        datetime(2026, 3, 4, 10, 42, tzinfo=UTC),  # GMT in March: 10:42 in London
        {"handler": "Jo Bloggs"},
    )

    message = overtaken_message([change], today=date(2026, 3, 4))

    assert message == f"Sam Patel allocated this case to Jo Bloggs at 10:42{AFTER}"


def test_a_change_on_an_earlier_day_gives_the_day_in_summer_time():
    # 23:30 UTC on Tue 2 Jun 2026 is 00:30 BST on Wed 3 Jun in London.
    change = Change(Action.CLOSE, "Ann Lee", datetime(2026, 6, 2, 23, 30, tzinfo=UTC))

    message = overtaken_message([change], today=date(2026, 6, 4))

    assert message == f"Ann Lee closed this case on Wed 3 Jun 2026 at 00:30{AFTER}"


def test_several_changes_list_three_and_count_the_rest():
    at = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    changes = [
        Change(Action.ACCEPT, "Sam Patel", at),
        Change(Action.ADD_NOTE, "Jo Bloggs", at.replace(minute=5)),
        Change(Action.ALLOCATE, "Sam Patel", at.replace(minute=10), {"handler": "Jo Bloggs"}),
        Change(Action.ACKNOWLEDGE, "Jo Bloggs", at.replace(minute=15)),
        Change(Action.EXTEND, "Jo Bloggs", at.replace(minute=20)),
    ]

    message = overtaken_message(changes, today=date(2026, 3, 4))

    assert message == (
        "Sam Patel accepted the complaint at 09:00, Jo Bloggs added a note at 09:05, "
        "Sam Patel allocated this case to Jo Bloggs at 09:10 and 2 more changes followed"
        f"{AFTER}"
    )


def test_every_action_has_words_of_its_own():
    at = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    for action in Action:
        message = overtaken_message([Change(action, "Sam Patel", at)], today=date(2026, 3, 4))
        assert "“" not in message, action  # not the fallback that quotes the action's label


def test_nothing_in_between_is_not_a_conflict():
    with pytest.raises(ValueError, match="only out of date when something was recorded"):
        overtaken_message([], today=date(2026, 3, 4))
